import { Decimal } from 'decimal.js';

/**
 * Decimal arithmetic for what the scenario reports (values summed in the reporting currency,
 * FX cost, means and confidence intervals): 40 significant digits, rounding half-even wherever
 * a result is rounded. Amounts themselves stay bigint minor units; they become decimals only to
 * be converted or averaged.
 */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof D>;

/** Minor units → major units, exactly. */
export function toMajor(minor: bigint, exponent: number): Dec {
  return new D(minor.toString()).dividedBy(new D(10).pow(exponent));
}

/** A decimal for results.json: fixed `places` decimals, half-even (stable text, no exponent form). */
export function text(value: Dec, places = 2): string {
  return value.toFixed(places, Decimal.ROUND_HALF_EVEN);
}
