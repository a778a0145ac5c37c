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

/**
 * The same conversions in integers, for the routing hot path (decimal.js allocates several
 * objects per operation). A rate string and a spread make an exact fraction `units / 10^exponent`;
 * where the result provably equals the decimal one (every intermediate of the decimal path fits
 * its 60 significant digits, so only the final rounding acts) it is computed with bigint, else by
 * the decimal functions above. test/fx/conversion-exact.test.ts checks equality on random inputs.
 */
export interface ExactRate {
  /** The effective rate as a Decimal: what the fallback uses. */
  readonly decimal: Rate;
  /** The effective rate = units / 10^exponent, or null when the rate is no plain decimal. */
  readonly units: bigint | null;
  readonly exponent: number;
}

const PLAIN_DECIMAL = /^([0-9]{1,24})(?:\.([0-9]{1,24}))?$/;
const TEN_TO_59 = 10n ** 59n;
const POWERS_OF_TEN: bigint[] = [];

function tenTo(n: number): bigint {
  let power = POWERS_OF_TEN[n];
  if (power === undefined) {
    power = 10n ** BigInt(n);
    POWERS_OF_TEN[n] = power;
  }
  return power;
}

export function exactRate(rate: string, spreadBps: number): ExactRate {
  const decimal = effectiveRate(rate, spreadBps);
  const match = PLAIN_DECIMAL.exec(rate);
  if (match === null || !Number.isInteger(spreadBps) || spreadBps < 0 || spreadBps > 10_000)
    return { decimal, units: null, exponent: 0 };
  const fraction = match[2] ?? '';
  // rate × (10,000 − spread) ÷ 10,000: at most 53 digits, which decimal.js holds exactly too.
  return {
    decimal,
    units: BigInt(match[1]! + fraction) * BigInt(10_000 - spreadBps),
    exponent: fraction.length + 4,
  };
}

/** `to`'s exponent less `from`'s: minor units of `to` per minor unit of `from` scale by 10^this. */
function exponentGap(from: string, to: string): number {
  return findCurrency(to)!.exponent - findCurrency(from)!.exponent;
}

/** `buyAmountFor`, exactly, with an `ExactRate`. */
export function buyAmountAt(sellMinor: bigint, from: string, to: string, rate: ExactRate): bigint | null {
  const units = rate.units;
  // S × rate is exact in 60 digits when S × units has at most 60; × 10^gap shifts; the final
  // ROUND_DOWN truncates toward zero, as bigint division does.
  if (units === null || sellMinor < 0n) return buyAmountFor(sellMinor, from, to, rate.decimal);
  const product = sellMinor * units; // multiplied once, for the test and the value
  if (product >= TEN_TO_59) return buyAmountFor(sellMinor, from, to, rate.decimal);
  const gap = exponentGap(from, to);
  const shift = rate.exponent - gap;
  const value = shift >= 0 ? product / tenTo(shift) : product * tenTo(-shift);
  return value > AMOUNT_MAX ? null : value;
}

/** `sellAmountFor`, exactly, with an `ExactRate`. */
export function sellAmountAt(buyMinor: bigint, from: string, to: string, rate: ExactRate): bigint | null {
  const units = rate.units;
  if (units === null || units === 0n || buyMinor < 0n) return sellAmountFor(buyMinor, from, to, rate.decimal);
  const gap = exponentGap(from, to);
  // T ÷ rate ÷ 10^gap = (T × 10^exponent) ÷ (units × 10^gap).
  let numerator = buyMinor * tenTo(rate.exponent);
  let denominator = units;
  if (gap >= 0) denominator *= tenTo(gap);
  else numerator *= tenTo(-gap);
  const quotient = numerator / denominator;
  // decimal.js truncates T ÷ rate to 60 significant digits before rounding up; that can only
  // lose a fraction smaller than 10^(k − 60) (k: the integer digits). A fraction here is at least
  // 1 ÷ denominator, so with (digits of denominator) + k ≤ 60 both round up alike.
  if (quotient * denominator >= TEN_TO_59) return sellAmountFor(buyMinor, from, to, rate.decimal);
  const value = quotient * denominator === numerator ? quotient : quotient + 1n;
  return value > AMOUNT_MAX ? null : value;
}

/** floor(buy × 10^q ÷ sell); a module function, not a closure made per rate worked out. */
function scaledRatio(buyMinor: bigint, sellMinor: bigint, q: number): bigint {
  return q >= 0 ? (buyMinor * tenTo(q)) / sellMinor : buyMinor / (sellMinor * tenTo(-q));
}

/** `impliedRate`, exactly: the first 12 significant digits of buy ÷ 10^gap ÷ sell, truncated. */
export function impliedRateExact(sellMinor: bigint, from: string, buyMinor: bigint, to: string): string {
  if (sellMinor === 0n) return '0';
  if (buyMinor === 0n) return '0';
  if (sellMinor < 0n || buyMinor < 0n || buyMinor >= TEN_TO_59)
    return impliedRate(sellMinor, from, buyMinor, to);
  const gap = exponentGap(from, to);
  // m = floor(buy × 10^p ÷ sell) with 12 digits; the rate is then m × 10^-(p + gap), truncated.
  // p from a floating-point estimate (off by one at most near powers of ten), then made exact.
  let p = 11 - Math.floor(Math.log10(Number(buyMinor) / Number(sellMinor)));
  let m = scaledRatio(buyMinor, sellMinor, p);
  while (m < 100_000_000_000n) m = scaledRatio(buyMinor, sellMinor, ++p);
  while (m >= 1_000_000_000_000n) {
    m /= 10n;
    p--;
  }
  let scale = p + gap;
  // m has 12 digits now, exact as a double: its trailing zeros are dropped and its digits written
  // in number arithmetic (bigint % and toString were a fifth of the route's cost).
  let n = Number(m);
  while (n % 10 === 0) {
    n /= 10;
    scale--;
  }
  const digits = String(n);
  // decimal.js writes exponents from 1e21 and up to 1e-7 and below: left to it.
  const leading = digits.length - 1 - scale;
  if (leading <= -7 || leading >= 21) return impliedRate(sellMinor, from, buyMinor, to);
  if (scale <= 0) return digits + '0'.repeat(-scale);
  if (digits.length > scale)
    return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `0.${'0'.repeat(scale - digits.length)}${digits}`;
}
