import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { RunningApp } from '../src/create-app.js';
import { loadConfig } from '../src/platform/config/config.js';
import { startBenchApp } from './support/app.js';
import { timeChildToServing, type ServingChild } from './support/child.js';
import { benchSchema, dropSchema, withClient } from './support/db.js';
import { makeAccounts, makeTransfers, pump, Rng } from './support/generate.js';
import { BATCH, createAccounts, submitTransfers } from './support/ledger-workload.js';
import { fixed, int, mib, passMiss, printTable } from './support/table.js';

/**
 * Restart: time from process start to serving with 1,000,000 events in the log, and resident
 * memory then. The log is built through the real sequencer (so events, projections and periodic
 * snapshots are what production writes), then `node dist/src/main.js` is spawned as a child,
 * exactly as `npm start` runs it, and timed from spawn to its first 200 on GET /health.
 *
 * References measured in the same run: the same child on an empty log (the floor: Node, Nest,
 * TypeORM, migrations check), and psql reading the same event columns the replay reads (what
 * the database costs to hand the log over).
 */

const TARGET_MS = 5_000;
const ACCOUNTS = 1_000;
/** × 8,000 = 1,000,000 TransferCreated events. BENCH_RESTART_BATCHES is for trying the harness only. */
const TRANSFER_BATCHES = Number(process.env.BENCH_RESTART_BATCHES ?? 125);
/**
 * The service's own snapshot interval (its default unless YB_SNAPSHOT_EVERY_EVENTS is set): the
 * normal case is whatever the service does by itself.
 */
const SNAPSHOT_EVERY = loadConfig(process.env).snapshotEveryEvents;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw !== undefined && /^[0-9]+$/.test(raw) ? Number(raw) : fallback;
}

interface Variant {
  readonly name: string;
  readonly snapshotPosition: string | null;
  readonly eventsReplayed: number;
  readonly runs: Array<ServingChild | { error: string }>;
}

async function buildLog(url: string, schema: string): Promise<Record<string, unknown>> {
  const running: RunningApp = await startBenchApp(url, schema, {
    YB_SNAPSHOT_EVERY_EVENTS: String(SNAPSHOT_EVERY),
  });
  try {
    const rng = new Rng(envInt('BENCH_SEED', 20_240_601));
    const accounts = makeAccounts(rng, ACCOUNTS);
    const ids = accounts.map((a) => a.id);
    await createAccounts(running, accounts);
    const t0 = performance.now();
    let done = 0;
    // Transfers are generated per batch (not all up front) to keep the builder's memory to the
    // service's own state; generation is a few % of the build time, which is reported as a rate.
    await pump(TRANSFER_BATCHES, 2, async () => {
      await submitTransfers(running, makeTransfers(rng, ids, BATCH));
      if (++done % 25 === 0) {
        const s = (performance.now() - t0) / 1000;
        console.log(`    ${int(done * BATCH)} transfers in ${fixed(s, 1)} s (${int((done * BATCH) / s)}/s)`);
      }
    });
    const buildSeconds = (performance.now() - t0) / 1000;
    // One more snapshot at the head, for the best case (nothing to replay). Snapshots are written
    // in the background, and a call while a periodic write is still running returns that write:
    // then the head is not in the table afterwards and a second call takes it.
    const head = await logHead(url, schema);
    let headSnapshotError: string | null = null;
    let joinedPeriodicWrite = false;
    const snap = async () => {
      const s0 = performance.now();
      await running.sequencer
        .takeSnapshot()
        .catch((e: unknown) => (headSnapshotError = String((e as Error)?.message ?? e)));
      return performance.now() - s0;
    };
    let headSnapshotMs = await snap();
    if (headSnapshotError === null && !(await snapshots(url, schema)).some((s) => s.position === head)) {
      joinedPeriodicWrite = true;
      headSnapshotMs = await snap();
    }
    const periodic = (await snapshots(url, schema)).filter((s) => s.position !== head);
    return {
      accounts: ACCOUNTS,
      transfers: TRANSFER_BATCHES * BATCH,
      buildSeconds,
      buildTransfersPerSecond: (TRANSFER_BATCHES * BATCH) / buildSeconds,
      snapshotEveryEvents: SNAPSHOT_EVERY,
      periodicSnapshotsKept: periodic,
      headSnapshotMs,
      joinedPeriodicWrite,
      headSnapshotError,
    };
  } finally {
    await running.close();
  }
}

async function snapshots(url: string, schema: string): Promise<Array<{ position: string; bytes: number }>> {
  return withClient(url, async (c) => {
    // A snapshot is stored in parts (rows); ordered by the bigint column, not its text form.
    const { rows } = await c.query<{ pos: string; bytes: string }>(
      `select position::text as pos, sum(octet_length(state))::text as bytes from "${schema}".snapshots
       group by position order by position`,
    );
    return rows.map((r) => ({ position: r.pos, bytes: Number(r.bytes) }));
  });
}

async function logHead(url: string, schema: string): Promise<string> {
  return withClient(
    url,
    async (c) =>
      (await c.query<{ p: string }>(`select position::text as p from "${schema}".event_log_head`)).rows[0]!.p,
  );
}

async function logFacts(
  url: string,
  schema: string,
): Promise<{ events: number; transferCreated: number; head: string; transferRows: number }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<Record<string, string>>(
      `select (select count(*) from "${schema}".events)::text as events,
              (select count(*) from "${schema}".events where type = 'TransferCreated')::text as transfer_created,
              (select position from "${schema}".event_log_head)::text as head,
              (select count(*) from "${schema}".ledger_transfers)::text as transfer_rows`,
    );
    const r = rows[0]!;
    return {
      events: Number(r.events),
      transferCreated: Number(r.transfer_created),
      head: r.head!,
      transferRows: Number(r.transfer_rows),
    };
  });
}

/** psql copying out the columns the replay reads, in replay order, to /dev/null. */
async function timeLogRead(url: string, schema: string): Promise<number> {
  const sql = `copy (select global_position, stream_id, stream_version, type, data from "${schema}".events order by global_position) to stdout`;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${err}`))));
  });
  return performance.now() - t0;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runChild(
  url: string,
  schema: string,
  expectedPosition: string,
): Promise<ServingChild | { error: string }> {
  try {
    const served = await timeChildToServing(url, schema);
    if (served.health.position !== expectedPosition) {
      throw new Error(
        `served at position ${String(served.health.position)}, the log is at ${expectedPosition}`,
      );
    }
    return served;
  } catch (error) {
    return { error: (error as Error).message.slice(0, 2_000) };
  }
}

export async function runRestartBench(url: string): Promise<Record<string, unknown>> {
  const runs = envInt('BENCH_RESTART_RUNS', 3);
  const schema = benchSchema('restart');
  const emptySchema = benchSchema('restart_empty');
  await dropSchema(url, schema);
  await dropSchema(url, emptySchema);
  try {
    console.log(
      `restart: building the log (${int(ACCOUNTS)} accounts, ${TRANSFER_BATCHES} × ${int(BATCH)} transfers, snapshot every ${int(SNAPSHOT_EVERY)} events)…`,
    );
    if (TRANSFER_BATCHES !== 125)
      console.log(`  NOTE: BENCH_RESTART_BATCHES=${TRANSFER_BATCHES}: not the 1,000,000-event benchmark`);
    const build = await buildLog(url, schema);
    const facts = await logFacts(url, schema);
    if (
      facts.transferCreated !== TRANSFER_BATCHES * BATCH ||
      facts.transferRows !== TRANSFER_BATCHES * BATCH ||
      String(facts.events) !== facts.head
    ) {
      throw new Error(`the log is not what was built: ${JSON.stringify(facts)}`);
    }
    console.log(
      `  select count(*) from events → ${int(facts.events)} (${int(facts.transferCreated)} TransferCreated); head position ${facts.head}`,
    );

    // Reference 1: the same child on an empty, already migrated schema.
    // "Empty": migrated, with only the operator's registration, as every start writes it.
    const empty = await startBenchApp(url, emptySchema);
    await empty.close();
    const emptyHead = await logHead(url, emptySchema);
    console.log('  reference: child start on an empty log…');
    const emptyRuns: Array<ServingChild | { error: string }> = [];
    for (let i = 0; i < runs; i++) emptyRuns.push(await runChild(url, emptySchema, emptyHead));
    // Reference 2: the database handing over the log.
    console.log('  reference: psql COPY of the log…');
    const logReadMs = await timeLogRead(url, schema);

    const all = await snapshots(url, schema);
    const variants: Variant[] = [];
    const measure = async (name: string) => {
      const latest = (await snapshots(url, schema)).at(-1) ?? null;
      const replayed = facts.events - Number(latest?.position ?? 0);
      console.log(`  child start: ${name} (${int(replayed)} events to replay)…`);
      const results: Variant['runs'] = [];
      for (let i = 0; i < runs; i++) results.push(await runChild(url, schema, facts.head));
      variants.push({
        name,
        snapshotPosition: latest?.position ?? null,
        eventsReplayed: replayed,
        runs: results,
      });
    };
    const head = all.find((s) => s.position === facts.head);
    if (head) await measure('snapshot at head');
    // The normal case: the latest periodic snapshot, taken by the service itself during the build.
    await withClient(url, (c) =>
      c.query(`delete from "${schema}".snapshots where position = $1`, [facts.head]),
    );
    if ((await snapshots(url, schema)).length > 0)
      await measure(`periodic snapshot (every ${int(SNAPSHOT_EVERY)})`);
    await withClient(url, (c) => c.query(`delete from "${schema}".snapshots`));
    await measure('no snapshot (full replay)');

    // Several starts per variant on a noisy machine: the row shows the median, the range beside
    // it; the verdict is on the median, and every run is in the JSON.
    const summary = (name: string, replayed: number, runs: Variant['runs'], floor: number | null) => {
      const ok = runs.filter((r): r is ServingChild => !('error' in r));
      if (ok.length === 0)
        return [name, int(replayed), 'FAILED', '', '', '', '', '', `< ${int(TARGET_MS)}`, 'MISS'];
      const ms = median(ok.map((r) => r.msToServing));
      const failed = ok.length < runs.length;
      return [
        name,
        int(replayed),
        int(ms),
        ok.length > 1
          ? `${int(Math.min(...ok.map((r) => r.msToServing)))}–${int(Math.max(...ok.map((r) => r.msToServing)))}`
          : '',
        int(median(ok.map((r) => r.rebuildMs ?? NaN))),
        mib(median(ok.map((r) => r.rssBytes))),
        mib(Math.max(...ok.map((r) => r.peakRssBytes))),
        floor === null ? '1.00' : fixed(ms / floor),
        floor === null ? '' : `< ${int(TARGET_MS)}`,
        floor === null ? '' : failed ? 'MISS (a start failed)' : passMiss(ms < TARGET_MS),
      ];
    };
    const emptyOk = emptyRuns.filter((r): r is ServingChild => !('error' in r));
    const floorMs = emptyOk.length > 0 ? median(emptyOk.map((r) => r.msToServing)) : NaN;
    const rows: string[][] = [
      summary('reference: empty log', 0, emptyRuns, null),
      ...variants.map((v) => summary(v.name, v.eventsReplayed, v.runs, floorMs)),
    ];
    printTable(
      `Restart with ${int(facts.events)} events in the log (node dist/src/main.js, spawn → first 200 on /health; median of ${runs})`,
      [
        'variant',
        'events replayed',
        'ms to serving',
        'range',
        'rebuild ms (logged)',
        'RSS',
        'peak RSS',
        '× empty-log start',
        'target ms',
        'verdict',
      ],
      rows,
    );
    // The cause of a failed start is at the end of its output.
    for (const v of variants)
      for (const r of v.runs)
        if ('error' in r) console.log(`  ${v.name} FAILED: ${r.error.split('\n').slice(-4).join('\n    ')}`);
    const fullReplayRuns = (variants.find((v) => v.name.startsWith('no snapshot'))?.runs ?? []).filter(
      (r): r is ServingChild => !('error' in r) && r.rebuildMs !== null,
    );
    const fullReplayRebuildMs =
      fullReplayRuns.length > 0 ? median(fullReplayRuns.map((r) => r.rebuildMs!)) : null;
    printTable(
      'Build and references',
      ['measure', 'value'],
      [
        ['events in the log (select count(*) from events)', int(facts.events)],
        ['build rate through the sequencer (transfers/s)', int(build.buildTransfersPerSecond as number)],
        ['build wall time (s)', fixed(build.buildSeconds as number, 1)],
        [
          'snapshots after build (position: size)',
          all.map((s) => `${s.position}: ${mib(s.bytes)}`).join(', '),
        ],
        [
          'snapshot at head: ms to take',
          build.headSnapshotError
            ? `FAILED: ${build.headSnapshotError}`
            : int(build.headSnapshotMs as number),
        ],
        [`psql COPY of the replayed columns, ${int(facts.events)} events (ms)`, int(logReadMs)],
        [
          'full-replay rebuild ÷ psql COPY',
          fullReplayRebuildMs !== null ? fixed(fullReplayRebuildMs / logReadMs) : '—',
        ],
      ],
    );
    return {
      target: { msToServing: TARGET_MS },
      log: facts,
      build,
      snapshotsBeforeVariants: all,
      reference: { emptyLog: emptyRuns, psqlCopyLogMs: logReadMs },
      variants: variants.map((v) => {
        const ok = v.runs.filter((r): r is ServingChild => !('error' in r));
        const medianMsToServing = ok.length > 0 ? median(ok.map((r) => r.msToServing)) : null;
        return {
          ...v,
          medianMsToServing,
          // Judged on the median, as printed; a failed start fails the variant.
          meetsTarget:
            ok.length === v.runs.length && medianMsToServing !== null && medianMsToServing < TARGET_MS,
        };
      }),
    };
  } finally {
    // BENCH_KEEP_SCHEMA=1 keeps the 1M-event log for profiling a start by hand (drop it after).
    if (process.env.BENCH_KEEP_SCHEMA === '1')
      console.log(`  kept schema ${schema} (BENCH_KEEP_SCHEMA=1): drop it when done`);
    else await dropSchema(url, schema);
    await dropSchema(url, emptySchema);
  }
}
