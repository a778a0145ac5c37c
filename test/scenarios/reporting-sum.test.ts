import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { D, type Dec } from '../../src/scenarios/money.js';
import { exactDivisor, ReportingSum } from '../../src/scenarios/reporting-sum.js';
import { Prng } from '../support/prng.js';

/** What the metrics computed before: one Decimal quotient and one Decimal addition per term. */
function decimalSum(terms: ReadonlyArray<readonly [bigint, Dec]>): Dec {
  let sum = new D(0);
  for (const [minor, divisor] of terms) sum = sum.plus(new D(minor.toString()).dividedBy(divisor));
  return sum;
}

function bigintSum(terms: ReadonlyArray<readonly [bigint, Dec]>): Dec {
  const sum = new ReportingSum();
  for (const [minor, divisor] of terms) sum.add(minor, exactDivisor(divisor));
  return sum.toDecimal();
}

describe('ReportingSum: Σ minor ÷ divisor as D computes it (40 digits, half-even each step)', () => {
  it('equals the Decimal sum, digit for digit, over random amounts and the mid rates of the bundled scenarios', () => {
    const rng = new Prng(6);
    const mids = ['1', '1.08', '4.9', '0.51', '7.3', '0.0123', '3', '1.1'];
    for (let round = 0; round < 200; round++) {
      const terms: Array<readonly [bigint, Dec]> = [];
      for (let i = 0; i < 300; i++) {
        const divisor = new D(10).pow(rng.int(0, 3)).times(mids[rng.int(0, mids.length - 1)]!);
        const magnitude = rng.int(0, 15);
        terms.push([BigInt(Math.floor(rng.next() * 10 ** magnitude)), divisor]);
      }
      assert.equal(bigintSum(terms).toFixed(), decimalSum(terms).toFixed(), `round ${round}`);
    }
  });

  it('equals the Decimal sum over random divisors and amounts of very different sizes', () => {
    // Terms far above and far below the running sum, divisors with many digits and decimals:
    // the coefficient form aligns exponents that differ by much more than 40 digits.
    const rng = new Prng(11);
    for (let round = 0; round < 300; round++) {
      const terms: Array<readonly [bigint, Dec]> = [];
      const count = rng.int(1, 60);
      for (let i = 0; i < count; i++) {
        const digits = rng.int(1, 25);
        let text = String(rng.int(1, 9));
        for (let d = 1; d < digits; d++) text += String(rng.int(0, 9));
        const divisor = new D(text).times(new D(10).pow(rng.int(-30, 30)));
        let minor = BigInt(rng.int(0, 9));
        for (let d = rng.int(0, 50); d > 0; d--) minor = minor * 10n + BigInt(rng.int(0, 9));
        terms.push([minor, divisor]);
      }
      assert.equal(bigintSum(terms).toFixed(), decimalSum(terms).toFixed(), `round ${round}`);
    }
  });

  it('given quotients that end exactly on a half at the 41st digit, when adding, then rounds half to even as D does', () => {
    // 10^40 + 5 has 41 digits ending in 5: ÷ 10 or ÷ 1 it is a tie at the 41st; sums of
    // 40-digit terms carry into a 41st digit; ÷ 2^140 is too small for the scale (decimal path).
    const divisors = [new D(10), new D(2).pow(20), new D(5).pow(3), new D('0.5'), new D(2).pow(140)];
    for (const divisor of divisors) {
      const terms = [
        1n,
        3n,
        10n ** 40n + 5n,
        10n ** 40n + 15n,
        10n ** 40n - 1n,
        12345678901234567890123456789n,
        10n ** 30n,
      ].map((m) => [m, divisor] as const);
      assert.equal(bigintSum(terms).toFixed(), decimalSum(terms).toFixed(), divisor.toString());
    }
  });

  it('given a term below its scale, when adding, then it carries on in decimals with the same result', () => {
    const tiny = new D('1e30');
    const terms = [
      [7n, new D('1.08')],
      [3n, tiny],
      [11n, new D('4.9')],
    ] as const;
    assert.equal(bigintSum(terms).toFixed(), decimalSum(terms).toFixed());
  });

  it('given no terms, or zero amounts, then the sum is zero', () => {
    assert.equal(new ReportingSum().toDecimal().toFixed(), '0');
    assert.equal(bigintSum([[0n, new D('1.08')]]).toFixed(), '0');
  });
});
