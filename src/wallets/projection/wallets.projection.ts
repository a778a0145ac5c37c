import type { QueryRunner } from 'typeorm';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import type { WalletsEvent } from '../domain/wallets.events.js';

/** Writes the wallets read model for one committed batch, inside the batch's transaction. */
export async function projectWallets(tx: QueryRunner, batch: readonly RecordedEvent[]): Promise<void> {
  const opened = batch.filter((r) => (r.event as WalletsEvent).type === 'WalletOpened');
  if (opened.length === 0) return;
  const wallets = opened.map((r) => (r.event as WalletsEvent).data.wallet);
  await tx.query(
    `insert into wallets (id, kind, bank_id, jurisdiction, currency, account_id, tier, holder_reference, opened_at, opened_position)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::smallint[], $8::text[],
                          $9::timestamptz[], $10::bigint[])`,
    [
      wallets.map((w) => w.id),
      wallets.map((w) => w.kind),
      wallets.map((w) => w.bankId),
      wallets.map((w) => w.jurisdiction),
      wallets.map((w) => w.currency),
      wallets.map((w) => w.accountId),
      wallets.map((w) => w.tier),
      wallets.map((w) => w.holderReference),
      wallets.map((w) => new Date(Number(w.openedAt / 1_000_000n))),
      opened.map((r) => r.position.toString()),
    ],
  );
}
