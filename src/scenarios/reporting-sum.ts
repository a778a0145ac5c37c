import { D, type Dec } from './money.js';

/**
 * A sum of `minor ÷ divisor` terms, in the reporting currency, for terms that arrive in runs with
 * the same divisor (the metrics: a currency's minor units ÷ 10^exponent × its mid rate, which
 * only changes when a timed FX shock moves the mid rates).
 *
 * Semantics: the minor amounts of a run of terms with one divisor are summed exactly, in bigint
 * (money is never a float). When a term comes with a different divisor the run is folded into the
 * value, `value = value.plus(new D(runMinor).dividedBy(divisor))`, with D's arithmetic (money.ts:
 * 40 significant digits, rounding half-even): one correctly rounded quotient and one correctly
 * rounded addition per run. Reading the value does the same for the open run without storing it,
 * so a read never splits a run. N terms with one divisor thus give Σminor ÷ divisor exactly,
 * rounded once to 40 digits, where the decimal sum this replaces rounded each of the N quotients
 * and each of the N additions. Per term: one bigint addition, no division.
 *
 * Divisors are compared by identity first (the metrics hand the same object until the mid rates
 * change), then by value, so equal divisors never split a run.
 */
export class ReportingSum {
  private value: Dec = new D(0);
  /** The divisor of the run being summed (null before the first term). */
  private divisor: Dec | null = null;
  /** Σ minor of the run, exact. */
  private run = 0n;

  /** Adds `minor ÷ divisor`; divisor > 0. */
  add(minor: bigint, divisor: Dec): void {
    if (divisor !== this.divisor) {
      if (!divisor.isFinite() || divisor.lte(0))
        throw new RangeError(`not a positive divisor: ${divisor.toString()}`);
      if (this.divisor === null || !divisor.eq(this.divisor)) this.fold();
      this.divisor = divisor;
    }
    this.run += minor;
  }

  /** The value with the open run folded in; reading changes nothing (a read never splits a run). */
  toDecimal(): Dec {
    return this.run === 0n ? this.value : this.value.plus(this.quotient());
  }

  /** The open run into the value, once: the run is then empty. */
  private fold(): void {
    if (this.run !== 0n) {
      this.value = this.value.plus(this.quotient());
      this.run = 0n;
    }
  }

  private quotient(): Dec {
    return new D(this.run.toString()).dividedBy(this.divisor!);
  }
}
