import { Decimal } from 'decimal.js';
import type { Decision, DomainEvent } from '../platform/decider/decider.js';
import {
  bankWalletAccountId,
  settlementClearingAccountId,
} from '../institutions/domain/chart-of-accounts.js';
import type { SubmitPayment } from '../payments/domain/payments.commands.js';
import type { PaymentInstruction } from '../payments/domain/payment.js';
import { CorrespondentSettlement } from './correspondent-settlement.js';
import { tuneHeapForTheEngine } from './engine-heap.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { MetricsCollector, type ReplicationMetrics, type SeriesRow } from './metrics.js';
import { D } from './money.js';
import { networkCommands, OPERATOR_ID, type CustomerWalletIds } from './network-setup.js';
import { Prng } from './prng.js';
import type { ReplicationTask, ScenarioPlan, VariantPlan } from './scenario.js';
import {
  decideInWorld,
  evolveAccepted,
  newSimulationWorld,
  type SimulationWorld,
  type WorldCommand,
} from './simulation-world.js';
import { applyTimedEvent, timedEventLabel, type TimedEventRecord } from './timed-events.js';
import { ArrivalGenerator, utcOffsetSeconds, type PaymentArrival } from './workload.js';
import { VirtualTimeline } from './virtual-timeline.js';

const NS_PER_SECOND = 1_000_000_000;

export interface ReplicationResult {
  readonly variant: string;
  readonly replication: number;
  readonly seed: number;
  readonly metrics: ReplicationMetrics;
  readonly series: readonly SeriesRow[];
  readonly timedEvents: readonly TimedEventRecord[];
  /** Refused outright by the deciders (4xx, nothing written), by code: a workload that cannot be a payment. */
  readonly refused: Record<string, number>;
  readonly eventsWritten: number;
}

export interface ReplicationOptions {
  /** Keep the whole log in memory (tests, audit of a small run). */
  readonly retainEvents?: boolean;
  /** Called now and then with the share of virtual time done (0..1). */
  readonly onProgress?: (done: number) => void;
  /** Receives the store and world at the end (tests). */
  readonly inspect?: (store: InMemoryEventStore, world: SimulationWorld) => void;
  /**
   * Each command the deciders accepted, with the virtual instant it was decided at and its events
   * (persisting a run replays these through the service's sequencer, persist-run.ts).
   */
  readonly onAccepted?: (command: WorldCommand, at: bigint, events: readonly DomainEvent[]) => void;
}

type Scheduled =
  | { readonly kind: 'arrival'; readonly arrival: PaymentArrival }
  | { readonly kind: 'cycle' }
  | { readonly kind: 'sample' }
  | { readonly kind: 'timed'; readonly index: number; readonly phase: 'start' | 'end' };

/** A setup command the deciders refused: the scenario describes a network that cannot exist. */
export class ScenarioSetupFailed extends Error {}

/**
 * One replication of one variant, on virtual time: build the network with the deciders, then
 * walk a timeline of arrivals (Poisson per workload generator), settlement cycles (the payments
 * module's RunSettlementCycle, every settlementInterval while anything waits), timed events and
 * sampling ticks, each command decided and its events evolved and appended to the in-memory
 * store, where the metrics collector reads them. Deterministic: everything random comes from
 * streams forked off (seed, replication), and nothing reads the wall clock.
 */
export function runReplication(task: ReplicationTask, options: ReplicationOptions = {}): ReplicationResult {
  tuneHeapForTheEngine();
  const { plan, replication, seed } = task;
  const variant = plan.variants.find((v) => v.name === task.variant);
  if (variant === undefined) throw new Error(`no variant ${task.variant} in scenario ${plan.name}`);
  // Forked by replication only, never by variant: every variant sees the same workload.
  const root = new Prng(seed).fork(`replication:${replication}`);
  const world = newSimulationWorld();
  const store = new InMemoryEventStore(options.retainEvents ?? false);
  const mid = new Map(plan.jurisdictions.map((j) => [j.currency, new Decimal(j.midRate)]));
  let midEpoch = 0;
  let now = plan.startNs;
  const exponentOf = new Map(plan.jurisdictions.map((j) => [j.currency, j.exponent]));
  const bankWallets = new Map<string, { bank: string; currency: string }>();
  for (const j of plan.jurisdictions)
    for (const b of j.banks)
      for (const currency of [j.currency, ...(b.liquidityProvider?.holdings.map((h) => h.currency) ?? [])])
        bankWallets.set(bankWalletAccountId(b.id, currency), { bank: b.id, currency });
  const collector = new MetricsCollector({
    startNs: plan.startNs,
    sampleEverySeconds: plan.sampleEverySeconds,
    bankWallets,
    clearingAccounts: new Set(plan.jurisdictions.map((j) => settlementClearingAccountId(j.currency))),
    exponentOf: (c) => exponentOf.get(c) ?? 2,
    midRate: (c) => new D(mid.get(c)!.toString()),
    midEpoch: () => midEpoch,
    reportingCurrency: plan.reportingCurrency,
  });
  store.subscribe((event, at) => collector.observe(event, at));

  const execute = (command: WorldCommand): Decision<DomainEvent, unknown> => {
    // A command built at this instant (a payment) already says so: no copy of it per payment.
    const decision = decideInWorld(command.now === now ? command : { ...command, now }, world);
    if (decision.kind === 'accepted') {
      evolveAccepted(world, decision.events, decision.workedOut);
      store.append(decision.events, now);
      collector.endOfDecision();
      options.onAccepted?.(command, now, decision.events);
    }
    return decision;
  };

  // The network, as the service's bootstrap would build it.
  const setup = networkCommands(plan, root.fork('setup'), mid);
  for (const command of setup.commands) {
    const decision = execute(command);
    if (decision.kind === 'rejected') {
      throw new ScenarioSetupFailed(
        `setting up the network: ${command.type} by ${String(command.actor)} was refused: ${decision.rejection.code} (${decision.rejection.detail})`,
      );
    }
  }
  collector.active = true;

  const providersDown = new Set<string>();
  const correspondent = new CorrespondentSettlement(
    world,
    execute,
    (event) => {
      store.append([event], now);
      collector.endOfDecision();
    },
    OPERATOR_ID,
    variant.policies.correspondentLagSeconds,
    (p) => providersDown.has(p),
  );
  const ids = root.fork('ids');
  const timedEvents: TimedEventRecord[] = [];
  const refused: Record<string, number> = {};
  const startMs = Number(plan.startNs / 1_000_000n);
  const startSecondOfDayUtc = Math.floor(startMs / 1000) % 86_400;
  const offsets = new Map(plan.jurisdictions.map((j) => [j.code, utcOffsetSeconds(j.timeZone, startMs)]));
  const customerCounts = new Map(
    plan.jurisdictions.flatMap((j) => j.banks.map((b) => [b.id, b.customerWallets] as const)),
  );
  const generators = plan.workload.map(
    (w, i) =>
      new ArrivalGenerator(
        w,
        i,
        root.fork(`workload:${i}`),
        {
          currencyOf: (code) => {
            const j = plan.jurisdictions.find((x) => x.code === code)!;
            return { currency: j.currency, exponent: j.exponent };
          },
          utcOffsetSeconds: (code) => offsets.get(code)!,
          customerWallets: (bank) => customerCounts.get(bank) ?? 0,
          startSecondOfDayUtc,
        },
        variant.workloadScale,
      ),
  );

  const timeline = new VirtualTimeline<Scheduled>();
  const end = plan.durationSeconds;
  for (const g of generators) {
    const first = g.next(end);
    if (first !== null) timeline.push(first.atSeconds, { kind: 'arrival', arrival: first });
  }
  const interval = variant.policies.settlementIntervalSeconds;
  timeline.push(interval, { kind: 'cycle' });
  timeline.push(Math.min(plan.sampleEverySeconds, end), { kind: 'sample' });
  variant.events.forEach((e, index) => {
    timeline.push(e.atSeconds, { kind: 'timed', index, phase: 'start' });
    if ('durationSeconds' in e && e.durationSeconds !== null)
      timeline.push(e.atSeconds + e.durationSeconds, { kind: 'timed', index, phase: 'end' });
  });
  const timedContext = {
    plan,
    world,
    mid,
    providersDown,
    bumpMidEpoch: () => void midEpoch++,
    newId: () => ids.uuid(),
    run: (command: WorldCommand) => {
      const decision = execute(command);
      return decision.kind === 'rejected' ? decision.rejection.code : null;
    },
  };

  const queueLength = () => world.payments.queue.size + correspondent.waiting;
  let lastProgress = 0;
  for (;;) {
    const next = timeline.pop();
    if (next === null || next.at > end) break;
    now = plan.startNs + BigInt(Math.round(next.at * 1e6)) * 1_000n;
    const item = next.item;
    switch (item.kind) {
      case 'arrival': {
        submit(item.arrival, variant);
        const following = generators[item.arrival.generator]!.next(end);
        if (following !== null) timeline.push(following.atSeconds, { kind: 'arrival', arrival: following });
        break;
      }
      case 'cycle': {
        if (world.payments.queue.size > 0)
          execute({ type: 'RunSettlementCycle', liquiditySaving: variant.policies.liquiditySaving, now: 0n });
        if (correspondent.waiting > 0) correspondent.cycle(now);
        collector.notePeakQueue(queueLength());
        evictSettledTransfers(world);
        timeline.push(next.at + interval, { kind: 'cycle' });
        break;
      }
      case 'sample': {
        let delay = 0;
        let waiting = 0;
        for (const p of world.payments.queue.values()) {
          delay += Number(now - p.receivedAt) / NS_PER_SECOND;
          waiting++;
        }
        for (const receivedAt of correspondent.receivedTimes()) {
          delay += Number(now - receivedAt) / NS_PER_SECOND;
          waiting++;
        }
        collector.sample(next.at, now, waiting, waiting === 0 ? 0 : delay / waiting);
        if (next.at < end)
          timeline.push(Math.min(next.at + plan.sampleEverySeconds, end), { kind: 'sample' });
        break;
      }
      case 'timed': {
        const event = variant.events[item.index]!;
        const outcome = applyTimedEvent(event, item.phase, timedContext);
        timedEvents.push({ atSeconds: next.at, event: timedEventLabel(event), phase: item.phase, outcome });
        break;
      }
    }
    if (options.onProgress !== undefined && next.at - lastProgress >= end / 200) {
      lastProgress = next.at;
      options.onProgress(next.at / end);
    }
  }
  now = plan.startNs + BigInt(end) * BigInt(NS_PER_SECOND);
  const metrics = collector.finish(now, queueLength());
  options.inspect?.(store, world);
  return {
    variant: variant.name,
    replication,
    seed,
    metrics,
    series: collector.series,
    timedEvents,
    refused,
    eventsWritten: store.length,
  };

  function submit(arrival: PaymentArrival, v: VariantPlan): void {
    const payerWallet = walletId(setup.customerWallets, arrival.payer, arrival.customerWallet);
    const payeeWallet = walletId(setup.customerWallets, arrival.payee, arrival.payeeCustomerWallet);
    const command: SubmitPayment = {
      type: 'SubmitPayment',
      actor: arrival.payer,
      paymentId: ids.uuid(),
      payer: { bank: arrival.payer, wallet: payerWallet, name: null },
      payee: { bank: arrival.payee, wallet: payeeWallet, name: null },
      amountMinor: arrival.amountMinor,
      currency: arrival.currency,
      quoteId: null,
      // ISO 20022 purpose: a customer's payment (pacs.008) or the bank's own (pacs.009).
      purpose: payerWallet !== null ? 'GDDS' : 'INTC',
      remittanceInfo: null,
      priority: priorityOf(v, arrival.amountMinor, arrival.currency, payerWallet !== null, plan),
      expiresInSeconds: v.policies.expiresInSeconds,
      now,
    };
    if (v.policies.pvp) {
      const decision = execute(command);
      if (decision.kind === 'rejected')
        refused[decision.rejection.code] = (refused[decision.rejection.code] ?? 0) + 1;
      return;
    }
    const instruction = instructionOf(command, world, now);
    if (instruction === null) {
      refused.payee_unknown = (refused.payee_unknown ?? 0) + 1;
      return;
    }
    correspondent.submit(instruction, now);
  }
}

function walletId(wallets: CustomerWalletIds, bank: string, index: number | null): string | null {
  return index === null ? null : (wallets.get(bank)?.[index] ?? null);
}

/**
 * The queue-order policy, expressed as the payment's priority (the decider orders a cycle by
 * priority, then arrival): all equal (FIFO), customers' payments first, or larger first (by the
 * order of magnitude of the amount in the reporting currency).
 */
export function priorityOf(
  v: VariantPlan,
  amountMinor: bigint,
  currency: string,
  customer: boolean,
  plan: ScenarioPlan,
): number {
  switch (v.policies.queueOrder) {
    case 'fifo':
      return 5;
    case 'customer_first':
      return customer ? 7 : 5;
    case 'largest_first': {
      const j = plan.jurisdictions.find((x) => x.currency === currency)!;
      // A priority, not money: the magnitude of the amount is all that matters here.
      const major = Number(amountMinor) / 10 ** j.exponent / Number(j.midRate);
      return Math.max(0, Math.min(9, Math.floor(Math.log10(Math.max(1, major)))));
    }
  }
}

/** The instruction the payments decider would record, for the correspondent model. */
function instructionOf(
  command: SubmitPayment,
  world: SimulationWorld,
  now: bigint,
): PaymentInstruction | null {
  const party = (bank: string, wallet: string | null) => {
    const institution = world.institutions.institutions.get(bank);
    if (institution?.kind !== 'commercial_bank') return null;
    return {
      bank,
      jurisdiction: institution.jurisdiction!,
      currency: world.institutions.homeCurrency(institution)!,
      wallet,
      name: null,
    };
  };
  const payer = party(command.payer.bank, command.payer.wallet);
  const payee = party(command.payee.bank, command.payee.wallet);
  if (payer === null || payee === null) return null;
  return {
    id: command.paymentId,
    payer,
    payee,
    fixed: command.currency === payer.currency ? 'source' : 'target',
    amountMinor: command.amountMinor,
    quoteId: null,
    purpose: command.purpose,
    remittanceInfo: null,
    priority: command.priority,
    receivedAt: now,
    expiresAt: now + BigInt(command.expiresInSeconds) * 1_000_000_000n,
  };
}

/**
 * Drops the settled transfers from the ledger's memory after every settlement cycle (ADR 0016).
 * The service keeps a cache of recent ones (YB_TRANSFER_CACHE_SIZE) because a later batch may name
 * them and its database is slow to ask; the engine's transfer ids are fresh (legs of new payment
 * ids), so none is named again and a settled transfer in memory only costs: a big map makes every
 * lookup of a new id slower, and transfers that live long enough to be promoted make the garbage
 * collector's old generation do the work. Open pending transfers and their statuses stay, as in
 * the service: expiry, post and void read them.
 */
export function evictSettledTransfers(world: SimulationWorld): void {
  const s = world.ledger;
  // With no two-phase transfer in the ledger (PvP chains are single-phase), everything is settled.
  if (s.pendingStatus.size === 0) {
    s.transfers.clear();
    return;
  }
  for (const id of s.transfers.keys()) {
    if (s.pendingStatus.get(id) === 'pending') continue;
    s.transfers.delete(id);
    s.pendingStatus.delete(id);
  }
}
