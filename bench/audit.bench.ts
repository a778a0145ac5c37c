import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NodeKey } from '../src/platform/node-key/node-key.js';
import { publicKeyToBase64url } from '../src/platform/signatures/index.js';
import { startBenchApp } from './support/app.js';
import { benchSchema, dropSchema, withClient } from './support/db.js';
import { makeAccounts, makeTransfers, pump, Rng } from './support/generate.js';
import { BATCH, createAccounts, submitTransfers } from './support/ledger-workload.js';
import { fixed, int, passMiss, printTable } from './support/table.js';

/**
 * Audit: `yuanbridge audit verify` over a log of 1,000,000 events, as a regulator runs it:
 * a child process reading the database directly, re-hashing every event, re-linking the chain,
 * rebuilding every checkpoint's Merkle root and checking its signature. Timed from spawn to exit.
 *
 * The log is built through the real sequencer (so hashes, chain and checkpoints are what
 * production writes). Reference measured in the same run: psql copying out the same columns the
 * verifier reads (what the database costs to hand the log over, before any hashing).
 */

const TARGET_MS = 5_000;
const ACCOUNTS = 1_000;
/** × 8,000 = 1,000,000 events. BENCH_AUDIT_BATCHES is for trying the harness only. */
const TRANSFER_BATCHES = Number(process.env.BENCH_AUDIT_BATCHES ?? 125);
const RUNS = Number(process.env.BENCH_AUDIT_RUNS ?? 3);
const CLI = path.join(__dirname, '..', 'src', 'cli', 'main.js');

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs a child to its exit; its standard output is kept unless `discard` (psql's COPY is ~1 GB). */
function run(command: string, args: string[], discard = false): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', discard ? 'ignore' : 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - t0, stdout })
        : reject(new Error(`${command} exited ${code}: ${stdout}${stderr}`)),
    );
  });
}

export async function runAuditBench(url: string): Promise<Record<string, unknown>> {
  const schema = benchSchema('audit');
  await dropSchema(url, schema);
  try {
    console.log(`audit: building the log (${TRANSFER_BATCHES} × ${int(BATCH)} transfers)…`);
    const running = await startBenchApp(url, schema);
    let nodePublicKey: string;
    try {
      nodePublicKey = publicKeyToBase64url(running.app.get(NodeKey).publicKey);
      const rng = new Rng(20_240_601);
      const accounts = makeAccounts(rng, ACCOUNTS);
      await createAccounts(running, accounts);
      const ids = accounts.map((a) => a.id);
      await pump(TRANSFER_BATCHES, 2, () => submitTransfers(running, makeTransfers(rng, ids, BATCH)));
    } finally {
      await running.close();
    }
    const facts = await withClient(url, async (c) => {
      const { rows } = await c.query<{ events: string; checkpoints: string; head: string }>(
        `select (select count(*) from "${schema}".events)::text as events,
                (select count(*) from "${schema}".audit_checkpoints)::text as checkpoints,
                (select position from "${schema}".event_log_head)::text as head`,
      );
      return rows[0]!;
    });
    console.log(`  ${int(Number(facts.events))} events, ${int(Number(facts.checkpoints))} checkpoints`);

    console.log('  reference: psql COPY of the columns the verifier reads…');
    const copy = `copy (select global_position, stream_id, stream_version, type, recorded_at, data, metadata, hash, chain from "${schema}".events order by global_position) to stdout`;
    const references: number[] = [];
    for (let i = 0; i < RUNS; i++)
      references.push((await run('psql', [url, '-X', '-q', '-c', copy], true)).ms);

    const args = [
      'audit',
      'verify',
      '--database-url',
      url,
      '--schema',
      schema,
      // With `=`: a base64url key may start with '-', which would read as an option.
      `--node-public-key=${nodePublicKey}`,
    ];
    let last = '';
    const timeVerify = async (extra: string[], runs: number) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const result = await run(process.execPath, [CLI, ...args, ...extra]);
        if (!result.stdout.startsWith('OK:')) throw new Error(`verify did not pass: ${result.stdout}`);
        last = result.stdout.trim();
        times.push(result.ms);
      }
      return times;
    };
    console.log('  yuanbridge audit verify --independent…');
    const independent = await timeVerify(['--independent'], 1);
    console.log('  yuanbridge audit verify…');
    const verifies = await timeVerify([], RUNS);
    const verifyMs = median(verifies);
    const referenceMs = median(references);
    const events = Number(facts.events);
    printTable(
      `Audit verify over ${int(events)} events (spawn → exit, median of ${RUNS})`,
      ['what', 'ms (median)', 'range', 'events/s', 'target', 'verdict'],
      [
        [
          'yuanbridge audit verify --database-url',
          int(verifyMs),
          `${int(Math.min(...verifies))}–${int(Math.max(...verifies))}`,
          int(events / (verifyMs / 1000)),
          `< ${int(TARGET_MS)}`,
          passMiss(verifyMs < TARGET_MS),
        ],
        [
          'yuanbridge audit verify --independent (1 run)',
          int(independent[0]!),
          '',
          int(events / (independent[0]! / 1000)),
          '',
          '',
        ],
        [
          'reference: psql COPY of the same columns',
          int(referenceMs),
          `${int(Math.min(...references))}–${int(Math.max(...references))}`,
          int(events / (referenceMs / 1000)),
          '',
          '',
        ],
      ],
    );
    console.log(`  ratio verify / COPY: ${fixed(verifyMs / referenceMs)}; last report: ${last}`);
    return {
      events,
      checkpoints: Number(facts.checkpoints),
      head: facts.head,
      verifyMs: verifies,
      independentMs: independent,
      referenceCopyMs: references,
      medianVerifyMs: verifyMs,
      medianReferenceMs: referenceMs,
      targetMs: TARGET_MS,
      pass: verifyMs < TARGET_MS,
      lastReport: last,
    };
  } finally {
    await dropSchema(url, schema);
  }
}
