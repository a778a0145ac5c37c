/**
 * `yuanbridge/scenarios`: the scenario format as TypeScript types, for scenario scripts
 * (`npx yuanbridge scenario run my-scenario.ts`). The types follow
 * scenarios/scenario.schema.json field for field (a test type-checks every bundled YAML file
 * against them); what a type cannot say (patterns, ranges, a currency's decimals) the schema and
 * the loader check when the script's scenario is run, with the same messages as for a YAML file.
 *
 * Deliberately free of imports: a script loads this and nothing of the engine.
 */

/** Seconds, or a number with a unit: `"90s"`, `"30m"`, `"12h"`, `"21d"`, `"1.5h"`. */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd'}`;

/** Major units as a decimal string (`"2500000"`, `"12.50"`): at most the currency's decimals. */
export type Money = `${number}`;

export interface Policies {
  /** true: both legs settle atomically (the service's rule); false: correspondent model. */
  readonly pvp?: boolean;
  /** Settlement cycles also settle net sets (bilateral, cycles, multilateral). */
  readonly liquiditySaving?: boolean;
  readonly queueOrder?: 'fifo' | 'customer_first' | 'largest_first';
  /** A queued payment not settled by then expires. */
  readonly expiresIn?: Duration;
  /** PvP off: how long after the payer's leg the payee's leg is attempted. */
  readonly correspondentLag?: Duration;
  /** Virtual time between settlement cycles. */
  readonly settlementInterval?: Duration;
}

export interface LiquidityProvider {
  readonly spreadBps?: number;
  /** Foreign CBDC it buys at the start, by currency code, in major units. */
  readonly holdings: Readonly<Record<string, Money>>;
}

export interface Bank {
  readonly id: string;
  readonly name?: string;
  /** Reserves its central bank credits it with. */
  readonly reserves?: Money;
  /** CBDC issued to it against those reserves. */
  readonly issued?: Money;
  readonly customerWallets?: number;
  /** Moved from the bank into each customer wallet at the start. */
  readonly customerWalletFunding?: Money;
  readonly liquidityProvider?: LiquidityProvider;
}

/** `count` banks named `<prefix>01`, `<prefix>02`, … with the same holdings. */
export interface BankGroup {
  readonly count: number;
  readonly prefix: string;
  readonly reserves?: Money;
  readonly issued?: Money;
  readonly customerWallets?: number;
  readonly customerWalletFunding?: Money;
}

export interface Jurisdiction {
  readonly code: string;
  readonly name?: string;
  readonly currency: string;
  /** IANA time zone (daily profiles and corridor hours are local). */
  readonly timeZone?: string;
  readonly centralBank: string;
  /** Units of this currency per one unit of the reporting currency, as a decimal string. */
  readonly midRate: `${number}`;
  readonly banks?: readonly Bank[];
  readonly bankGroups?: readonly BankGroup[];
}

/** `"HH:MM"`. */
export type ClockTime = `${number}:${number}`;

export interface Corridor {
  readonly between: readonly [string, string];
  readonly feeBps?: number;
  readonly feeFixed?: Money;
  /** By jurisdiction code. */
  readonly maxPayment?: Readonly<Record<string, Money>>;
  readonly dailyOutboundQuota?: Readonly<Record<string, Money>>;
  readonly hours?: { readonly open: ClockTime; readonly close: ClockTime; readonly days?: readonly number[] };
}

export type AmountDistribution =
  | { readonly distribution: 'fixed'; readonly value: number }
  | {
      readonly distribution: 'lognormal';
      readonly median: number;
      readonly sigma: number;
      readonly max?: number;
    }
  | {
      readonly distribution: 'pareto';
      readonly scale: number;
      readonly alpha: number;
      readonly max?: number;
    };

export interface Workload {
  readonly name?: string;
  readonly from: string;
  readonly to: string;
  /** Mean arrivals per day (a Poisson process). */
  readonly perDay: number;
  /** 24 weights over the payer's local hours, or a preset. */
  readonly dailyProfile?: readonly number[] | 'flat' | 'business_hours' | 'two_peaks';
  readonly amount: AmountDistribution;
  /** Amounts in the payer's currency (source) or the payee's (target). */
  readonly fixed?: 'source' | 'target';
  /** Share of payments from customer wallets (pacs.008) rather than the bank's own (pacs.009). */
  readonly customerShare?: number;
  readonly payers?: readonly string[];
  readonly payees?: readonly string[];
}

export type TimedEvent =
  | {
      readonly type: 'provider_outage';
      readonly at: Duration;
      readonly provider: string;
      readonly duration?: Duration;
    }
  | {
      readonly type: 'fx_shock';
      readonly at: Duration;
      readonly currency: string;
      /** The mid rate is multiplied by 1 + change. */
      readonly change: number;
      readonly duration?: Duration;
    }
  | {
      readonly type: 'corridor_suspension';
      readonly at: Duration;
      readonly corridor: readonly [string, string];
      /** The side whose central bank suspends it (default: the first). */
      readonly by?: string;
      readonly duration?: Duration;
    }
  | { readonly type: 'bank_run'; readonly at: Duration; readonly bank: string; readonly share: number }
  | {
      readonly type: 'freeze';
      readonly at: Duration;
      readonly institution: string;
      readonly scope?: 'all' | 'outgoing';
      readonly duration?: Duration;
    };

export interface Variant {
  readonly name: string;
  readonly description?: string;
  readonly policies?: Policies;
  /** Multiplies every generator's perDay. */
  readonly workloadScale?: number;
  /** Replaces the scenario's events. */
  readonly events?: readonly TimedEvent[];
}

/** A scenario, as a YAML file holds it (scenarios/scenario.schema.json). */
export interface ScenarioDefinition {
  readonly $schema?: string;
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  /** Virtual start time, `YYYY-MM-DDTHH:MM:SSZ` (default 2027-01-04T00:00:00Z, a Monday). */
  readonly start?: string;
  readonly duration: Duration;
  readonly replications?: number;
  readonly sampleEvery?: Duration;
  readonly reportingCurrency?: string;
  readonly policies?: Policies;
  readonly jurisdictions: readonly Jurisdiction[];
  readonly corridors: readonly Corridor[];
  readonly workload: readonly Workload[];
  readonly events?: readonly TimedEvent[];
  readonly variants?: readonly Variant[];
}

/**
 * What a script's default export may be: the scenario, or a function of the seed returning it
 * (called with `--seed` when one is given, else with no argument: give the parameter a default).
 */
export type ScenarioScript = ScenarioDefinition | ((seed?: number) => ScenarioDefinition);

/**
 * Returns its argument: it only gives the editor the types (completion, checking as you type).
 * `export default defineScenario({ … })` or `export default defineScenario((seed = 42) => ({ … }))`.
 */
export function defineScenario<T extends ScenarioScript>(scenario: T): T {
  return scenario;
}
