import { isoFromNs } from '../platform/clock/clock.js';
import { amountView, type AmountView } from '../ledger/read-model/ledger.views.js';
import type { Freeze } from './domain/freeze.js';
import { localDateIn } from './domain/local-date.js';
import type { TierLimits } from './domain/tier-limits.js';
import type { Wallet } from './domain/wallet.js';
import { allowance, spentIn, strongerFreeze } from './domain/wallet-rules.js';
import type { Spending } from './domain/wallets.state.js';
import type { DomesticTransferSettled } from './domain/wallets.events.js';

/** Everything a wallet's view is computed from, whether read from memory or from the read models. */
export interface WalletFacts {
  readonly wallet: Wallet;
  readonly creditsPosted: bigint;
  readonly debitsPosted: bigint;
  readonly creditsPending: bigint;
  readonly debitsPending: bigint;
  readonly ownFreeze: Freeze | null;
  readonly bankFreeze: Freeze | null;
  /** Customer wallets: their tier's limits; bank wallets: null (no limits). */
  readonly limits: TierLimits | null;
  readonly spending: Spending | undefined;
  readonly timeZone: string;
  /** The service clock: which day and year the windows are in. */
  readonly now: bigint;
}

/** A wallet as the API shows it: balance, limits and what is left of them now, freeze. */
export function walletView(facts: WalletFacts) {
  const { wallet } = facts;
  const money = (minor: bigint | null): AmountView | null =>
    minor === null ? null : amountView(minor, wallet.currency);
  const balance = facts.creditsPosted - facts.debitsPosted;
  const available = balance - facts.debitsPending;
  const freeze = strongerFreeze(
    facts.ownFreeze === null ? null : { ...facts.ownFreeze, source: 'wallet' as const },
    facts.bankFreeze === null ? null : { ...facts.bankFreeze, source: 'institution' as const },
  );
  let limits = null;
  if (facts.limits !== null) {
    const localDate = localDateIn(facts.timeZone, facts.now);
    const spent = spentIn(facts.spending, localDate);
    const left = allowance(facts.limits, spent, balance + facts.creditsPending);
    const caps = [left.singlePayment, left.today, left.thisYear].filter((v): v is bigint => v !== null);
    const largest = caps.reduce((a, b) => (b < a ? b : a), available < 0n ? 0n : available);
    limits = {
      tier: wallet.tier,
      singlePayment: money(facts.limits.singlePayment),
      daily: money(facts.limits.daily),
      balance: money(facts.limits.balance),
      annual: money(facts.limits.annual),
      window: { timeZone: facts.timeZone, localDate },
      spentToday: money(spent.today),
      spentThisYear: money(spent.thisYear),
      remaining: {
        singlePayment: money(left.singlePayment),
        today: money(left.today),
        thisYear: money(left.thisYear),
        balanceHeadroom: money(left.balanceHeadroom),
        /** The largest payment the wallet could make now: every limit and its available balance. */
        largestPayment: money(largest),
      },
    };
  }
  return {
    id: wallet.id,
    kind: wallet.kind,
    bankId: wallet.bankId,
    jurisdiction: wallet.jurisdiction,
    currency: wallet.currency,
    accountId: wallet.accountId,
    tier: wallet.tier,
    holderReference: wallet.holderReference,
    openedAt: isoFromNs(wallet.openedAt),
    balance: money(balance)!,
    available: money(available)!,
    limits,
    frozen:
      freeze === null
        ? null
        : {
            scope: freeze.scope,
            reason: freeze.reason,
            frozenBy: freeze.frozenBy,
            frozenAt: isoFromNs(freeze.frozenAt),
            source: freeze.source,
          },
  };
}

export function tierLimitsView(currency: string, tier: number, limits: TierLimits, configured: boolean) {
  const money = (minor: bigint | null) => (minor === null ? null : amountView(minor, currency));
  return {
    currency,
    tier,
    singlePayment: money(limits.singlePayment),
    daily: money(limits.daily),
    balance: money(limits.balance),
    annual: money(limits.annual),
    source: configured ? 'central_bank' : 'default',
  };
}

export function freezeView(freeze: Freeze | null) {
  return freeze === null
    ? null
    : {
        scope: freeze.scope,
        reason: freeze.reason,
        frozenBy: freeze.frozenBy,
        frozenAt: isoFromNs(freeze.frozenAt),
      };
}

export function transferView(transfer: DomesticTransferSettled['data']) {
  return {
    id: transfer.transferId,
    from: transfer.from,
    to: transfer.to,
    currency: transfer.currency,
    ...amountView(transfer.amount, transfer.currency),
    reference: transfer.reference,
    ledgerTransferId: transfer.ledgerTransferId,
    status: 'settled' as const,
    settledBy: transfer.settledBy,
    settledAt: isoFromNs(transfer.settledAt),
  };
}
