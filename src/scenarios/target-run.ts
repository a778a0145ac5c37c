import fs from 'node:fs';
import path from 'node:path';
import { readKeysFile } from '../institutions/bootstrap/keys-file.js';
import { YuanbridgeClient } from '../sdk/client.js';
import { YuanbridgeProblem } from '../sdk/problem.js';
import { Prng } from './prng.js';
import { priorityOf } from './run-replication.js';
import {
  LiveTimedEvents,
  MAX_PAYMENT_EXPIRY_SECONDS,
  notApplicable,
  timedActions,
  timedEventSigners,
  type NotApplied,
  type TargetTimedOutcome,
} from './target-events.js';
import type { ScenarioPlan } from './scenario.js';
import { timedEventLabel } from './timed-events.js';
import { ArrivalGenerator, utcOffsetSeconds } from './workload.js';

/**
 * The scenario's workload against a live service (`scenario run --target`): a load generator for
 * a bank testing its integration. The service's network already exists; the file's `workload`
 * generators are sent, their payers signing with keys from a keys file, and its timed events
 * that the API can express (target-events.ts) are sent at their times by the institutions that
 * cause them. Virtual time is compressed into wall time by `speed`.
 */

/** One payment the workload asks of the live service. Deterministic: a function of plan and seed. */
export interface TargetInstruction {
  readonly index: number;
  /** Virtual seconds since the scenario's start. */
  readonly atSeconds: number;
  readonly workload: string;
  /** `CN->HK`: the payer's jurisdiction, then the payee's. */
  readonly corridor: string;
  readonly payer: string;
  readonly payee: string;
  readonly amountMinor: string;
  readonly currency: string;
  /** A customer payment (purpose GDDS) or the bank's own (INTC); both from the bank's own wallet. */
  readonly kind: 'customer' | 'bank';
  readonly idempotencyKey: string;
}

/**
 * Every instruction of the first `virtualSeconds` of the workload, in time order. The arrival
 * streams are forked exactly as replication 0 of the in-process run forks them, so the live run
 * asks for the same payments (who, whom, how much, when) as the simulation's first replication.
 */
export function targetInstructions(
  plan: ScenarioPlan,
  seed: number,
  virtualSeconds = plan.durationSeconds,
): TargetInstruction[] {
  const root = new Prng(seed).fork('replication:0');
  const startMs = Number(plan.startNs / 1_000_000n);
  const startSecondOfDayUtc = Math.floor(startMs / 1000) % 86_400;
  const offsets = new Map(plan.jurisdictions.map((j) => [j.code, utcOffsetSeconds(j.timeZone, startMs)]));
  const customerCounts = new Map(
    plan.jurisdictions.flatMap((j) => j.banks.map((b) => [b.id, b.customerWallets] as const)),
  );
  const arrivals = plan.workload.flatMap((w, i) => {
    const generator = new ArrivalGenerator(w, i, root.fork(`workload:${i}`), {
      currencyOf: (code) => {
        const j = plan.jurisdictions.find((x) => x.code === code)!;
        return { currency: j.currency, exponent: j.exponent };
      },
      utcOffsetSeconds: (code) => offsets.get(code)!,
      customerWallets: (bank) => customerCounts.get(bank) ?? 0,
      startSecondOfDayUtc,
    });
    const list = [];
    for (let a = generator.next(virtualSeconds); a !== null; a = generator.next(virtualSeconds)) list.push(a);
    return list;
  });
  arrivals.sort((a, b) => a.atSeconds - b.atSeconds || a.generator - b.generator);
  return arrivals.map((a, index) => {
    const w = plan.workload[a.generator]!;
    return {
      index,
      atSeconds: a.atSeconds,
      workload: w.name,
      corridor: `${w.from}->${w.to}`,
      payer: a.payer,
      payee: a.payee,
      amountMinor: a.amountMinor.toString(),
      currency: a.currency,
      kind: a.customerWallet !== null ? 'customer' : 'bank',
      // Retries (the SDK's, or a rerun with the same seed) replay instead of paying twice.
      idempotencyKey: `scenario:${plan.name}:${seed}:${index}`,
    };
  });
}

/** What became of one instruction. */
export interface TargetOutcome {
  readonly index: number;
  readonly corridor: string;
  readonly payer: string;
  /** The payment's id when the service created (or replayed) it. */
  readonly paymentId: string | null;
  /** settled / queued / rejected (the payment's status), refused (a 4xx problem) or error. */
  readonly status: string;
  /** The payment's reason code, the problem's code, or the error's message. */
  readonly reason: string | null;
  readonly httpStatus: number | null;
  readonly replayed: boolean;
  readonly latencyMs: number;
  /** How late it was sent against its scaled time (queueing behind the concurrency limit). */
  readonly lateMs: number;
}

export interface TargetRunOptions {
  readonly target: string;
  readonly keysFile: string;
  readonly seed?: number;
  /** Wall seconds the run lasts (with `speed`: how much virtual time is sent). */
  readonly durationSeconds?: number;
  /** Virtual seconds per wall second. Default: the scenario's duration over `durationSeconds`. */
  readonly speed?: number;
  readonly concurrency?: number;
  /** fetch for the SDK (tests). */
  readonly fetch?: typeof fetch;
}

export interface TargetResults {
  readonly format: 'yuanbridge-target-results/1';
  readonly scenario: string;
  readonly sourceDigest: string;
  readonly target: string;
  readonly seed: number;
  readonly speed: number;
  readonly virtualSeconds: number;
  readonly plannedWallSeconds: number;
  readonly wallSeconds: number;
  readonly concurrency: number;
  readonly instructions: number;
  readonly achievedPerSecond: number;
  readonly byStatus: Record<string, number>;
  readonly byReason: Record<string, number>;
  readonly byCorridor: Record<string, Record<string, number>>;
  readonly byHttpStatus: Record<string, number>;
  /** Answered with the stored reply of an earlier request with the same idempotency key. */
  readonly replayed: number;
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  readonly maxLateMs: number;
  readonly errors: readonly string[];
  /** Each phase of the file's timed events as sent, with the service's answers. */
  readonly timedEvents: readonly TargetTimedOutcome[];
  /** The file's policies and events the live service did not get (or got differently), and why. */
  readonly notApplied: readonly NotApplied[];
  readonly payments: readonly TargetOutcome[];
}

/** A target run that cannot start (missing keys, bad options): one line for the CLI. */
export class TargetRunRefused extends Error {}

/** The timing of a run from the options: [virtual seconds sent, speed, planned wall seconds]. */
export function targetTiming(plan: ScenarioPlan, options: TargetRunOptions): [number, number, number] {
  const { durationSeconds: wall, speed } = options;
  if (speed !== undefined && wall !== undefined) return [wall * speed, speed, wall];
  if (speed !== undefined) return [plan.durationSeconds, speed, plan.durationSeconds / speed];
  const w = wall ?? 60;
  return [plan.durationSeconds, plan.durationSeconds / w, w];
}

export async function runAgainstTarget(
  plan: ScenarioPlan,
  options: TargetRunOptions,
): Promise<TargetResults> {
  const seed = options.seed ?? plan.seed;
  const concurrency = options.concurrency ?? 16;
  const [virtualSeconds, speed, plannedWall] = targetTiming(plan, options);
  if (!fs.existsSync(options.keysFile)) throw new TargetRunRefused(`no keys file at ${options.keysFile}`);
  const keys = readKeysFile(options.keysFile).institutions;
  const payers = [...new Set(plan.workload.flatMap((w) => w.payers))];
  const missing = payers.filter((id) => keys[id] === undefined);
  if (missing.length > 0)
    throw new TargetRunRefused(
      `the keys file ${options.keysFile} has no key for the scenario's paying bank(s) ${missing.join(', ')}: the target's network must hold them (the demo network's banks: scenarios/demo-target.yaml)`,
    );
  const actions = timedActions(plan, virtualSeconds);
  const signers = timedEventSigners(plan, actions);
  const missingSigners = signers.filter((id) => keys[id] === undefined);
  if (missingSigners.length > 0)
    throw new TargetRunRefused(
      `the keys file ${options.keysFile} has no key for ${missingSigners.join(', ')}, who must sign the scenario's timed events (central banks suspend, freeze and redeem; providers withdraw and publish rate sheets)`,
    );
  const clients = new Map<string, YuanbridgeClient>();
  const clientOf = (id: string): YuanbridgeClient | null => {
    const entry = keys[id];
    if (entry === undefined) return null;
    let client = clients.get(id);
    if (client === undefined) {
      client = new YuanbridgeClient({
        baseUrl: options.target,
        keyId: entry.keyId,
        secretKey: entry.secretKey,
        fetch: options.fetch,
      });
      clients.set(id, client);
    }
    return client;
  };
  const baseline = plan.variants.find((v) => v.name === 'baseline')!;
  const instructions = targetInstructions(plan, seed, virtualSeconds);
  const live = new LiveTimedEvents(plan, clientOf, keys, clientOf(payers[0]!)!);
  const timedOutcomes: TargetTimedOutcome[] = [];

  const outcomes: TargetOutcome[] = [];
  const started = performance.now();
  // The timed events, one after another at their scaled times, beside the payments.
  const timed = (async () => {
    for (const action of actions) {
      const due = started + (action.atSeconds / speed) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const lateMs = Math.max(0, performance.now() - due);
      const outcome = await live.apply(action).catch((error: unknown) => `error ${(error as Error).message}`);
      timedOutcomes.push({
        atSeconds: action.atSeconds,
        event: timedEventLabel(action.event),
        phase: action.phase,
        outcome,
        lateMs: round(lateMs),
      });
    }
  })();
  let active = 0;
  const waiters: Array<() => void> = [];
  const inFlight = new Set<Promise<void>>();
  for (const instruction of instructions) {
    const due = started + (instruction.atSeconds / speed) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (active >= concurrency) await new Promise<void>((resolve) => waiters.push(resolve));
    active++;
    const lateMs = Math.max(0, performance.now() - due);
    const p = send(clientOf(instruction.payer)!, instruction, lateMs, {
      priority: priorityOf(
        baseline,
        BigInt(instruction.amountMinor),
        instruction.currency,
        instruction.kind === 'customer',
        plan,
      ),
      expiresInSeconds: Math.min(baseline.policies.expiresInSeconds, MAX_PAYMENT_EXPIRY_SECONDS),
    }).then((outcome) => {
      outcomes.push(outcome);
      active--;
      inFlight.delete(p);
      waiters.shift()?.();
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  await timed;
  const wallSeconds = (performance.now() - started) / 1000;
  outcomes.sort((a, b) => a.index - b.index);
  return summarise(
    plan,
    options,
    seed,
    speed,
    virtualSeconds,
    plannedWall,
    wallSeconds,
    concurrency,
    outcomes,
    timedOutcomes,
    notApplicable(plan, baseline.policies),
  );
}

async function send(
  client: YuanbridgeClient,
  i: TargetInstruction,
  lateMs: number,
  policy: { readonly priority: number; readonly expiresInSeconds: number },
): Promise<TargetOutcome> {
  const t0 = performance.now();
  const base = { index: i.index, corridor: i.corridor, payer: i.payer };
  try {
    const response = await client.payments.submitWithResponse(
      {
        payee: { bank: i.payee },
        amountMinor: i.amountMinor,
        currency: i.currency,
        purpose: i.kind === 'customer' ? 'GDDS' : 'INTC',
        // The queue-order policy as the payment's priority (5, the API's default, is FIFO).
        ...(policy.priority !== 5 ? { priority: policy.priority } : {}),
        expiresInSeconds: policy.expiresInSeconds,
      },
      { idempotencyKey: i.idempotencyKey },
    );
    return {
      ...base,
      paymentId: response.data.id,
      status: response.data.status,
      reason: response.data.reason?.code ?? null,
      httpStatus: response.status,
      replayed: response.replayed,
      latencyMs: performance.now() - t0,
      lateMs,
    };
  } catch (error) {
    const problem = error instanceof YuanbridgeProblem ? error : null;
    return {
      ...base,
      paymentId: null,
      status: problem !== null && problem.status < 500 ? 'refused' : 'error',
      reason: problem !== null ? problem.code : (error as Error).message,
      httpStatus: problem?.status ?? null,
      replayed: false,
      latencyMs: performance.now() - t0,
      lateMs,
    };
  }
}

function summarise(
  plan: ScenarioPlan,
  options: TargetRunOptions,
  seed: number,
  speed: number,
  virtualSeconds: number,
  plannedWallSeconds: number,
  wallSeconds: number,
  concurrency: number,
  outcomes: readonly TargetOutcome[],
  timedEvents: readonly TargetTimedOutcome[],
  notApplied: readonly NotApplied[],
): TargetResults {
  const count = (into: Record<string, number>, key: string) => void (into[key] = (into[key] ?? 0) + 1);
  const byStatus: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  const byCorridor: Record<string, Record<string, number>> = {};
  const byHttpStatus: Record<string, number> = {};
  const errors: string[] = [];
  for (const o of outcomes) {
    count(byStatus, o.status);
    if (o.reason !== null && o.status !== 'error') count(byReason, `${o.status}:${o.reason}`);
    count((byCorridor[o.corridor] ??= {}), o.status);
    count(byHttpStatus, o.httpStatus === null ? 'none' : String(o.httpStatus));
    if (o.status === 'error') errors.push(`#${o.index}: ${o.reason ?? 'error'}`);
  }
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  const q = (p: number) =>
    latencies.length === 0
      ? 0
      : round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!);
  return {
    format: 'yuanbridge-target-results/1',
    scenario: plan.name,
    sourceDigest: plan.sourceDigest,
    target: options.target,
    seed,
    speed: round(speed),
    virtualSeconds: round(virtualSeconds),
    plannedWallSeconds: round(plannedWallSeconds),
    wallSeconds: round(wallSeconds),
    concurrency,
    instructions: outcomes.length,
    achievedPerSecond: round(wallSeconds > 0 ? outcomes.length / wallSeconds : 0),
    byStatus,
    byReason,
    byCorridor,
    byHttpStatus,
    replayed: outcomes.filter((o) => o.replayed).length,
    latencyMs: {
      p50: q(0.5),
      p90: q(0.9),
      p99: q(0.99),
      max: round(latencies.at(-1) ?? 0),
      mean: round(latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length)),
    },
    maxLateMs: round(Math.max(0, ...outcomes.map((o) => o.lateMs))),
    errors: errors.slice(0, 50),
    timedEvents,
    notApplied,
    payments: outcomes.map((o) => ({ ...o, latencyMs: round(o.latencyMs), lateMs: round(o.lateMs) })),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Virtual seconds as `+1d02:30:00`. */
function formatVirtual(seconds: number): string {
  const s = Math.round(seconds);
  const hms = [Math.floor((s % 86_400) / 3_600), Math.floor((s % 3_600) / 60), s % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return `+${Math.floor(s / 86_400)}d${hms}`;
}

/** results.json of a target run, in the output folder. */
export function writeTargetOutput(dir: string, results: TargetResults): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'results.json');
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return [file];
}

/** The terminal summary: counts by status and corridor, latency, rate. */
export function targetSummaryTable(r: TargetResults): string {
  const statuses = ['settled', 'queued', 'rejected', 'refused', 'error'].filter(
    (s) => r.byStatus[s] !== undefined,
  );
  for (const s of Object.keys(r.byStatus)) if (!statuses.includes(s)) statuses.push(s);
  const rows: string[][] = [['corridor', ...statuses, 'total']];
  for (const [corridor, counts] of Object.entries(r.byCorridor).sort()) {
    rows.push([
      corridor,
      ...statuses.map((s) => String(counts[s] ?? 0)),
      String(Object.values(counts).reduce((a, b) => a + b, 0)),
    ]);
  }
  rows.push(['all', ...statuses.map((s) => String(r.byStatus[s] ?? 0)), String(r.instructions)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const reasons = Object.entries(r.byReason)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`);
  const l = r.latencyMs;
  return (
    [
      ...lines,
      '',
      `latency ms: p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  max ${l.max}`,
      `rate: ${r.achievedPerSecond}/s over ${r.wallSeconds} s (speed ×${r.speed}, ${r.virtualSeconds} virtual s, concurrency ${r.concurrency}, sent at most ${r.maxLateMs} ms late)`,
      ...(reasons.length > 0 ? [`reasons: ${reasons.join(', ')}`] : []),
      ...(r.replayed > 0
        ? [
            `replayed: ${r.replayed} (same seed as an earlier run: the service returned its stored replies; use another --seed for new payments)`,
          ]
        : []),
      ...(r.errors.length > 0 ? [`errors: ${r.errors.length} (first: ${r.errors[0]})`] : []),
      ...(r.timedEvents.length > 0
        ? [
            'timed events sent:',
            ...r.timedEvents.map(
              (e) =>
                `  ${formatVirtual(e.atSeconds)} ${e.event} (${e.phase}): ${e.outcome || 'nothing to do'}`,
            ),
          ]
        : []),
      'not applied to the live service:',
      ...r.notApplied.map((n) => `  ${n.what}: ${n.why}`),
    ].join('\n') + '\n'
  );
}
