import type { DomainEvent } from '../platform/decider/decider.js';
import { TransferCodes } from '../institutions/domain/chart-of-accounts.js';
import type { Transfer } from '../ledger/domain/model.js';
import type { PaymentInstruction, SettledLeg } from '../payments/domain/payment.js';
import { D, text, toMajor, type Dec } from './money.js';
import { ReportingSum } from './reporting-sum.js';

/**
 * Everything a researcher measures, collected from the events as the engine appends them (the
 * payments module's, the ledger's, and the correspondent model's own), never from the engine's
 * private variables: what the metrics say is what the log says.
 */
export interface MetricsContext {
  readonly startNs: bigint;
  readonly sampleEverySeconds: number;
  /** Bank wallet accounts: whose, in which currency. */
  readonly bankWallets: ReadonlyMap<string, { readonly bank: string; readonly currency: string }>;
  readonly clearingAccounts: ReadonlySet<string>;
  readonly exponentOf: (currency: string) => number;
  /** Units of `currency` per reporting unit, now (timed FX shocks move it). */
  readonly midRate: (currency: string) => Dec;
  /** Changes whenever a mid rate changes, so FX cost is summed per rate regime. */
  readonly midEpoch: () => number;
  readonly reportingCurrency: string;
}

interface FxSums {
  payments: number;
  sold: bigint;
  bought: bigint;
  /** Units of the bought currency per unit sold, at the mid rates of the epoch. */
  readonly rate: Dec;
}

/** A bank wallet's position, relative to the start (minor units), and its lows. */
interface Liquidity {
  readonly key: string;
  moved: boolean;
  position: bigint;
  /** Lowest position so far; undefined while it never went below the start. */
  lowest: bigint | undefined;
  /** Lowest in the current sampling bucket; undefined until it first goes below the start. */
  bucketLowest: bigint | undefined;
}

interface Pending {
  readonly id: string;
  readonly receivedAt: bigint;
  readonly corridor: CorridorVolume;
}

/** A corridor's settled volume, found when a payment is received and kept on its record. */
interface CorridorVolume {
  /** `${payer jurisdiction}>${payee jurisdiction}` (corridorOf). */
  readonly key: string;
  /** Whether in volumeByCorridor: a corridor is listed once a payment of it settles. */
  listed: boolean;
  payments: number;
  readonly value: ReportingSum;
}

export interface SeriesRow {
  readonly t: number;
  received: number;
  settled: number;
  queueLength: number;
  meanQueueDelaySeconds: number;
  herstattExposure: string;
  /** Per bank-currency key: lowest position (minor units, relative to the start) in the bucket. */
  readonly liquidity: Record<string, string>;
}

const HISTOGRAM_BOUNDS = [0, 1, 10, 60, 600, 3_600, 21_600, 86_400, Infinity];
const HISTOGRAM_LABELS = ['0 s', '≤1 s', '≤10 s', '≤1 min', '≤10 min', '≤1 h', '≤6 h', '≤1 d', '>1 d'];

export class MetricsCollector {
  active = false;
  private received = 0;
  private settled = 0;
  private queuedOnArrival = 0;
  private expired = 0;
  private cancelled = 0;
  private halfSettled = 0;
  private readonly settledBy = new Map<string, number>();
  private readonly rejected = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  /**
   * The payment received in the decision being observed, kept out of `pending` until the decision
   * ends: most payments settle in the decision that receives them, and a set then a delete per
   * payment made the map reallocate its table as it emptied (~150 bytes a payment). A payment id
   * is received once (the deciders refuse a reused one), so no older record of it can be pending.
   */
  private justReceived: Pending | null = null;
  private durations = new Float64Array(1 << 16);
  private durationCount = 0;
  private readonly netGross = new Map<string, bigint>();
  private readonly netPaidIn = new Map<string, bigint>();
  private paymentsSettledNet = 0;
  private readonly fees = new Map<string, bigint>();
  /** `${from}>${to}@${epoch}` → sums, and the mid rates of that epoch. */
  private readonly fx = new Map<string, FxSums>();
  /** The entries of `fx` for the current mid-rate epoch, by sold then bought currency. */
  private readonly fxIndex = new Map<string, Map<string, FxSums>>();
  private fxIndexEpoch = -1;
  private readonly volumeByCurrency = new Map<string, { payments: number; minor: bigint }>();
  private readonly volumeByCorridor = new Map<string, CorridorVolume>();
  /**
   * Every corridor record by payer then payee jurisdiction, and by key: a payment's record is
   * found from its parties' jurisdictions, without building the corridor's key text per payment
   * and hashing it again to look it up when the payment settles.
   */
  private readonly corridorsByParties = new Map<string, Map<string, CorridorVolume>>();
  private readonly corridorsByKey = new Map<string, CorridorVolume>();
  // Herstatt: exposure opened by a paid payer leg, closed by the payee leg.
  private readonly exposed = new Map<string, Dec>();
  private exposure: Dec = new D(0);
  private exposurePeak: Dec = new D(0);
  /** Whether the exposure went up since the last endOfDecision. */
  private exposureRose = false;
  private exposureSeconds: Dec = new D(0);
  private exposureSince = 0n;
  private exposedPayments = 0;
  private realisedLoss: Dec = new D(0);
  private queuePeak = 0;
  /** Per currency: what one minor unit is divided by to be in the reporting currency, and when. */
  private readonly reportingUnits = new Map<string, { epoch: number; divisor: Dec }>();
  /**
   * Bank wallet account → its liquidity record: one lookup per transfer leg, where a map per
   * measure keyed by `bank.currency` took five.
   */
  private readonly liquidity = new Map<string, Liquidity>();
  /** Records in the order they first moved: the order of the series' liquidity columns. */
  private readonly moved: Liquidity[] = [];
  /** Records in the order they first went below their start. */
  private readonly belowStart: Liquidity[] = [];
  readonly series: SeriesRow[] = [];
  private bucket: SeriesRow;

  constructor(private readonly context: MetricsContext) {
    this.bucket = this.newBucket(0);
    for (const [account, wallet] of context.bankWallets)
      this.liquidity.set(account, {
        key: `${wallet.bank}.${wallet.currency}`,
        moved: false,
        position: 0n,
        lowest: undefined,
        bucketLowest: undefined,
      });
  }

  private newBucket(t: number): SeriesRow {
    return {
      t,
      received: 0,
      settled: 0,
      queueLength: 0,
      meanQueueDelaySeconds: 0,
      herstattExposure: '0',
      liquidity: {},
    };
  }

  /** The store's subscriber. */
  observe(event: DomainEvent, at: bigint): void {
    if (!this.active) return;
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'TransferCreated':
        return this.transfer((data as { transfer: Transfer }).transfer);
      case 'PaymentReceived': {
        const payment = data.payment as PaymentInstruction;
        this.receive(payment.id, at, this.corridor(payment.payer.jurisdiction, payment.payee.jurisdiction));
        return;
      }
      case 'PaymentQueued':
        this.queuedOnArrival++;
        return;
      case 'PaymentSettled': {
        const d = data as unknown as PaymentSettledData;
        this.settle(d.paymentId, at, d.settledBy, d.sell, d.buy, d.fee);
        if (d.settledBy !== 'gross') {
          this.paymentsSettledNet++;
          for (const leg of d.legs) add(this.netGross, leg.currency, leg.amountMinor);
        }
        return;
      }
      case 'PaymentRejected':
        this.reject(data.paymentId as string, data.code as string);
        return;
      case 'PaymentExpired':
        this.expired++;
        this.take(data.paymentId as string);
        return;
      case 'PaymentCancelled':
        this.cancelled++;
        this.take(data.paymentId as string);
        return;
      // The correspondent model (PvP off): the engine's own record of each leg.
      case 'CorrespondentPaymentReceived':
        this.receive(data.paymentId as string, at, this.corridorByKey(data.corridor as string));
        return;
      case 'CorrespondentPaymentQueued':
        this.queuedOnArrival++;
        return;
      case 'CorrespondentPayerLegSettled': {
        const value = this.reporting(data.currency as string, data.amountMinor as bigint);
        this.moveExposure(at);
        this.exposed.set(data.paymentId as string, value);
        this.exposure = this.exposure.plus(value);
        this.exposureRose = true;
        this.exposedPayments++;
        return;
      }
      case 'CorrespondentPaymentSettled': {
        this.closeExposure(data.paymentId as string, at, false);
        const d = data as unknown as PaymentSettledData;
        this.settle(d.paymentId, at, 'correspondent', d.sell, d.buy, d.fee);
        return;
      }
      case 'CorrespondentPaymentRejected':
        this.reject(data.paymentId as string, data.code as string);
        return;
      case 'CorrespondentPaymentExpired':
        this.expired++;
        this.take(data.paymentId as string);
        if (this.exposed.has(data.paymentId as string)) {
          this.halfSettled++;
          this.closeExposure(data.paymentId as string, at, true);
        }
        return;
      default:
        return;
    }
  }

  /** A received payment's record, no longer pending (undefined if it was not). */
  private take(id: string): Pending | undefined {
    const just = this.justReceived;
    if (just !== null && just.id === id) {
      this.justReceived = null;
      return just;
    }
    const pending = this.pending.get(id);
    if (pending !== undefined) this.pending.delete(id);
    return pending;
  }

  /** After each decision: the peak exposure is what stood between decisions, not within one. */
  endOfDecision(): void {
    if (this.justReceived !== null) {
      this.pending.set(this.justReceived.id, this.justReceived);
      this.justReceived = null;
    }
    // Only a paid payer leg raises the exposure: most decisions (every one under PvP) skip the
    // decimal comparison.
    if (!this.exposureRose) return;
    this.exposureRose = false;
    if (this.exposure.greaterThan(this.exposurePeak)) this.exposurePeak = this.exposure;
  }

  private corridor(from: string, to: string): CorridorVolume {
    let byPayee = this.corridorsByParties.get(from);
    if (byPayee === undefined) {
      byPayee = new Map();
      this.corridorsByParties.set(from, byPayee);
    }
    let corridor = byPayee.get(to);
    if (corridor === undefined) {
      corridor = this.corridorByKey(corridorOf(from, to));
      byPayee.set(to, corridor);
    }
    return corridor;
  }

  private corridorByKey(key: string): CorridorVolume {
    let corridor = this.corridorsByKey.get(key);
    if (corridor === undefined) {
      corridor = { key, listed: false, payments: 0, value: new ReportingSum() };
      this.corridorsByKey.set(key, corridor);
    }
    return corridor;
  }

  private receive(id: string, at: bigint, corridor: CorridorVolume): void {
    this.received++;
    this.bucket.received++;
    if (this.justReceived !== null) this.pending.set(this.justReceived.id, this.justReceived);
    this.justReceived = { id, receivedAt: at, corridor };
  }

  private reject(id: string, code: string): void {
    this.rejected.set(code, (this.rejected.get(code) ?? 0) + 1);
    this.take(id);
  }

  private settle(
    id: string,
    at: bigint,
    by: string,
    sell: { currency: string; amountMinor: bigint },
    buy: { currency: string; amountMinor: bigint },
    fee: { currency: string; amountMinor: bigint },
  ): void {
    const pending = this.take(id);
    this.settled++;
    this.bucket.settled++;
    this.settledBy.set(by, (this.settledBy.get(by) ?? 0) + 1);
    if (pending !== undefined) {
      if (this.durationCount === this.durations.length) {
        const grown = new Float64Array(this.durations.length * 2);
        grown.set(this.durations);
        this.durations = grown;
      }
      // A duration is a measurement, not money: seconds as a float. Most payments settle in the
      // decision that receives them: 0 without a bigint subtraction (an allocation) each.
      const received = pending.receivedAt;
      this.durations[this.durationCount++] = at === received ? 0 : Number(at - received) / 1e9;
      const corridor = pending.corridor;
      if (!corridor.listed) {
        corridor.listed = true;
        this.volumeByCorridor.set(corridor.key, corridor);
      }
      corridor.payments++;
      corridor.value.add(sell.amountMinor, this.reportingDivisor(sell.currency));
    }
    let volume = this.volumeByCurrency.get(sell.currency);
    if (volume === undefined) {
      volume = { payments: 0, minor: 0n };
      this.volumeByCurrency.set(sell.currency, volume);
    }
    volume.payments++;
    volume.minor += sell.amountMinor;
    add(this.fees, fee.currency, fee.amountMinor);
    const fx = this.fxSums(sell.currency, buy.currency);
    fx.payments++;
    fx.sold += sell.amountMinor;
    fx.bought += buy.amountMinor;
  }

  /**
   * The FX sums of a pair under the mid rates in force (`${from}>${to}@${epoch}` in `fx`, made on
   * first use there, in order). Found through a per-epoch pair index: no key text per payment.
   */
  private fxSums(from: string, to: string): FxSums {
    const epoch = this.context.midEpoch();
    if (epoch !== this.fxIndexEpoch) {
      this.fxIndex.clear();
      this.fxIndexEpoch = epoch;
    }
    let byTo = this.fxIndex.get(from);
    if (byTo === undefined) {
      byTo = new Map();
      this.fxIndex.set(from, byTo);
    }
    let fx = byTo.get(to);
    if (fx === undefined) {
      const key = `${from}>${to}@${epoch}`;
      fx = this.fx.get(key);
      if (fx === undefined) {
        fx = {
          payments: 0,
          sold: 0n,
          bought: 0n,
          rate: this.context.midRate(to).dividedBy(this.context.midRate(from)),
        };
        this.fx.set(key, fx);
      }
      byTo.set(to, fx);
    }
    return fx;
  }

  private transfer(t: Transfer): void {
    const amount = t.amount;
    if (
      t.code === TransferCodes.netSettlement &&
      t.debitAccountId !== null &&
      !this.context.clearingAccounts.has(t.debitAccountId)
    )
      add(this.netPaidIn, t.currency, amount);
    this.moveLiquidity(t.debitAccountId, -amount);
    this.moveLiquidity(t.creditAccountId, amount);
  }

  private moveLiquidity(account: string | null, delta: bigint): void {
    if (account === null) return;
    const l = this.liquidity.get(account);
    if (l === undefined) return;
    if (!l.moved) {
      l.moved = true;
      this.moved.push(l);
    }
    const next = l.position + delta;
    l.position = next;
    if (next < (l.lowest ?? 0n)) {
      if (l.lowest === undefined) this.belowStart.push(l);
      l.lowest = next;
    }
    if (next < (l.bucketLowest ?? 0n)) l.bucketLowest = next;
  }

  private moveExposure(at: bigint): void {
    if (at > this.exposureSince) {
      this.exposureSeconds = this.exposureSeconds.plus(
        this.exposure.times(Number(at - this.exposureSince) / 1e9),
      );
      this.exposureSince = at;
    }
  }

  private closeExposure(id: string, at: bigint, lost: boolean): void {
    const value = this.exposed.get(id);
    if (value === undefined) return;
    this.moveExposure(at);
    this.exposed.delete(id);
    this.exposure = this.exposure.minus(value);
    if (lost) this.realisedLoss = this.realisedLoss.plus(value);
  }

  /**
   * Minor units of `currency` → the reporting currency at the mid rate in force. One division by
   * 10^exponent × mid (exact: a power of ten only moves the point) instead of an exact toMajor and
   * then a division by mid: both are the correctly rounded quotient of the same two numbers, so
   * the result is the same, for a division and no power per settled payment. The divisor is kept
   * per currency until the mid rates change (midEpoch).
   */
  private reporting(currency: string, minor: bigint): Dec {
    return new D(minor.toString()).dividedBy(this.reportingDivisor(currency));
  }

  /**
   * The same Dec object for a currency until the mid rates change: ReportingSum tells a new run
   * of terms by the divisor's identity.
   */
  private reportingDivisor(currency: string): Dec {
    const epoch = this.context.midEpoch();
    let unit = this.reportingUnits.get(currency);
    if (unit === undefined || unit.epoch !== epoch) {
      unit = {
        epoch,
        divisor: new D(10).pow(this.context.exponentOf(currency)).times(this.context.midRate(currency)),
      };
      this.reportingUnits.set(currency, unit);
    }
    return unit.divisor;
  }

  /** Closes the time bucket ending at `t` (seconds since the start) with the queue as it stands. */
  sample(t: number, at: bigint, queueLength: number, meanQueueDelaySeconds: number): void {
    this.moveExposure(at);
    const row = this.bucket;
    row.queueLength = queueLength;
    row.meanQueueDelaySeconds = meanQueueDelaySeconds;
    row.herstattExposure = text(this.exposure);
    for (const l of this.moved) {
      row.liquidity[l.key] = (l.bucketLowest ?? l.position).toString();
      l.bucketLowest = l.position;
    }
    this.series.push(row);
    this.bucket = this.newBucket(t);
    this.notePeakQueue(queueLength);
  }

  notePeakQueue(length: number): void {
    if (length > this.queuePeak) this.queuePeak = length;
  }

  finish(at: bigint, queuedAtEnd: number): ReplicationMetrics {
    this.moveExposure(at);
    const ctx = this.context;
    // A typed array sorts numerically without a comparator call per comparison (the durations
    // are finite and never -0, so the order is the one `(a, b) => a - b` gave).
    const durations = this.durations.slice(0, this.durationCount).sort();
    const quantile = (q: number) =>
      durations.length === 0
        ? 0
        : durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!;
    const histogram = HISTOGRAM_LABELS.map((label) => ({ label, count: 0 }));
    for (const d of durations) histogram[HISTOGRAM_BOUNDS.findIndex((b) => d <= b)]!.count++;
    const mean = durations.length === 0 ? 0 : durations.reduce((s, d) => s + d, 0) / durations.length;

    const usedByBank = this.belowStart
      .map(({ key, lowest }) => {
        const low = lowest!;
        const [bank, currency] = key.split('.') as [string, string];
        return {
          bank,
          currency,
          used: text(toMajor(-low, ctx.exponentOf(currency)), ctx.exponentOf(currency)),
        };
      })
      .sort((a, b) => (a.bank + a.currency < b.bank + b.currency ? -1 : 1));
    const usedByCurrency = sumBy(
      usedByBank,
      (r) => r.currency,
      (r) => new D(r.used),
    );
    let usedTotal = new D(0);
    for (const [currency, used] of usedByCurrency)
      usedTotal = usedTotal.plus(used.dividedBy(ctx.midRate(currency)));

    const currencies = [...new Set([...this.netGross.keys(), ...this.netPaidIn.keys()])].sort();
    let savedTotal = new D(0);
    const saved: Record<string, { gross: string; net: string; saved: string }> = {};
    for (const c of currencies) {
      const gross = this.netGross.get(c) ?? 0n;
      const net = this.netPaidIn.get(c) ?? 0n;
      const e = ctx.exponentOf(c);
      saved[c] = {
        gross: text(toMajor(gross, e), e),
        net: text(toMajor(net, e), e),
        saved: text(toMajor(gross - net, e), e),
      };
      savedTotal = savedTotal.plus(toMajor(gross - net, e).dividedBy(ctx.midRate(c)));
    }

    let fxCost = new D(0);
    const byPair = new Map<string, { payments: number; sold: Dec; bought: Dec; cost: Dec; to: string }>();
    for (const [key, f] of this.fx) {
      const pair = key.split('@')[0]!;
      const [from, to] = pair.split('>') as [string, string];
      // What the payee would have had at the mid rate, less what it got: the spread paid, in `to`.
      const atMid = toMajor(f.sold, ctx.exponentOf(from)).times(f.rate);
      const cost = atMid.minus(toMajor(f.bought, ctx.exponentOf(to)));
      const entry = byPair.get(pair) ?? { payments: 0, sold: new D(0), bought: new D(0), cost: new D(0), to };
      entry.payments += f.payments;
      entry.sold = entry.sold.plus(toMajor(f.sold, ctx.exponentOf(from)));
      entry.bought = entry.bought.plus(toMajor(f.bought, ctx.exponentOf(to)));
      entry.cost = entry.cost.plus(cost);
      byPair.set(pair, entry);
      fxCost = fxCost.plus(cost.dividedBy(ctx.midRate(to)));
    }
    let feesTotal = new D(0);
    const fees: Record<string, string> = {};
    for (const [c, minor] of [...this.fees.entries()].sort()) {
      fees[c] = text(toMajor(minor, ctx.exponentOf(c)), ctx.exponentOf(c));
      feesTotal = feesTotal.plus(toMajor(minor, ctx.exponentOf(c)).dividedBy(ctx.midRate(c)));
    }
    let volumeTotal = new D(0);
    const volumeValue = new Map<string, Dec>();
    for (const [c, v] of this.volumeByCurrency) {
      const value = toMajor(v.minor, ctx.exponentOf(c)).dividedBy(ctx.midRate(c));
      volumeValue.set(c, value);
      volumeTotal = volumeTotal.plus(value);
    }
    const share = (value: Dec) => (volumeTotal.isZero() ? '0.0000' : text(value.dividedBy(volumeTotal), 4));
    const settlementRate = this.received === 0 ? 0 : this.settled / this.received;

    const metrics: ReplicationMetrics = {
      payments: {
        received: this.received,
        settled: this.settled,
        settlementRate: settlementRate.toFixed(6),
        settledBy: Object.fromEntries([...this.settledBy.entries()].sort()),
        queuedOnArrival: this.queuedOnArrival,
        rejected: Object.fromEntries([...this.rejected.entries()].sort()),
        expired: this.expired,
        cancelled: this.cancelled,
        halfSettled: this.halfSettled,
        queuedAtEnd,
      },
      settlementTimeSeconds: {
        mean: mean.toFixed(3),
        p50: quantile(0.5).toFixed(3),
        p90: quantile(0.9).toFixed(3),
        p99: quantile(0.99).toFixed(3),
        max: (durations[durations.length - 1] ?? 0).toFixed(3),
        histogram,
      },
      queue: {
        peakLength: this.queuePeak,
        meanLength: (
          this.series.reduce((s, r) => s + r.queueLength, 0) / Math.max(1, this.series.length)
        ).toFixed(3),
      },
      liquidity: { usedByBank, usedByCurrency: record(usedByCurrency, ctx), usedTotal: text(usedTotal) },
      liquiditySaved: {
        byCurrency: saved,
        total: text(savedTotal),
        paymentsSettledNet: this.paymentsSettledNet,
      },
      fx: {
        cost: text(fxCost),
        byPair: Object.fromEntries(
          [...byPair.entries()].sort().map(([pair, f]) => [
            pair,
            {
              payments: f.payments,
              sold: text(f.sold, 2),
              bought: text(f.bought, 2),
              cost: text(f.cost, ctx.exponentOf(f.to)),
            },
          ]),
        ),
      },
      fees: { byCurrency: fees, total: text(feesTotal) },
      herstatt: {
        peakExposure: text(this.exposurePeak),
        exposureDays: text(this.exposureSeconds.dividedBy(86_400)),
        realisedLoss: text(this.realisedLoss),
        paymentsExposed: this.exposedPayments,
      },
      volume: {
        total: text(volumeTotal),
        byCurrency: Object.fromEntries(
          [...this.volumeByCurrency.entries()]
            .sort()
            .map(([c, v]) => [
              c,
              { payments: v.payments, value: text(volumeValue.get(c)!), share: share(volumeValue.get(c)!) },
            ]),
        ),
        byCorridor: Object.fromEntries(
          [...this.volumeByCorridor.entries()].sort().map(([k, v]) => {
            const value = v.value.toDecimal();
            return [k, { payments: v.payments, value: text(value), share: share(value) }];
          }),
        ),
      },
    };
    return metrics;
  }
}

interface PaymentSettledData {
  paymentId: string;
  settledBy: string;
  sell: { currency: string; amountMinor: bigint };
  buy: { currency: string; amountMinor: bigint };
  fee: { currency: string; amountMinor: bigint };
  legs: readonly SettledLeg[];
}

export interface ReplicationMetrics {
  readonly payments: {
    readonly received: number;
    readonly settled: number;
    readonly settlementRate: string;
    readonly settledBy: Record<string, number>;
    readonly queuedOnArrival: number;
    readonly rejected: Record<string, number>;
    readonly expired: number;
    readonly cancelled: number;
    readonly halfSettled: number;
    readonly queuedAtEnd: number;
  };
  readonly settlementTimeSeconds: {
    readonly mean: string;
    readonly p50: string;
    readonly p90: string;
    readonly p99: string;
    readonly max: string;
    readonly histogram: ReadonlyArray<{ label: string; count: number }>;
  };
  readonly queue: { readonly peakLength: number; readonly meanLength: string };
  readonly liquidity: {
    readonly usedByBank: ReadonlyArray<{ bank: string; currency: string; used: string }>;
    readonly usedByCurrency: Record<string, string>;
    readonly usedTotal: string;
  };
  readonly liquiditySaved: {
    readonly byCurrency: Record<string, { gross: string; net: string; saved: string }>;
    readonly total: string;
    readonly paymentsSettledNet: number;
  };
  readonly fx: {
    readonly cost: string;
    readonly byPair: Record<string, { payments: number; sold: string; bought: string; cost: string }>;
  };
  readonly fees: { readonly byCurrency: Record<string, string>; readonly total: string };
  readonly herstatt: {
    readonly peakExposure: string;
    readonly exposureDays: string;
    readonly realisedLoss: string;
    readonly paymentsExposed: number;
  };
  readonly volume: {
    readonly total: string;
    readonly byCurrency: Record<string, { payments: number; value: string; share: string }>;
    readonly byCorridor: Record<string, { payments: number; value: string; share: string }>;
  };
}

/**
 * The scalar metrics compared across replications and variants (name → value), each one a
 * number a confidence interval makes sense for. Money values are in the reporting currency.
 */
export function scalarMetrics(m: ReplicationMetrics): Record<string, string> {
  return {
    'payments.received': String(m.payments.received),
    'payments.settled': String(m.payments.settled),
    'payments.settlementRate': m.payments.settlementRate,
    'payments.expired': String(m.payments.expired),
    'payments.rejected': String(Object.values(m.payments.rejected).reduce((s, n) => s + n, 0)),
    'payments.settledNet': String(m.liquiditySaved.paymentsSettledNet),
    'settlementTime.meanSeconds': m.settlementTimeSeconds.mean,
    'settlementTime.p99Seconds': m.settlementTimeSeconds.p99,
    'queue.peakLength': String(m.queue.peakLength),
    'queue.meanLength': m.queue.meanLength,
    'liquidity.usedTotal': m.liquidity.usedTotal,
    'liquidity.saved': m.liquiditySaved.total,
    'fx.cost': m.fx.cost,
    'fees.total': m.fees.total,
    'herstatt.peakExposure': m.herstatt.peakExposure,
    'herstatt.exposureDays': m.herstatt.exposureDays,
    'herstatt.realisedLoss': m.herstatt.realisedLoss,
    'volume.total': m.volume.total,
  };
}

function add(map: Map<string, bigint>, key: string, amount: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + amount);
}

function sumBy<T>(rows: readonly T[], key: (r: T) => string, value: (r: T) => Dec): Map<string, Dec> {
  const out = new Map<string, Dec>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? new D(0)).plus(value(r)));
  return out;
}

function record(map: Map<string, Dec>, ctx: MetricsContext): Record<string, string> {
  return Object.fromEntries([...map.entries()].sort().map(([c, v]) => [c, text(v, ctx.exponentOf(c))]));
}

export function corridorOf(a: string, b: string): string {
  return `${a}>${b}`;
}
