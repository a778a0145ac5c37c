import type { SignedRequestEvidence } from '../../platform/auth/evidence.js';

/**
 * A liquidity provider's standing offer to sell one currency for another: what quotes are made
 * of. It is published by a signed request, and the signature travels with every quote made from
 * it, so a payer can check that the provider really offered that rate.
 */
export interface RateSheet {
  readonly provider: string;
  /** What the provider receives (the payer's side). */
  readonly from: string;
  /** What the provider pays out. */
  readonly to: string;
  /** Major units of `to` per major unit of `from`, mid, as published (exact decimal string). */
  readonly rate: string;
  /** The provider's margin, in basis points of the rate (0..10,000). */
  readonly spreadBps: number;
  /** Most of `to` it pays out for one payment (minor units). */
  readonly maxAmount: bigint;
  readonly publishedAt: bigint;
  readonly expiresAt: bigint;
  readonly evidence: SignedRequestEvidence | null;
}

export function rateSheetKey(provider: string, from: string, to: string): string {
  return `${provider}:${from}:${to}`;
}
