import type { Freeze, FreezeScope } from '../domain/freeze.js';
import { tierLimitsOf, type TierLimits } from '../domain/tier-limits.js';
import type { Wallet, WalletKind, WalletTier } from '../domain/wallet.js';
import type { WalletFacts } from '../wallet.view.js';

/**
 * One read of everything a wallet's view needs, from the read models (committed state only):
 * the wallet, its ledger balances, its own and its bank's freeze, its tier's configured limits.
 */
export const WALLET_SELECT = `
  select w.id, w.kind, w.bank_id, w.jurisdiction, w.currency, w.account_id, w.tier, w.holder_reference,
         (extract(epoch from w.opened_at) * 1000)::bigint as opened_ms,
         w.frozen_scope, w.frozen_reason, w.frozen_by, (extract(epoch from w.frozen_at) * 1000)::bigint as frozen_ms,
         w.spent_date, w.spent_today, w.spent_this_year,
         a.credits_posted, a.debits_posted, a.credits_pending, a.debits_pending,
         f.scope as bank_frozen_scope, f.reason as bank_frozen_reason, f.frozen_by as bank_frozen_by,
         (extract(epoch from f.frozen_at) * 1000)::bigint as bank_frozen_ms,
         l.currency is not null as limits_set, l.single_payment, l.daily, l.balance, l.annual
  from wallets w
  join ledger_accounts a on a.id = w.account_id
  left join institution_freezes f on f.institution_id = w.bank_id
  left join wallet_tier_limits l on l.currency = w.currency and l.tier = w.tier`;

export interface WalletRow {
  id: string;
  kind: string;
  bank_id: string;
  jurisdiction: string;
  currency: string;
  account_id: string;
  tier: number | null;
  holder_reference: string | null;
  opened_ms: string;
  frozen_scope: string | null;
  frozen_reason: string | null;
  frozen_by: string | null;
  frozen_ms: string | null;
  spent_date: string | null;
  spent_today: string;
  spent_this_year: string;
  credits_posted: string;
  debits_posted: string;
  credits_pending: string;
  debits_pending: string;
  bank_frozen_scope: string | null;
  bank_frozen_reason: string | null;
  bank_frozen_by: string | null;
  bank_frozen_ms: string | null;
  limits_set: boolean;
  single_payment: string | null;
  daily: string | null;
  balance: string | null;
  annual: string | null;
}

const ns = (ms: string) => BigInt(ms) * 1_000_000n;
const big = (v: string | null) => (v === null ? null : BigInt(v));

export function walletFromRow(row: WalletRow): Wallet {
  return {
    id: row.id,
    kind: row.kind as WalletKind,
    bankId: row.bank_id,
    jurisdiction: row.jurisdiction,
    currency: row.currency,
    accountId: row.account_id,
    tier: row.tier as WalletTier | null,
    holderReference: row.holder_reference,
    openedAt: ns(row.opened_ms),
  };
}

function freezeOf(
  scope: string | null,
  reason: string | null,
  by: string | null,
  ms: string | null,
): Freeze | null {
  return scope === null
    ? null
    : { scope: scope as FreezeScope, reason: reason!, frozenBy: by!, frozenAt: ns(ms!) };
}

export function factsFromRow(row: WalletRow, timeZone: string, now: bigint): WalletFacts {
  const wallet = walletFromRow(row);
  let limits: TierLimits | null = null;
  if (wallet.kind === 'customer' && wallet.tier !== null) {
    limits = row.limits_set
      ? {
          singlePayment: big(row.single_payment),
          daily: big(row.daily),
          balance: big(row.balance),
          annual: big(row.annual),
        }
      : tierLimitsOf(new Map(), wallet.currency, wallet.tier);
  }
  return {
    wallet,
    creditsPosted: BigInt(row.credits_posted),
    debitsPosted: BigInt(row.debits_posted),
    creditsPending: BigInt(row.credits_pending),
    debitsPending: BigInt(row.debits_pending),
    ownFreeze: freezeOf(row.frozen_scope, row.frozen_reason, row.frozen_by, row.frozen_ms),
    bankFreeze: freezeOf(
      row.bank_frozen_scope,
      row.bank_frozen_reason,
      row.bank_frozen_by,
      row.bank_frozen_ms,
    ),
    limits,
    spending:
      row.spent_date === null
        ? undefined
        : {
            localDate: row.spent_date,
            today: BigInt(row.spent_today),
            thisYear: BigInt(row.spent_this_year),
          },
    timeZone,
    now,
  };
}
