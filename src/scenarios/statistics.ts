import { D, type Dec } from './money.js';

/** Student's t, two-sided 95 %, by degrees of freedom (1–30, then 40, 60, 120; ∞ → 1.96). */
const T95: Record<number, string> = {
  1: '12.706',
  2: '4.303',
  3: '3.182',
  4: '2.776',
  5: '2.571',
  6: '2.447',
  7: '2.365',
  8: '2.306',
  9: '2.262',
  10: '2.228',
  11: '2.201',
  12: '2.179',
  13: '2.160',
  14: '2.145',
  15: '2.131',
  16: '2.120',
  17: '2.110',
  18: '2.101',
  19: '2.093',
  20: '2.086',
  21: '2.080',
  22: '2.074',
  23: '2.069',
  24: '2.064',
  25: '2.060',
  26: '2.056',
  27: '2.052',
  28: '2.048',
  29: '2.045',
  30: '2.042',
  40: '2.021',
  60: '2.000',
  120: '1.980',
};

/** The t quantile for df degrees of freedom (the next tabulated df below, which is conservative). */
export function t95(df: number): Dec {
  if (df >= 1_000) return new D('1.960');
  const known = Object.keys(T95)
    .map(Number)
    .filter((k) => k <= df);
  return new D(T95[Math.max(...known)]!);
}

export interface Estimate {
  readonly n: number;
  readonly mean: string;
  readonly sd: string;
  /** Half-width of the 95 % confidence interval of the mean (t distribution); "" with one replication. */
  readonly ci95: string;
  readonly low: string;
  readonly high: string;
}

/**
 * Mean and 95 % confidence interval over replications, in decimal arithmetic (values may be
 * money), rounded half-even to `places` decimals for the results file.
 */
export function estimate(values: readonly string[], places = 4): Estimate {
  const xs = values.map((v) => new D(v));
  const n = xs.length;
  const mean = xs.reduce((s, x) => s.plus(x), new D(0)).dividedBy(Math.max(1, n));
  if (n < 2) {
    const m = mean.toFixed(places);
    return { n, mean: m, sd: '', ci95: '', low: m, high: m };
  }
  const variance = xs.reduce((s, x) => s.plus(x.minus(mean).pow(2)), new D(0)).dividedBy(n - 1);
  const sd = variance.sqrt();
  const half = t95(n - 1)
    .times(sd)
    .dividedBy(new D(n).sqrt());
  return {
    n,
    mean: mean.toFixed(places),
    sd: sd.toFixed(places),
    ci95: half.toFixed(places),
    low: mean.minus(half).toFixed(places),
    high: mean.plus(half).toFixed(places),
  };
}

/** Paired differences (b − a, replication by replication: common random numbers) and their CI. */
export function pairedDifference(
  a: readonly string[],
  b: readonly string[],
  places = 4,
): Estimate & { readonly significant: boolean } {
  const n = Math.min(a.length, b.length);
  const diffs = Array.from({ length: n }, (_, i) => new D(b[i]!).minus(a[i]!).toString());
  const e = estimate(diffs, places);
  const significant = e.ci95 !== '' && (new D(e.low).greaterThan(0) || new D(e.high).lessThan(0));
  return { ...e, significant };
}
