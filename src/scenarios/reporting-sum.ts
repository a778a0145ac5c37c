import { D, type Dec } from './money.js';

/**
 * A sum of `minor ÷ divisor` terms computed in bigint, giving exactly what D (money.ts: 40
 * significant digits, half-even) gives for `sum = sum.plus(new D(minor).dividedBy(divisor))`:
 * each quotient correctly rounded to 40 significant digits, then each addition's exact result
 * rounded to 40 significant digits (decimal.js rounds both correctly). The metrics add one term
 * per settled payment; as decimals that was two Decimal objects, a string and a long division
 * per payment.
 *
 * Values are kept as integers scaled by 10^SCALE. A term too small for that scale (its 40th
 * digit below 10^-SCALE) switches the sum to D for good, so the result never depends on it.
 */
const PRECISION = 40;
const SCALE = 60;

const POWERS: bigint[] = [1n];
function tenTo(n: number): bigint {
  for (let i = POWERS.length; i <= n; i++) POWERS.push(POWERS[i - 1]! * 10n);
  return POWERS[n]!;
}

/**
 * Digits of a positive bigint: estimated from its float value (off by one at most near a power of
 * ten), then made exact against the powers of ten; a decimal string per call cost more.
 */
function digits(n: bigint): number {
  let d = Math.floor(Math.log10(Number(n))) + 1;
  while (d > 1 && n < tenTo(d - 1)) d--;
  while (n >= tenTo(d)) d++;
  return d;
}

/** `n` (> 0) rounded half-even to PRECISION significant digits, at the same scale. */
function roundScaled(n: bigint): bigint {
  const drop = digits(n) - PRECISION;
  if (drop <= 0) return n;
  const unit = tenTo(drop);
  let q = n / unit;
  const twice = (n - q * unit) * 2n;
  if (twice > unit || (twice === unit && (q & 1n) === 1n)) q++;
  return q * unit;
}

/** A positive divisor as an exact fraction: numerator ÷ 10^decimals. */
export interface ExactDivisor {
  readonly decimal: Dec;
  readonly numerator: bigint;
  readonly decimals: number;
}

export function exactDivisor(divisor: Dec): ExactDivisor {
  if (!divisor.isFinite() || divisor.lte(0))
    throw new RangeError(`not a positive divisor: ${divisor.toString()}`);
  const text = divisor.toFixed();
  const point = text.indexOf('.');
  return point < 0
    ? { decimal: divisor, numerator: BigInt(text), decimals: 0 }
    : {
        decimal: divisor,
        numerator: BigInt(text.slice(0, point) + text.slice(point + 1)),
        decimals: text.length - point - 1,
      };
}

export class ReportingSum {
  /** The sum × 10^SCALE while exact at that scale; null once kept as a decimal. */
  private scaled: bigint | null = 0n;
  private decimal: Dec | null = null;

  /** Adds `minor ÷ divisor` (minor ≥ 0), as `sum.plus(new D(minor.toString()).dividedBy(divisor))`. */
  add(minor: bigint, divisor: ExactDivisor): void {
    if (this.scaled !== null && minor >= 0n) {
      const term = minor === 0n ? 0n : quotient(minor, divisor);
      if (term !== null) {
        this.scaled = term === 0n ? this.scaled : roundScaled(this.scaled + term);
        return;
      }
    }
    const sum = this.toDecimal();
    this.scaled = null;
    this.decimal = sum.plus(new D(minor.toString()).dividedBy(divisor.decimal));
  }

  toDecimal(): Dec {
    if (this.scaled === null) return this.decimal!;
    const text = this.scaled.toString().padStart(SCALE + 1, '0');
    return new D(`${text.slice(0, text.length - SCALE)}.${text.slice(text.length - SCALE)}`);
  }
}

/**
 * minor ÷ (numerator ÷ 10^decimals), rounded half-even to PRECISION significant digits, × 10^SCALE;
 * null when its last kept digit falls below 10^-SCALE.
 */
function quotient(minor: bigint, divisor: ExactDivisor): bigint | null {
  // x = a ÷ b exactly.
  const a = minor * tenTo(divisor.decimals);
  const b = divisor.numerator;
  // The leading digit's position k (x = d.ddd × 10^k): from the integer part, or for x < 1 from
  // x scaled up by 10^SCALE.
  const whole = a / b;
  let k: number;
  if (whole > 0n) k = digits(whole) - 1;
  else {
    const scaledUp = (a * tenTo(SCALE)) / b;
    if (scaledUp === 0n) return null;
    k = digits(scaledUp) - 1 - SCALE;
  }
  const last = k - (PRECISION - 1);
  if (last < -SCALE) return null;
  // q = x ÷ 10^last, rounded half-even to an integer.
  const num = last >= 0 ? a : a * tenTo(-last);
  const den = last >= 0 ? b * tenTo(last) : b;
  let q = num / den;
  const twice = (num - q * den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  return q * tenTo(last + SCALE);
}
