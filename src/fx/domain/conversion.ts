import { Decimal } from 'decimal.js';
import { AMOUNT_MAX } from '../../ledger/domain/amount.js';
import { findCurrency } from '../../ledger/domain/currency.js';

/**
 * Currency conversion, exact in decimal arithmetic and rounded once, to the target's minor unit.
 *
 * A rate is how many major units of the bought currency one major unit of the sold currency
 * buys (CNY→AED 0.5123: 1 CNY buys 0.5123 AED). A provider's effective rate is its rate less its
 * spread: rate × (1 − spreadBps / 10,000).
 *
 * Rounding always favours the liquidity provider by less than one minor unit, and is stated:
 * - source fixed (the payer sends S): the payee gets floor(S × rate), ROUND_DOWN;
 * - target fixed (the payee gets T): the payer sends ceil(T ÷ rate), ROUND_UP.
 */
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_DOWN });

/** Rates and spreads are parsed once; a Rate is an exact decimal. */
export type Rate = Decimal;

export const RATE_PATTERN = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,12})?$/;

export function parseRate(text: string): Rate | null {
  if (!RATE_PATTERN.test(text)) return null;
  const rate = new D(text);
  return rate.gt(0) ? rate : null;
}

export function effectiveRate(rate: string, spreadBps: number): Rate {
  return new D(rate).times(new D(10_000 - spreadBps)).dividedBy(10_000);
}

function scale(from: string, to: string): Decimal {
  const eFrom = findCurrency(from)!.exponent;
  const eTo = findCurrency(to)!.exponent;
  return new D(10).pow(eTo - eFrom);
}

/** What the buyer gets for `sellMinor` of `from` (source fixed); ROUND_DOWN. Null past the maximum amount. */
export function buyAmountFor(sellMinor: bigint, from: string, to: string, rate: Rate): bigint | null {
  const value = BigInt(
    new D(sellMinor.toString()).times(rate).times(scale(from, to)).toFixed(0, Decimal.ROUND_DOWN),
  );
  return value > AMOUNT_MAX ? null : value;
}

/** What the seller must pay for `buyMinor` of `to` (target fixed); ROUND_UP. Null past the maximum amount. */
export function sellAmountFor(buyMinor: bigint, from: string, to: string, rate: Rate): bigint | null {
  const value = BigInt(
    new D(buyMinor.toString()).dividedBy(rate).dividedBy(scale(from, to)).toFixed(0, Decimal.ROUND_UP),
  );
  return value > AMOUNT_MAX ? null : value;
}

/** The all-in rate a route gives, to 12 significant digits (for display: amounts are what count). */
export function impliedRate(sellMinor: bigint, from: string, buyMinor: bigint, to: string): string {
  if (sellMinor === 0n) return '0';
  return new D(buyMinor.toString())
    .dividedBy(scale(from, to))
    .dividedBy(sellMinor.toString())
    .toSignificantDigits(12)
    .toString();
}
