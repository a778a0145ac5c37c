import type { Prng } from './prng.js';
import type { AmountDistribution } from './scenario.js';

/**
 * Samplers for the workload. They return floats: a draw is a random quantity (an amount before
 * it is rounded once to minor units, a waiting time), never money being computed with.
 */

/** Exponential with the given rate (mean 1/rate), by inversion. */
export function exponential(prng: Prng, rate: number): number {
  return -Math.log(prng.nextOpen()) / rate;
}

/** Standard normal, Box–Muller (one of the pair; simpler than caching, and the cost is small). */
export function standardNormal(prng: Prng): number {
  const u = prng.nextOpen();
  const v = prng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given median (e^μ) and σ of the log. */
export function logNormal(prng: Prng, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(prng));
}

/** Pareto type I: scale xm (the minimum) and shape α, by inversion. */
export function pareto(prng: Prng, scale: number, alpha: number): number {
  return scale / Math.pow(prng.nextOpen(), 1 / alpha);
}

/** A draw of the amount distribution, in major units; `max` truncates (heavy tails meet a cap). */
export function sampleAmount(prng: Prng, amount: AmountDistribution): number {
  switch (amount.distribution) {
    case 'fixed':
      return amount.value;
    case 'lognormal': {
      const x = logNormal(prng, amount.median, amount.sigma);
      return amount.max === undefined ? x : Math.min(x, amount.max);
    }
    case 'pareto': {
      const x = pareto(prng, amount.scale, amount.alpha);
      return amount.max === undefined ? x : Math.min(x, amount.max);
    }
  }
}

/** The theoretical mean and variance (untruncated), for tests and the report's notes. */
export function moments(amount: AmountDistribution): { mean: number; variance: number } {
  switch (amount.distribution) {
    case 'fixed':
      return { mean: amount.value, variance: 0 };
    case 'lognormal': {
      const s2 = amount.sigma * amount.sigma;
      const mu = Math.log(amount.median);
      return { mean: Math.exp(mu + s2 / 2), variance: (Math.exp(s2) - 1) * Math.exp(2 * mu + s2) };
    }
    case 'pareto': {
      const { scale: xm, alpha: a } = amount;
      return {
        mean: a > 1 ? (a * xm) / (a - 1) : Infinity,
        variance: a > 2 ? (xm * xm * a) / ((a - 1) * (a - 1) * (a - 2)) : Infinity,
      };
    }
  }
}
