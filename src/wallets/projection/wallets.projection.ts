import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import { numberColumn, sqlLiteral, textColumn } from '../../platform/sequencer/sql-arrays.js';
import type { Freeze } from '../domain/freeze.js';
import { tierLimitsKey, type TierLimits } from '../domain/tier-limits.js';
import type { Wallet } from '../domain/wallet.js';
import type { WalletsEvent } from '../domain/wallets.events.js';
import type { Spending, WalletsState } from '../domain/wallets.state.js';

const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();
const array = (literal: string, type: string) => `${sqlLiteral(literal)}::${type}[]`;
const text = (value: string | null) => (value === null ? 'null' : sqlLiteral(value));

/**
 * What the wallets read models need from memory for one batch, taken when the batch is sent to
 * commit (the sequencer decides the next batch meanwhile, so memory may have moved on by the time
 * the statements are built): the freeze and spending of every wallet the batch touched, the
 * freezes of banks and the tier limits it changed. State values are immutable, so references do.
 */
export interface WalletsCapture {
  readonly wallets: ReadonlyArray<{ id: string; freeze: Freeze | undefined; spending: Spending | undefined }>;
  readonly banks: ReadonlyArray<{ id: string; freeze: Freeze | undefined }>;
  readonly tiers: ReadonlyArray<{
    currency: string;
    tier: number;
    limits: TierLimits;
    position: bigint;
    setBy: string;
  }>;
}

export function captureWallets(batch: readonly RecordedEvent[], state: WalletsState): WalletsCapture {
  const wallets = new Set<string>();
  const banks = new Set<string>();
  const tiers = new Map<string, WalletsCapture['tiers'][number]>();
  for (const record of batch) {
    const event = record.event as WalletsEvent;
    switch (event.type) {
      case 'DomesticTransferSettled':
        if (event.data.senderLocalDate !== null) wallets.add(event.data.from);
        break;
      case 'WalletSpendingRecorded':
        // A cross-border payment from a customer wallet counts against its windows too.
        wallets.add(event.data.walletId);
        break;
      case 'WalletFrozen':
      case 'WalletUnfrozen':
        wallets.add(event.data.walletId);
        break;
      case 'InstitutionFrozen':
      case 'InstitutionUnfrozen':
        banks.add(event.data.institutionId);
        break;
      case 'WalletTierLimitsSet': {
        const { currency, tier, setBy } = event.data;
        const key = tierLimitsKey(currency, tier);
        tiers.set(key, {
          currency,
          tier,
          limits: state.tierLimits.get(key)!,
          position: record.position,
          setBy,
        });
        break;
      }
    }
  }
  return {
    wallets: [...wallets].map((id) => ({
      id,
      freeze: state.freezes.get(id),
      spending: state.spending.get(id),
    })),
    banks: [...banks].map((id) => ({ id, freeze: state.institutionFreezes.get(id) })),
    tiers: [...tiers.values()],
  };
}

/**
 * The wallets read models' writes for one committed batch, with their values inlined, so the
 * sequencer sends them in the batch's one commit message (ADR 0008). Rows that change (freezes,
 * spending, limits) are written as the state stood after the batch, once per row however many
 * events touched it: the state is what the events built.
 */
export function walletsProjectionSql(batch: readonly RecordedEvent[], captured: WalletsCapture): string[] {
  const statements: string[] = [];
  const opened: Array<{ wallet: Wallet; position: bigint }> = [];
  const settled: Array<{
    data: Extract<WalletsEvent, { type: 'DomesticTransferSettled' }>['data'];
    position: bigint;
  }> = [];
  for (const record of batch) {
    const event = record.event as WalletsEvent;
    if (event.type === 'WalletOpened') opened.push({ wallet: event.data.wallet, position: record.position });
    else if (event.type === 'DomesticTransferSettled')
      settled.push({ data: event.data, position: record.position });
  }
  if (opened.length > 0) {
    statements.push(
      `insert into wallets (id, kind, bank_id, jurisdiction, currency, account_id, tier, holder_reference, opened_at, opened_position)
       select * from unnest(${array(
         textColumn(opened, (o) => o.wallet.id),
         'text',
       )},
         ${array(
           textColumn(opened, (o) => o.wallet.kind),
           'text',
         )},
         ${array(
           textColumn(opened, (o) => o.wallet.bankId),
           'text',
         )},
         ${array(
           textColumn(opened, (o) => o.wallet.jurisdiction),
           'text',
         )},
         ${array(
           textColumn(opened, (o) => o.wallet.currency),
           'text',
         )},
         ${array(
           textColumn(opened, (o) => o.wallet.accountId),
           'uuid',
         )},
         ${array(
           numberColumn(opened, (o) => o.wallet.tier),
           'smallint',
         )},
         ${array(
           textColumn(opened, (o) => o.wallet.holderReference),
           'text',
         )},
         ${array(
           textColumn(opened, (o) => iso(o.wallet.openedAt)),
           'timestamptz',
         )},
         ${array(
           numberColumn(opened, (o) => o.position),
           'bigint',
         )})`,
    );
  }
  if (settled.length > 0) {
    statements.push(
      `insert into domestic_transfers (id, ledger_transfer_id, from_wallet, to_wallet, currency, amount, reference,
                                       settled_by, settled_at, global_position)
       select * from unnest(${array(
         textColumn(settled, (s) => s.data.transferId),
         'uuid',
       )},
         ${array(
           textColumn(settled, (s) => s.data.ledgerTransferId),
           'uuid',
         )},
         ${array(
           textColumn(settled, (s) => s.data.from),
           'text',
         )},
         ${array(
           textColumn(settled, (s) => s.data.to),
           'text',
         )},
         ${array(
           textColumn(settled, (s) => s.data.currency),
           'text',
         )},
         ${array(
           numberColumn(settled, (s) => s.data.amount),
           'bigint',
         )},
         ${array(
           textColumn(settled, (s) => s.data.reference),
           'text',
         )},
         ${array(
           textColumn(settled, (s) => s.data.settledBy),
           'text',
         )},
         ${array(
           textColumn(settled, (s) => iso(s.data.settledAt)),
           'timestamptz',
         )},
         ${array(
           numberColumn(settled, (s) => s.position),
           'bigint',
         )})`,
    );
  }
  const { wallets, banks, tiers } = captured;
  if (wallets.length > 0) {
    statements.push(
      `update wallets w set frozen_scope = u.scope, frozen_reason = u.reason, frozen_by = u.by, frozen_at = u.at,
                            spent_date = u.spent_date, spent_today = u.today, spent_this_year = u.this_year
       from unnest(${array(
         textColumn(wallets, (w) => w.id),
         'text',
       )},
         ${array(
           textColumn(wallets, (w) => w.freeze?.scope ?? null),
           'text',
         )},
         ${array(
           textColumn(wallets, (w) => w.freeze?.reason ?? null),
           'text',
         )},
         ${array(
           textColumn(wallets, (w) => w.freeze?.frozenBy ?? null),
           'text',
         )},
         ${array(
           textColumn(wallets, (w) => (w.freeze === undefined ? null : iso(w.freeze.frozenAt))),
           'timestamptz',
         )},
         ${array(
           textColumn(wallets, (w) => w.spending?.localDate ?? null),
           'text',
         )},
         ${array(
           numberColumn(wallets, (w) => w.spending?.today ?? 0n),
           'bigint',
         )},
         ${array(
           numberColumn(wallets, (w) => w.spending?.thisYear ?? 0n),
           'bigint',
         )})
         as u(id, scope, reason, by, at, spent_date, today, this_year)
       where w.id = u.id`,
    );
  }
  for (const { id, freeze } of banks) {
    statements.push(`delete from institution_freezes where institution_id = ${text(id)}`);
    if (freeze !== undefined) {
      statements.push(
        `insert into institution_freezes (institution_id, scope, reason, frozen_by, frozen_at)
         values (${text(id)}, ${text(freeze.scope)}, ${text(freeze.reason)}, ${text(freeze.frozenBy)},
                 ${text(iso(freeze.frozenAt))}::timestamptz)`,
      );
    }
  }
  for (const { currency, tier, limits, position, setBy } of tiers) {
    const amount = (value: bigint | null) => (value === null ? 'null' : value.toString());
    statements.push(
      `insert into wallet_tier_limits (currency, tier, single_payment, daily, balance, annual, set_by, set_position)
       values (${text(currency)}, ${tier}, ${amount(limits.singlePayment)}, ${amount(limits.daily)},
               ${amount(limits.balance)}, ${amount(limits.annual)}, ${text(setBy)}, ${position})
       on conflict (currency, tier) do update set single_payment = excluded.single_payment, daily = excluded.daily,
         balance = excluded.balance, annual = excluded.annual, set_by = excluded.set_by, set_position = excluded.set_position`,
    );
  }
  return statements;
}
