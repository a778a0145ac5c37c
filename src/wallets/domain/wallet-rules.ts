import type { Rejection } from '../../platform/decider/decider.js';
import { formatMajor } from '../../ledger/domain/amount.js';
import { findCurrency } from '../../ledger/domain/currency.js';
import { availableBalance } from '../../ledger/domain/ledger-effects.js';
import type { LedgerState } from '../../ledger/domain/ledger.state.js';
import { unprocessable } from '../../institutions/domain/authorization.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import type { Freeze } from './freeze.js';
import { localDateIn, yearOf } from './local-date.js';
import { NO_CAPS, tierLimitsOf, type TierLimits } from './tier-limits.js';
import type { Wallet } from './wallet.js';
import type { WalletsState } from './wallets.state.js';
import type { WalletsWorld } from './wallets.world.js';

/**
 * The wallet rules, as pure functions of the state: the domestic transfer applies them, and so
 * must any other module that moves money out of or into a wallet (cross-border payments apply
 * `checkCanSend` at the payer's end and `checkCanReceive` at the payee's).
 *
 * Precedence (the first failing rule is the one reported):
 *   sending:   sender_frozen, single_payment_limit_exceeded, daily_limit_exceeded,
 *              annual_limit_exceeded, insufficient_funds
 *   receiving: recipient_frozen, balance_limit_exceeded
 */
export type RuleCheck<T> =
  ({ readonly ok: true } & T) | { readonly ok: false; readonly rejection: Rejection };

/** When a jurisdiction is unknown to the registry (never for a registered bank): China's calendar. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The freeze in force on a wallet: its own or its bank's, the stronger one (`all` over `outgoing`). */
export function effectiveFreeze(wallets: WalletsState, wallet: Wallet): Freeze | null {
  return strongerFreeze(
    wallets.freezes.get(wallet.id) ?? null,
    wallets.institutionFreezes.get(wallet.bankId) ?? null,
  );
}

/** Of a wallet's own freeze and its bank's, the one that blocks more (the wallet's own on a tie). */
export function strongerFreeze<F extends Freeze>(own: F | null, bank: F | null): F | null {
  if (own === null || bank === null) return own ?? bank;
  return bank.scope === 'all' && own.scope !== 'all' ? bank : own;
}

/** The limits of a wallet: its tier's in its currency; bank wallets have none. */
export function limitsOf(wallets: WalletsState, wallet: Wallet): TierLimits {
  return wallet.kind === 'customer' && wallet.tier !== null
    ? tierLimitsOf(wallets.tierLimits, wallet.currency, wallet.tier)
    : NO_CAPS;
}

/** The time zone of the wallet's jurisdiction: its daily and annual windows follow it. */
export function timeZoneOf(institutions: InstitutionsState, wallet: Wallet): string {
  return institutions.jurisdictions.get(wallet.jurisdiction)?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** What a wallet has sent in the local day and year of `localDate` (earlier windows count nothing). */
export function spentIn(
  spending: { readonly localDate: string; readonly today: bigint; readonly thisYear: bigint } | undefined,
  localDate: string,
): { readonly today: bigint; readonly thisYear: bigint } {
  if (spending === undefined) return { today: 0n, thisYear: 0n };
  return {
    today: spending.localDate === localDate ? spending.today : 0n,
    thisYear: yearOf(spending.localDate) === yearOf(localDate) ? spending.thisYear : 0n,
  };
}

/** What is left under each limit; null where there is no cap. Never negative. */
export interface Allowance {
  readonly singlePayment: bigint | null;
  readonly today: bigint | null;
  readonly thisYear: bigint | null;
  readonly balanceHeadroom: bigint | null;
}

export function allowance(
  limits: TierLimits,
  spent: { readonly today: bigint; readonly thisYear: bigint },
  held: bigint,
): Allowance {
  return {
    singlePayment: limits.singlePayment,
    today: leftUnder(limits.daily, spent.today),
    thisYear: leftUnder(limits.annual, spent.thisYear),
    balanceHeadroom: leftUnder(limits.balance, held),
  };
}

/** What is left of `cap` after `used`, never negative; null: no cap. (Not a closure in allowance: one was made per check.) */
function leftUnder(cap: bigint | null, used: bigint): bigint | null {
  return cap === null ? null : cap > used ? cap - used : 0n;
}

/** What a wallet holds for the balance cap: posted balance plus credits on their way in. */
export function heldBalance(ledger: LedgerState, wallet: Wallet): bigint {
  const account = ledger.accounts.get(wallet.accountId);
  return account === undefined ? 0n : account.creditsPosted + account.creditsPending - account.debitsPosted;
}

/**
 * May `wallet` send `amount` (minor units) now? On success, the sender's local date, which the
 * event that records the payment carries so that its spending windows can be rebuilt from the log.
 */
export function checkCanSend(
  world: WalletsWorld,
  wallet: Wallet,
  amount: bigint,
  now: bigint,
): RuleCheck<{ readonly localDate: string | null }> {
  const freeze = effectiveFreeze(world.wallets, wallet);
  if (freeze !== null) {
    return refuse(
      'sender_frozen',
      `Wallet ${wallet.id} is frozen${freeze.scope === 'outgoing' ? ' for outgoing payments' : ''} by ${freeze.frozenBy}: ${freeze.reason}`,
    );
  }
  let localDate: string | null = null;
  if (wallet.kind === 'customer') {
    localDate = localDateIn(timeZoneOf(world.institutions, wallet), now);
    const limits = limitsOf(world.wallets, wallet);
    const left = allowance(
      limits,
      spentIn(world.wallets.spending.get(wallet.id), localDate),
      heldBalance(world.ledger, wallet),
    );
    // `money` is made only for the message of a refusal: as a closure made up front, every
    // check of a customer wallet allocated one.
    if (left.singlePayment !== null && amount > left.singlePayment) {
      const money = moneyIn(wallet.currency);
      return refuse(
        'single_payment_limit_exceeded',
        `A tier ${wallet.tier} wallet may send at most ${money(left.singlePayment)} in one payment; ${money(amount)} was asked.`,
      );
    }
    if (left.today !== null && amount > left.today) {
      const money = moneyIn(wallet.currency);
      return refuse(
        'daily_limit_exceeded',
        `Wallet ${wallet.id} may send ${money(left.today)} more today (${localDate}, ${timeZoneOf(world.institutions, wallet)}; tier ${wallet.tier} daily limit ${money(limits.daily!)}); ${money(amount)} was asked.`,
      );
    }
    if (left.thisYear !== null && amount > left.thisYear) {
      const money = moneyIn(wallet.currency);
      return refuse(
        'annual_limit_exceeded',
        `Wallet ${wallet.id} may send ${money(left.thisYear)} more this year (${yearOf(localDate)}; tier ${wallet.tier} annual limit ${money(limits.annual!)}); ${money(amount)} was asked.`,
      );
    }
  }
  const available = availableBalance(world.ledger, wallet.accountId);
  if (amount > available) {
    return refuse(
      'insufficient_funds',
      `Wallet ${wallet.id} holds ${describeAmount(available, wallet.currency)} available; ${describeAmount(amount, wallet.currency)} was asked.`,
    );
  }
  return { ok: true, localDate };
}

/** May `wallet` receive `amount` (minor units)? */
export function checkCanReceive(world: WalletsWorld, wallet: Wallet, amount: bigint): RuleCheck<object> {
  const freeze = effectiveFreeze(world.wallets, wallet);
  if (freeze !== null && freeze.scope === 'all') {
    return refuse(
      'recipient_frozen',
      `Wallet ${wallet.id} is frozen by ${freeze.frozenBy} and cannot receive: ${freeze.reason}`,
    );
  }
  if (wallet.kind === 'customer') {
    const limits = limitsOf(world.wallets, wallet);
    const held = heldBalance(world.ledger, wallet);
    const headroom = allowance(limits, { today: 0n, thisYear: 0n }, held).balanceHeadroom;
    if (headroom !== null && amount > headroom) {
      const money = (minor: bigint) => describeAmount(minor, wallet.currency);
      return refuse(
        'balance_limit_exceeded',
        `Wallet ${wallet.id} (tier ${wallet.tier}) may hold at most ${money(limits.balance!)}; it holds ${money(held)}, so it can receive ${money(headroom)} more, not ${money(amount)}.`,
      );
    }
  }
  return { ok: true };
}

function moneyIn(currency: string): (minor: bigint) => string {
  return (minor) => describeAmount(minor, currency);
}

/** `1234.56 CNY`. */
export function describeAmount(minor: bigint, currencyCode: string): string {
  const currency = findCurrency(currencyCode);
  return currency === undefined
    ? `${minor} minor units of ${currencyCode}`
    : `${formatMajor(minor, currency)} ${currencyCode}`;
}

function refuse(code: string, detail: string): { readonly ok: false; readonly rejection: Rejection } {
  return { ok: false, rejection: unprocessable(code, detail) };
}
