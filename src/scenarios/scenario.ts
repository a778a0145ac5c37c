import type { AmountDistribution } from './public.js';
/**
 * A scenario as the engine runs it: the file (scenarios/scenario.schema.json) after validation
 * and normalisation — durations in seconds, money in minor units (bigint), every default filled
 * in — so that nothing downstream re-reads the file's loose forms.
 */

export type QueueOrder = 'fifo' | 'customer_first' | 'largest_first';

export interface Policies {
  /** true: the service's atomic PvP; false: correspondent model, legs settle independently. */
  readonly pvp: boolean;
  readonly liquiditySaving: boolean;
  readonly queueOrder: QueueOrder;
  readonly expiresInSeconds: number;
  /** PvP off: delay between the payer's leg and the first attempt at the payee's leg. */
  readonly correspondentLagSeconds: number;
  readonly settlementIntervalSeconds: number;
}

export interface LiquidityProviderPlan {
  readonly spreadBps: number;
  /** Foreign currency → minor units bought at the start. */
  readonly holdings: ReadonlyArray<{ readonly currency: string; readonly amountMinor: bigint }>;
}

export interface BankPlan {
  readonly id: string;
  readonly name: string;
  readonly reservesMinor: bigint;
  readonly issuedMinor: bigint;
  readonly customerWallets: number;
  readonly customerWalletFundingMinor: bigint;
  readonly liquidityProvider: LiquidityProviderPlan | null;
}

export interface JurisdictionPlan {
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly exponent: number;
  readonly timeZone: string;
  readonly centralBank: string;
  /** Units of this currency per unit of the reporting currency (decimal string). */
  readonly midRate: string;
  readonly banks: readonly BankPlan[];
}

export interface CorridorPlan {
  readonly between: readonly [string, string];
  readonly feeBps: number;
  /** Per side (jurisdiction code), minor units of that side's currency. */
  readonly feeFixedMinor: Readonly<Record<string, bigint>>;
  readonly maxPaymentMinor: Readonly<Record<string, bigint>>;
  readonly dailyOutboundQuotaMinor: Readonly<Record<string, bigint>>;
  readonly hours: { readonly open: string; readonly close: string; readonly days: readonly number[] } | null;
}

/** The same in a file and in a script: one definition, in the import-free public types. */
export type { AmountDistribution };

export interface WorkloadPlan {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly perDay: number;
  /** 24 relative weights over the payer's local hours (normalised to mean 1). */
  readonly dailyProfile: readonly number[];
  /** In major units of the fixed side's currency. */
  readonly amount: AmountDistribution;
  readonly fixed: 'source' | 'target';
  readonly customerShare: number;
  readonly payers: readonly string[];
  readonly payees: readonly string[];
}

export type TimedEventPlan =
  | {
      readonly type: 'provider_outage';
      readonly atSeconds: number;
      readonly provider: string;
      readonly durationSeconds: number | null;
    }
  | {
      readonly type: 'fx_shock';
      readonly atSeconds: number;
      readonly currency: string;
      readonly change: number;
      readonly durationSeconds: number | null;
    }
  | {
      readonly type: 'corridor_suspension';
      readonly atSeconds: number;
      readonly corridor: readonly [string, string];
      readonly by: string;
      readonly durationSeconds: number | null;
    }
  | { readonly type: 'bank_run'; readonly atSeconds: number; readonly bank: string; readonly share: number }
  | {
      readonly type: 'freeze';
      readonly atSeconds: number;
      readonly institution: string;
      readonly scope: 'all' | 'outgoing';
      readonly durationSeconds: number | null;
    };

export interface VariantPlan {
  readonly name: string;
  readonly description: string;
  readonly policies: Policies;
  readonly workloadScale: number;
  readonly events: readonly TimedEventPlan[];
}

export interface ScenarioPlan {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  /** Virtual start, ns since the epoch. */
  readonly startNs: bigint;
  readonly durationSeconds: number;
  readonly replications: number;
  readonly sampleEverySeconds: number;
  readonly reportingCurrency: string;
  readonly jurisdictions: readonly JurisdictionPlan[];
  readonly corridors: readonly CorridorPlan[];
  readonly workload: readonly WorkloadPlan[];
  /** The baseline is variants[0] (named "baseline"); the file's variants follow. */
  readonly variants: readonly VariantPlan[];
  /** SHA-256 of the file's text, recorded in results so a result names what produced it. */
  readonly sourceDigest: string;
}

/** What one replication runs: the plan, one variant of it, and the replication's number. */
export interface ReplicationTask {
  readonly plan: ScenarioPlan;
  readonly variant: string;
  readonly replication: number;
  /** Overrides plan.seed (CLI --seed). */
  readonly seed: number;
}
