import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { D, type Dec } from '../../src/scenarios/money.js';
import { ReportingSum } from '../../src/scenarios/reporting-sum.js';
import { Prng } from '../support/prng.js';

/** A run of terms sharing one divisor. */
interface Run {
  readonly divisor: Dec;
  readonly minors: readonly bigint[];
}

/** What ReportingSum promises: per run, Σminor exactly, then one D quotient and one D addition. */
function expected(runs: readonly Run[]): Dec {
  let value = new D(0);
  for (const run of runs) {
    const sum = run.minors.reduce((s, m) => s + m, 0n);
    value = value.plus(new D(sum.toString()).dividedBy(run.divisor));
  }
  return value;
}

function summed(runs: readonly Run[]): ReportingSum {
  const sum = new ReportingSum();
  for (const run of runs) for (const minor of run.minors) sum.add(minor, run.divisor);
  return sum;
}

describe('ReportingSum: Σ minor ÷ divisor, exact per run of one divisor, 40 digits half-even per fold', () => {
  it('given terms with one divisor, then the value is Σminor ÷ divisor rounded once, where a per-term decimal sum is not', () => {
    const third = new D(3);
    const sum = new ReportingSum();
    for (let i = 0; i < 3; i++) sum.add(1n, third);
    assert.equal(sum.toDecimal().toFixed(), '1');
    // The sequential decimal sum it replaced: three rounded thirds, 0.99…9 (40 nines).
    let sequential = new D(0);
    for (let i = 0; i < 3; i++) sequential = sequential.plus(new D(1).dividedBy(third));
    assert.equal(sequential.toFixed(), `0.${'9'.repeat(40)}`);
  });

  it('given a divisor change mid-way (an FX shock), then each run is folded once, with its own divisor', () => {
    const runs: Run[] = [
      { divisor: new D(3), minors: [1n, 1n, 1n] },
      { divisor: new D(7), minors: [2n, 2n] },
      { divisor: new D(3), minors: [1n] },
    ];
    const want = expected(runs).toFixed();
    // 3/3 = 1; 1 + 4/7 (0.5714…714, 40 digits) rounds to 1.571…571; + 1/3 (0.333…3, 40
    // digits) is 1.904…9043 exactly, rounded to 40 digits.
    assert.equal(want, '1.904761904761904761904761904761904761904');
    // The mistakes this guards against give other digits: a fold skipped at the change (the
    // first run divided by 7), or a run folded twice.
    const skipped = new D(7).dividedBy(7).plus(new D(1).dividedBy(3)).toFixed();
    const twice = expected([runs[0]!, ...runs]).toFixed();
    assert.notEqual(skipped, want);
    assert.notEqual(twice, want);

    const sum = new ReportingSum();
    for (const [i, run] of runs.entries()) {
      for (const minor of run.minors) sum.add(minor, run.divisor);
      // Reading mid-way neither folds twice nor splits the run that goes on.
      assert.equal(sum.toDecimal().toFixed(), expected(runs.slice(0, i + 1)).toFixed(), `after run ${i}`);
      assert.equal(
        sum.toDecimal().toFixed(),
        expected(runs.slice(0, i + 1)).toFixed(),
        `read twice, run ${i}`,
      );
    }
    assert.equal(sum.toDecimal().toFixed(), want);
  });

  it('given a read in the middle of a run, then the run goes on unsplit', () => {
    const third = new D(3);
    const sum = new ReportingSum();
    sum.add(1n, third);
    assert.equal(sum.toDecimal().toFixed(), `0.${'3'.repeat(40)}`);
    sum.add(1n, third);
    // 2/3 rounded once; a run split by the read would give 1/3 + 1/3, 0.66…6.
    assert.equal(sum.toDecimal().toFixed(), `0.${'6'.repeat(39)}7`);
  });

  it('given equal divisors in different objects, then they are one run (compared by value)', () => {
    const sum = new ReportingSum();
    sum.add(1n, new D(3));
    sum.add(1n, new D('3.000'));
    sum.add(1n, new D(10).pow(2).times('0.03'));
    assert.equal(sum.toDecimal().toFixed(), '1');
  });

  it('equals the run-by-run fold over random amounts, divisors and run lengths (mid rates of the bundled scenarios)', () => {
    const rng = new Prng(6);
    const mids = ['1', '1.08', '4.9', '0.51', '7.3', '0.0123', '3', '1.1'];
    for (let round = 0; round < 200; round++) {
      const runs: Run[] = [];
      let previous = '';
      for (let r = rng.int(1, 8); r > 0; r--) {
        let divisor: Dec;
        do divisor = new D(10).pow(rng.int(0, 3)).times(mids[rng.int(0, mids.length - 1)]!);
        while (divisor.toFixed() === previous);
        previous = divisor.toFixed();
        const minors: bigint[] = [];
        for (let i = rng.int(0, 80); i > 0; i--)
          minors.push(BigInt(Math.floor(rng.next() * 10 ** rng.int(0, 15))));
        runs.push({ divisor, minors });
      }
      // A run with no terms folds nothing and does not separate its neighbours: drop it from
      // the expectation and merge what it separated.
      const merged: Run[] = [];
      for (const run of runs) {
        if (run.minors.length === 0) continue;
        const last = merged.at(-1);
        if (last !== undefined && last.divisor.eq(run.divisor))
          merged[merged.length - 1] = { divisor: last.divisor, minors: [...last.minors, ...run.minors] };
        else merged.push(run);
      }
      assert.equal(summed(runs).toDecimal().toFixed(), expected(merged).toFixed(), `round ${round}`);
    }
  });

  it('given no terms, or zero amounts, then the sum is zero', () => {
    assert.equal(new ReportingSum().toDecimal().toFixed(), '0');
    assert.equal(
      summed([{ divisor: new D('1.08'), minors: [0n, 0n] }])
        .toDecimal()
        .toFixed(),
      '0',
    );
  });

  it('given a divisor that is not positive, then it refuses it', () => {
    for (const divisor of [new D(0), new D(-2), new D(Infinity), new D(NaN)])
      assert.throws(() => new ReportingSum().add(1n, divisor), RangeError, divisor.toString());
  });
});
