import { exponential, sampleAmount } from './distributions.js';
import type { Prng } from './prng.js';
import type { WorkloadPlan } from './scenario.js';

/** One payment the workload asks for: who pays whom, how much, from which kind of wallet. */
export interface PaymentArrival {
  /** Seconds since the scenario's start. */
  readonly atSeconds: number;
  readonly generator: number;
  readonly payer: string;
  readonly payee: string;
  /** Index of the payer's customer wallet, or null for a bank payment (pacs.009). */
  readonly customerWallet: number | null;
  /** Payee side: a customer wallet index, or null for the bank itself. */
  readonly payeeCustomerWallet: number | null;
  readonly amountMinor: bigint;
  readonly currency: string;
}

export interface WorkloadContext {
  readonly currencyOf: (jurisdiction: string) => { currency: string; exponent: number };
  /** Offset of the jurisdiction's local time from UTC, seconds (fixed over a run; see below). */
  readonly utcOffsetSeconds: (jurisdiction: string) => number;
  readonly customerWallets: (bank: string) => number;
  readonly startSecondOfDayUtc: number;
}

/**
 * A Poisson process of payments on one corridor direction whose intensity follows the payer's
 * local hour of day: perDay × profile[hour] / 24 per hour. Drawn by thinning (Lewis–Shedler):
 * candidates at the peak rate, each kept with probability rate(t) / peak, which is exact for a
 * piecewise-constant intensity and needs no integration.
 *
 * The local hour uses the zone's offset at the start of the run: the founding jurisdictions keep
 * no daylight saving time, and a scenario spanning a DST change shifts its profile by an hour at
 * most.
 */
export class ArrivalGenerator {
  private t = 0;
  private readonly peakPerSecond: number;
  /** The daily profile's largest weight: thinning divides by it for every candidate. */
  private readonly peakWeight: number;
  private readonly from: { currency: string; exponent: number };
  private readonly to: { currency: string; exponent: number };
  private readonly offset: number;

  constructor(
    private readonly plan: WorkloadPlan,
    private readonly index: number,
    private readonly prng: Prng,
    private readonly context: WorkloadContext,
    scale = 1,
  ) {
    this.peakWeight = Math.max(...plan.dailyProfile);
    this.peakPerSecond = (plan.perDay * scale * this.peakWeight) / 86_400;
    this.from = context.currencyOf(plan.from);
    this.to = context.currencyOf(plan.to);
    this.offset = context.utcOffsetSeconds(plan.from) + context.startSecondOfDayUtc;
  }

  /** The next arrival at or before `untilSeconds`, or null when there is none. */
  next(untilSeconds: number): PaymentArrival | null {
    const { plan, prng } = this;
    if (this.peakPerSecond <= 0) return null;
    for (;;) {
      this.t += exponential(prng, this.peakPerSecond);
      if (this.t > untilSeconds) return null;
      const hour = Math.floor(((((this.t + this.offset) % 86_400) + 86_400) % 86_400) / 3_600);
      const weight = plan.dailyProfile[hour]! / this.peakWeight;
      if (weight < 1 && prng.next() >= weight) continue;
      const payer = prng.pick(plan.payers);
      const payee = prng.pick(plan.payees);
      const customer = plan.customerShare > 0 && prng.next() < plan.customerShare;
      const payerWallets = this.context.customerWallets(payer);
      const payeeWallets = this.context.customerWallets(payee);
      const side = plan.fixed === 'source' ? this.from : this.to;
      const major = sampleAmount(prng, plan.amount);
      // Rounded once to the currency's minor unit (half up), at least one minor unit.
      const minor = Math.max(1, Math.round(major * 10 ** side.exponent));
      return {
        atSeconds: this.t,
        generator: this.index,
        payer,
        payee,
        customerWallet: customer && payerWallets > 0 ? prng.below(payerWallets) : null,
        payeeCustomerWallet: customer && payeeWallets > 0 ? prng.below(payeeWallets) : null,
        amountMinor: BigInt(minor),
        currency: side.currency,
      };
    }
  }
}

/** The zone's offset from UTC at an instant, in seconds (Intl, once per jurisdiction per run). */
export function utcOffsetSeconds(timeZone: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(atMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((local - atMs) / 1000);
}
