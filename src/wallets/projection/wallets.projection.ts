import type { QueryRunner } from 'typeorm';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import { tierLimitsKey } from '../domain/tier-limits.js';
import type { WalletsEvent } from '../domain/wallets.events.js';
import type { WalletsState } from '../domain/wallets.state.js';

const ts = (ns: bigint) => new Date(Number(ns / 1_000_000n));

/**
 * Writes the wallets read models for one committed batch, inside the batch's transaction. Rows
 * that change (freezes, spending, limits) are written from the state as it stands after the
 * batch, once per row however many events touched it: the state is what the events built.
 */
export async function projectWallets(
  tx: QueryRunner,
  batch: readonly RecordedEvent[],
  state: WalletsState,
): Promise<void> {
  const opened: RecordedEvent[] = [];
  const settled: RecordedEvent[] = [];
  const touchedWallets = new Set<string>();
  const touchedBanks = new Set<string>();
  const touchedTiers = new Map<string, { position: bigint; setBy: string }>();
  for (const record of batch) {
    const event = record.event as WalletsEvent;
    switch (event.type) {
      case 'WalletOpened':
        opened.push(record);
        break;
      case 'DomesticTransferSettled':
        settled.push(record);
        if (event.data.senderLocalDate !== null) touchedWallets.add(event.data.from);
        break;
      case 'WalletFrozen':
      case 'WalletUnfrozen':
        touchedWallets.add(event.data.walletId);
        break;
      case 'InstitutionFrozen':
      case 'InstitutionUnfrozen':
        touchedBanks.add(event.data.institutionId);
        break;
      case 'WalletTierLimitsSet':
        touchedTiers.set(tierLimitsKey(event.data.currency, event.data.tier), {
          position: record.position,
          setBy: event.data.setBy,
        });
        break;
    }
  }
  if (opened.length > 0) await insertWallets(tx, opened);
  if (settled.length > 0) await insertTransfers(tx, settled);
  if (touchedWallets.size > 0) await updateWallets(tx, [...touchedWallets], state);
  for (const bankId of touchedBanks) {
    const freeze = state.institutionFreezes.get(bankId);
    await tx.query('delete from institution_freezes where institution_id = $1', [bankId]);
    if (freeze !== undefined) {
      await tx.query(
        `insert into institution_freezes (institution_id, scope, reason, frozen_by, frozen_at) values ($1, $2, $3, $4, $5)`,
        [bankId, freeze.scope, freeze.reason, freeze.frozenBy, ts(freeze.frozenAt)],
      );
    }
  }
  for (const [key, { position, setBy }] of touchedTiers) {
    const limits = state.tierLimits.get(key)!;
    const [currency, tier] = key.split(':');
    await tx.query(
      `insert into wallet_tier_limits (currency, tier, single_payment, daily, balance, annual, set_by, set_position)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (currency, tier) do update set single_payment = excluded.single_payment, daily = excluded.daily,
         balance = excluded.balance, annual = excluded.annual, set_by = excluded.set_by, set_position = excluded.set_position`,
      [
        currency,
        Number(tier),
        limits.singlePayment?.toString() ?? null,
        limits.daily?.toString() ?? null,
        limits.balance?.toString() ?? null,
        limits.annual?.toString() ?? null,
        setBy,
        position.toString(),
      ],
    );
  }
}

async function insertWallets(tx: QueryRunner, opened: readonly RecordedEvent[]): Promise<void> {
  const wallets = opened.map((r) => (r.event as WalletsEvent & { type: 'WalletOpened' }).data.wallet);
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
      wallets.map((w) => ts(w.openedAt)),
      opened.map((r) => r.position.toString()),
    ],
  );
}

async function insertTransfers(tx: QueryRunner, settled: readonly RecordedEvent[]): Promise<void> {
  const transfers = settled.map((r) => (r.event as WalletsEvent & { type: 'DomesticTransferSettled' }).data);
  await tx.query(
    `insert into domestic_transfers (id, ledger_transfer_id, from_wallet, to_wallet, currency, amount, reference,
                                     settled_by, settled_at, global_position)
     select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                          $8::text[], $9::timestamptz[], $10::bigint[])`,
    [
      transfers.map((t) => t.transferId),
      transfers.map((t) => t.ledgerTransferId),
      transfers.map((t) => t.from),
      transfers.map((t) => t.to),
      transfers.map((t) => t.currency),
      transfers.map((t) => t.amount.toString()),
      transfers.map((t) => t.reference),
      transfers.map((t) => t.settledBy),
      transfers.map((t) => ts(t.settledAt)),
      settled.map((r) => r.position.toString()),
    ],
  );
}

/** Freeze and spending columns of the wallets the batch touched, as the state holds them now. */
async function updateWallets(tx: QueryRunner, ids: readonly string[], state: WalletsState): Promise<void> {
  const freezes = ids.map((id) => state.freezes.get(id));
  const spending = ids.map((id) => state.spending.get(id));
  await tx.query(
    `update wallets w set frozen_scope = u.scope, frozen_reason = u.reason, frozen_by = u.by, frozen_at = u.at,
                          spent_date = u.spent_date, spent_today = u.today, spent_this_year = u.this_year
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::bigint[], $8::bigint[])
       as u(id, scope, reason, by, at, spent_date, today, this_year)
     where w.id = u.id`,
    [
      ids,
      freezes.map((f) => f?.scope ?? null),
      freezes.map((f) => f?.reason ?? null),
      freezes.map((f) => f?.frozenBy ?? null),
      freezes.map((f) => (f === undefined ? null : ts(f.frozenAt))),
      spending.map((s) => s?.localDate ?? null),
      spending.map((s) => (s?.today ?? 0n).toString()),
      spending.map((s) => (s?.thisYear ?? 0n).toString()),
    ],
  );
}
