import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exponential, logNormal, moments, pareto, sampleAmount } from '../../src/scenarios/distributions.js';
import { Prng } from '../../src/scenarios/prng.js';
import { ArrivalGenerator } from '../../src/scenarios/workload.js';

const N = 200_000;

function stats(draw: () => number, n = N) {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

function within(actual: number, expected: number, tolerance: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.abs(expected),
    `${what}: ${actual} is not within ${tolerance * 100}% of ${expected}`,
  );
}

describe('scenario generators: statistics for a fixed seed', () => {
  it('the PRNG replays from its seed, forks independent streams, and is uniform', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    assert.deepEqual(
      seqA,
      Array.from({ length: 5 }, () => b.nextUint32()),
    );
    assert.notDeepEqual(new Prng(1).fork('x').nextUint32(), new Prng(1).fork('y').nextUint32());
    const u = stats(() => new Prng(7).next() && a.next());
    within(u.mean, 0.5, 0.01, 'uniform mean');
    within(u.variance, 1 / 12, 0.02, 'uniform variance');
    assert.match(a.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('UUIDs replay with the seed: the ids every bundled scenario has always drawn', () => {
    // Payment ids feed the leg transfer ids and the order of net sets: a change would change results.
    const ids = new Prng(42).fork('ids');
    assert.deepEqual(
      Array.from({ length: 5 }, () => ids.uuid()),
      [
        '51c38cbf-ea6f-46e3-b86f-e80a5ade2ddf',
        'c1411860-78a4-448d-90ae-f2f47937980c',
        '4d7cddbb-7a34-4b65-94e7-211a25df0681',
        'b708560b-d72f-4d61-a4d1-ba196503f1b3',
        'f92bef66-ceac-4aec-b2cb-2740d8a68b2f',
      ],
    );
    const many = new Prng(7);
    let digest = 0;
    for (let i = 0; i < 100_000; i++)
      for (const ch of many.uuid()) digest = (digest * 31 + ch.charCodeAt(0)) >>> 0;
    assert.equal(digest, 2543992732);
  });

  it('exponential: mean 1/λ, variance 1/λ²', () => {
    const prng = new Prng(11);
    const s = stats(() => exponential(prng, 4));
    within(s.mean, 0.25, 0.01, 'mean');
    within(s.variance, 0.0625, 0.03, 'variance');
  });

  it('log-normal: mean and variance match e^(μ+σ²/2) and (e^σ² − 1)e^(2μ+σ²)', () => {
    const prng = new Prng(12);
    const params = { distribution: 'lognormal' as const, median: 1000, sigma: 0.5 };
    const expected = moments(params);
    const s = stats(() => logNormal(prng, params.median, params.sigma));
    within(s.mean, expected.mean, 0.01, 'mean');
    within(s.variance, expected.variance, 0.05, 'variance');
  });

  it('Pareto: mean αx/(α−1) and variance x²α/((α−1)²(α−2)) (α = 5)', () => {
    const prng = new Prng(13);
    const params = { distribution: 'pareto' as const, scale: 100, alpha: 5 };
    const expected = moments(params);
    const s = stats(() => pareto(prng, params.scale, params.alpha));
    within(s.mean, expected.mean, 0.01, 'mean');
    within(s.variance, expected.variance, 0.1, 'variance');
    const min = Math.min(...Array.from({ length: 1000 }, () => pareto(prng, 100, 5)));
    assert.ok(min >= 100, 'never below the scale');
  });

  it('fixed amounts are fixed; a cap truncates', () => {
    const prng = new Prng(14);
    assert.equal(sampleAmount(prng, { distribution: 'fixed', value: 25 }), 25);
    for (let i = 0; i < 1000; i++)
      assert.ok(sampleAmount(prng, { distribution: 'pareto', scale: 1, alpha: 0.5, max: 10 }) <= 10);
  });

  function generator(perDay: number, profile: number[], seed: number) {
    return new ArrivalGenerator(
      {
        name: 'test',
        from: 'CN',
        to: 'HK',
        perDay,
        dailyProfile: profile,
        amount: { distribution: 'fixed', value: 100 },
        fixed: 'source',
        customerShare: 0,
        payers: ['A'],
        payees: ['B'],
      },
      0,
      new Prng(seed),
      {
        currencyOf: () => ({ currency: 'CNY', exponent: 2 }),
        utcOffsetSeconds: () => 0,
        customerWallets: () => 0,
        startSecondOfDayUtc: 0,
      },
    );
  }

  it('Poisson arrivals: the count per day has mean and variance λ', () => {
    const days = 400;
    const g = generator(
      50,
      Array.from({ length: 24 }, () => 1),
      15,
    );
    const counts = new Array<number>(days).fill(0);
    for (let a = g.next(days * 86_400); a !== null; a = g.next(days * 86_400))
      counts[Math.floor(a.atSeconds / 86_400)]!++;
    const mean = counts.reduce((s, c) => s + c, 0) / days;
    const variance = counts.reduce((s, c) => s + (c - mean) ** 2, 0) / (days - 1);
    within(mean, 50, 0.03, 'mean count per day');
    within(variance, 50, 0.2, 'variance of the count per day');
    const first = generator(
      50,
      Array.from({ length: 24 }, () => 1),
      15,
    ).next(86_400)!;
    assert.equal(first.amountMinor, 10_000n, '100.00 in minor units');
  });

  it('the daily profile shapes arrivals by local hour (thinning)', () => {
    // All intensity between 09:00 and 17:00: weight 3 in those 8 hours, 0 elsewhere (mean 1).
    const profile = Array.from({ length: 24 }, (_, h) => (h >= 9 && h < 17 ? 3 : 0));
    const g = generator(100, profile, 16);
    let inside = 0;
    let total = 0;
    for (let a = g.next(100 * 86_400); a !== null; a = g.next(100 * 86_400)) {
      const hour = Math.floor((a.atSeconds % 86_400) / 3_600);
      total++;
      if (hour >= 9 && hour < 17) inside++;
    }
    assert.equal(inside, total, 'nothing outside business hours');
    within(total / 100, 100, 0.03, 'the daily mean is kept');
  });
});
