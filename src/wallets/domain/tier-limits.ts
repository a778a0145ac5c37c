import type { WalletTier } from './wallet.js';

/**
 * What a customer wallet of a tier may do, in minor units of its currency; null means no cap.
 * A payment may reach a limit exactly; one minor unit over is refused.
 */
export interface TierLimits {
  /** The largest single payment out of the wallet. */
  readonly singlePayment: bigint | null;
  /** The most it may send in one local day (the wallet's jurisdiction's time zone). */
  readonly daily: bigint | null;
  /** The most it may hold. */
  readonly balance: bigint | null;
  /** The most it may send in one local calendar year. */
  readonly annual: bigint | null;
}

export const NO_CAPS: TierLimits = { singlePayment: null, daily: null, balance: null, annual: null };

export const WALLET_TIERS: readonly WalletTier[] = [1, 2, 3, 4];

const cny = (yuan: number): bigint => BigInt(yuan) * 100n;

/**
 * Defaults until a currency's central bank sets its own (PUT /v1/currencies/{code}/wallet-tiers/{tier}).
 * Only the e-CNY has published figures (2021, docs/wallets.md); any other currency has no caps
 * until its central bank sets them, rather than borrowing CNY amounts that mean nothing in it.
 */
export const DEFAULT_TIER_LIMITS: Readonly<Record<string, Readonly<Record<WalletTier, TierLimits>>>> = {
  CNY: {
    1: NO_CAPS,
    2: { singlePayment: cny(50_000), daily: cny(100_000), balance: cny(500_000), annual: null },
    3: { singlePayment: cny(50_000), daily: cny(100_000), balance: cny(500_000), annual: null },
    4: { singlePayment: cny(2_000), daily: cny(5_000), balance: cny(10_000), annual: cny(50_000) },
  },
};

export function tierLimitsKey(currency: string, tier: WalletTier): string {
  return `${currency}:${tier}`;
}

/** The limits in force: the central bank's, else the default for the currency, else none. */
export function tierLimitsOf(
  configured: { get(key: string): TierLimits | undefined },
  currency: string,
  tier: WalletTier,
): TierLimits {
  return configured.get(tierLimitsKey(currency, tier)) ?? DEFAULT_TIER_LIMITS[currency]?.[tier] ?? NO_CAPS;
}
