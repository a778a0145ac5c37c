import { D, type Dec } from './money.js';

/**
 * A sum of `minor ÷ divisor` terms computed in bigint, giving exactly what D (money.ts: 40
 * significant digits, half-even) gives for `sum = sum.plus(new D(minor).dividedBy(divisor))`:
 * each quotient correctly rounded to 40 significant digits, then each addition's exact result
 * rounded to 40 significant digits (decimal.js rounds both correctly). The metrics add one term
 * per settled payment; as decimals that was two Decimal objects, a string and a long division
 * per payment.
 *
 * The sum is kept as coef × 10^exp with coef below 10^40 (plus one digit at most, when a rounding
 * carries), so each addition works on ~135-bit bigints rather than on the sum scaled by a fixed
 * power of ten (~230 bits and more). Exact alignment, then one half-even rounding, is what D does.
 * A negative term switches the sum to D for good (the metrics never add one).
 */
const PRECISION = 40;

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
  /** The sum is coef × 10^exp while exact in bigints; decimal is set once kept as a decimal. */
  private coef = 0n;
  private exp = 0;
  private decimal: Dec | null = null;

  /** Adds `minor ÷ divisor` (minor ≥ 0), as `sum.plus(new D(minor.toString()).dividedBy(divisor))`. */
  add(minor: bigint, divisor: ExactDivisor): void {
    if (this.decimal === null && minor >= 0n) {
      if (minor === 0n) return;
      const term = quotient(minor, divisor);
      let last = term.last;
      let n = term.q;
      if (this.coef !== 0n) {
        // The exact sum, both aligned to the lower exponent.
        if (this.exp >= last) n += this.coef * tenTo(this.exp - last);
        else {
          n = this.coef + n * tenTo(last - this.exp);
          last = this.exp;
        }
      }
      const drop = digits(n) - PRECISION;
      if (drop > 0) {
        n = roundHalfEven(n, tenTo(drop));
        last += drop;
      }
      this.coef = n;
      this.exp = last;
      return;
    }
    const sum = this.toDecimal();
    this.decimal = sum.plus(new D(minor.toString()).dividedBy(divisor.decimal));
  }

  toDecimal(): Dec {
    if (this.decimal !== null) return this.decimal;
    return new D(this.coef === 0n ? '0' : `${this.coef.toString()}e${this.exp}`);
  }
}

/** num ÷ den (both > 0) rounded half-even to an integer. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  const twice = (num - q * den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  return q;
}

/**
 * minor (> 0) ÷ (numerator ÷ 10^decimals), rounded half-even to PRECISION significant digits, as
 * q × 10^last.
 */
function quotient(minor: bigint, divisor: ExactDivisor): { q: bigint; last: number } {
  // x = a ÷ b exactly.
  const a = minor * tenTo(divisor.decimals);
  const b = divisor.numerator;
  // The leading digit's position k (x = d.ddd × 10^k): a < 10^da and b ≥ 10^(db-1) put it at
  // da - db or one below; which one is an exact comparison.
  let k = digits(a) - digits(b);
  if (k >= 0 ? a < b * tenTo(k) : a * tenTo(-k) < b) k--;
  const last = k - (PRECISION - 1);
  // q = x ÷ 10^last, rounded half-even to an integer.
  const q = last >= 0 ? roundHalfEven(a, b * tenTo(last)) : roundHalfEven(a * tenTo(-last), b);
  return { q, last };
}
