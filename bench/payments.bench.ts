import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { RunningApp } from '../src/create-app.js';
import {
  generateKeyPair,
  publicKeyToBase64url,
  signRequest,
  type Ed25519KeyPair,
} from '../src/platform/signatures/index.js';
import { startBenchApp } from './support/app.js';
import { driveFromClientProcess, type PreparedRequest } from './support/load-clients.js';
import { benchSchema, countRows, dropSchema } from './support/db.js';
import { PgbenchReference } from './support/pgbench.js';
import { fixed, int, passMiss, printTable } from './support/table.js';

/**
 * Cross-border PvP payments through REST: `POST /v1/payments`, each signed (RFC 9421, Ed25519)
 * by one of 8 CN banks paying one of 8 HK banks in CNY, converted by a liquidity provider, two
 * legs settled atomically; 64 concurrent keep-alive clients in a process of their own
 * (bench/support/load-clients.ts), as a bank's would be. Requests are signed before the clock
 * starts. The CPU figure is the server's process alone. Beside it, on the same server in the same run: pgbench, one INSERT per
 * commit, 32 clients.
 *
 * Targets (issue 4): >= 3,000 payments/s, >= 0.75 x pgbench's commits/s, p99 < 50 ms.
 */

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw !== undefined && /^[0-9]+$/.test(raw) ? Number(raw) : fallback;
}

const PAYMENTS = envInt('BENCH_PAYMENTS', 20_000);
const WARM_UP = 1_000;
const CONCURRENCY = 64;
const BANKS = 8;
const PGBENCH_SECONDS = envInt('BENCH_PGBENCH_SECONDS', 15);
/** Payments per request of the batch endpoint's run. */
const BATCH_SIZE = Math.max(1, envInt('BENCH_PAYMENTS_BATCH', 20));

type Prepared = PreparedRequest;

export async function setUpNetwork(running: RunningApp, keys: Map<string, Ed25519KeyPair>): Promise<void> {
  const run = (command: { type: string } & Record<string, unknown>) =>
    running.sequencer.execute({ command, metadata: { actor: 'system' } });
  const register = (id: string, kind: string, jurisdiction: string, extra: Record<string, unknown> = {}) => {
    const pair = generateKeyPair();
    keys.set(id, pair);
    return run({
      type: 'RegisterInstitution',
      actor: 'system',
      id,
      kind,
      name: id,
      jurisdiction,
      establishes: null,
      roles: [],
      keyId: `${id}-key-1`,
      publicKey: publicKeyToBase64url(pair.publicKey),
      ...extra,
    });
  };
  await register('PBOC', 'central_bank', 'CN', {
    establishes: { name: 'China', currency: 'CNY', timeZone: 'Asia/Shanghai' },
  });
  await register('HKMA', 'central_bank', 'HK', {
    establishes: { name: 'Hong Kong', currency: 'HKD', timeZone: 'Asia/Hong_Kong' },
  });
  await register('HKLP', 'commercial_bank', 'HK', { roles: ['liquidity_provider'] });
  const fund = async (cb: string, bank: string, currency: string, amount: bigint) => {
    await run({
      type: 'CreditReserves',
      actor: cb,
      creditId: randomUUID(),
      bankId: bank,
      currency,
      amount,
      signature: null,
    });
    await run({
      type: 'IssueDirectly',
      actor: cb,
      requestId: randomUUID(),
      bankId: bank,
      kind: 'issue',
      currency,
      amount,
      reference: 'bench',
      signature: null,
    });
  };
  for (let i = 1; i <= BANKS; i++) {
    await register(`CNBANK${i}`, 'commercial_bank', 'CN');
    await register(`HKBANK${i}`, 'commercial_bank', 'HK');
    await fund('PBOC', `CNBANK${i}`, 'CNY', 10_000_000_00n);
  }
  await fund('HKMA', 'HKLP', 'HKD', 1_000_000_000_00n);
  await run({ type: 'OpenWallet', actor: 'HKLP', wallet: { kind: 'bank', currency: 'CNY' } });
  await run({ type: 'OpenCorridor', actor: 'OPERATOR', jurisdictions: ['CN', 'HK'], fees: {} });
  await run({
    type: 'PublishRateSheet',
    actor: 'HKLP',
    from: 'CNY',
    to: 'HKD',
    rate: '1.08',
    spreadBps: 10,
    maxAmount: 1_000_000_00n,
    validForSeconds: 86_400,
    evidence: null,
  });
}

function paymentBody(i: number): Record<string, unknown> {
  return {
    payee: { bank: `HKBANK${((i * 7) % BANKS) + 1}` },
    amount: '10.00',
    currency: 'CNY',
    purpose: 'GDDS',
    remittanceInfo: `bench ${i}`,
  };
}

export function prepare(
  base: string,
  keys: Map<string, Ed25519KeyPair>,
  count: number,
  offset: number,
): Prepared[] {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const payer = `CNBANK${(i % BANKS) + 1}`;
    const body = JSON.stringify(paymentBody(i));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    };
    Object.assign(
      headers,
      signRequest({
        method: 'POST',
        url: `${base}/v1/payments`,
        headers,
        body,
        keyId: `${payer}-key-1`,
        secretKey: keys.get(payer)!.secretKey,
      }),
    );
    return { payments: 1, path: '/v1/payments', body, headers };
  });
}

/**
 * `count` payments as requests to `POST /v1/payments/batch` of `size` payments each, every
 * request by one payer (the same payments, payers and payees as {@link prepare} makes).
 */
export function prepareBatches(
  base: string,
  keys: Map<string, Ed25519KeyPair>,
  count: number,
  offset: number,
  size: number,
): Prepared[] {
  const byPayer = new Map<string, Array<Record<string, unknown>>>();
  for (let k = 0; k < count; k++) {
    const i = offset + k;
    const payer = `CNBANK${(i % BANKS) + 1}`;
    const list = byPayer.get(payer) ?? [];
    list.push({ idempotencyKey: randomUUID(), payment: paymentBody(i) });
    byPayer.set(payer, list);
  }
  const perPayer = [...byPayer].map(([payer, payments]) => {
    const requests: Prepared[] = [];
    for (let from = 0; from < payments.length; from += size) {
      const chunk = payments.slice(from, from + size);
      const body = JSON.stringify({ payments: chunk });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      Object.assign(
        headers,
        signRequest({
          method: 'POST',
          url: `${base}/v1/payments/batch`,
          headers,
          body,
          keyId: `${payer}-key-1`,
          secretKey: keys.get(payer)!.secretKey,
        }),
      );
      requests.push({ payments: chunk.length, path: '/v1/payments/batch', body, headers });
    }
    return requests;
  });
  // Payers take turns, as in the single requests.
  const prepared: Prepared[] = [];
  for (let round = 0; prepared.length < perPayer.reduce((n, r) => n + r.length, 0); round++)
    for (const requests of perPayer) if (round < requests.length) prepared.push(requests[round]!);
  return prepared;
}

/**
 * How the sequencer grouped the measured payments into transactions: batches sent to commit,
 * commands per batch, time from sending a batch to its commit.
 */
function watchCommits(running: RunningApp) {
  let watching = true;
  let batches = 0;
  let commands = 0;
  let largest = 0;
  let seconds = 0;
  running.sequencer.onBatch((batch) => {
    if (!watching || !batch.committed) return;
    batches++;
    commands += batch.commands;
    largest = Math.max(largest, batch.commands);
    seconds += batch.seconds;
  });
  return {
    stop() {
      watching = false;
      return {
        batches,
        meanCommands: batches === 0 ? 0 : commands / batches,
        largestCommands: largest,
        meanCommitMs: batches === 0 ? 0 : (1000 * seconds) / batches,
      };
    },
  };
}

/**
 * With BENCH_CPU_PROFILE=<prefix>, a V8 CPU profile of this process over each measured run only
 * (<prefix>-single.cpuprofile, <prefix>-batch.cpuprofile)
 * (the server's: the clients run in their own process), not the set-up or signing.
 */
async function profiled<T>(label: string, run: () => Promise<T>): Promise<T> {
  const prefix = process.env.BENCH_CPU_PROFILE;
  if (prefix === undefined || prefix === '') return run();
  const file = `${prefix.replace(/\.cpuprofile$/, '')}-${label}.cpuprofile`;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`  CPU profile of the measured run: ${file}`);
  }
}

/** One measured run: the requests, how the sequencer grouped them, the CPU this process used. */
async function measure(label: string, running: RunningApp, requests: readonly Prepared[], expected: number) {
  const commits = watchCommits(running);
  const cpuBefore = process.cpuUsage();
  const result = await profiled(label, () => driveFromClientProcess(running.url, requests, CONCURRENCY));
  const cpu = process.cpuUsage(cpuBefore);
  const batches = commits.stop();
  if ((result.statuses['201 settled'] ?? 0) !== expected)
    throw new Error(`not every payment settled: ${JSON.stringify(result.statuses)}`);
  return { result, batches, cpuCores: (cpu.user + cpu.system) / 1e6 / result.seconds };
}

type Measured = Awaited<ReturnType<typeof measure>>;

function rows(m: Measured, withTargets: boolean): string[][] {
  const { result, batches, cpuCores } = m;
  const target = (text: string, pass: boolean) => (withTargets ? [text, passMiss(pass)] : ['', '']);
  return [
    [
      'payments/s (all settled, two legs each)',
      int(result.perSecond),
      ...target('3,000', result.perSecond >= 3_000),
    ],
    ['latency p50, ms', fixed(result.p50), '', ''],
    ['latency p99, ms', fixed(result.p99), ...target('< 50', result.p99 < 50)],
    [
      'sequencer commits (mean / largest commands, mean ms to commit)',
      `${int(batches.batches)} (${fixed(batches.meanCommands, 1)} / ${int(batches.largestCommands)}, ${fixed(batches.meanCommitMs)})`,
      '',
      '',
    ],
    [
      "CPU of the server process, cores (the clients' process: " +
        fixed(result.clientCpuSeconds / result.seconds) +
        ')',
      fixed(cpuCores),
      '',
      '',
    ],
  ];
}

export async function runPaymentsBench(url: string): Promise<Record<string, unknown>> {
  const schema = benchSchema('payments');
  const running = await startBenchApp(url, schema, {
    YB_SIGNATURE_MAX_AGE_SECONDS: '3600',
    YB_SETTLEMENT_INTERVAL_MS: '0',
  });
  const reference = new PgbenchReference(url);
  try {
    const keys = new Map<string, Ed25519KeyPair>();
    await setUpNetwork(running, keys);
    console.log(`  signing ${int(2 * PAYMENTS + WARM_UP)} payments…`);
    const warm = prepare(running.url, keys, WARM_UP, 0);
    const singles = prepare(running.url, keys, PAYMENTS, WARM_UP);
    const batched = prepareBatches(running.url, keys, PAYMENTS, WARM_UP + PAYMENTS, BATCH_SIZE);
    await driveFromClientProcess(running.url, warm, CONCURRENCY);
    console.log(`  ${int(PAYMENTS)} payments, ${CONCURRENCY} clients, one payment a request…`);
    const single = await measure('single', running, singles, PAYMENTS);
    console.log(`  ${int(PAYMENTS)} payments, ${CONCURRENCY} clients, ${BATCH_SIZE} payments a request…`);
    const batch = await measure('batch', running, batched, PAYMENTS);
    const settledEvents = await countRows(
      url,
      `select count(*) from "${schema}".events where type = 'PaymentSettled'`,
    );
    if (settledEvents !== 2 * PAYMENTS + WARM_UP)
      throw new Error(
        `the log holds ${settledEvents} PaymentSettled events, expected ${2 * PAYMENTS + WARM_UP}`,
      );
    await running.close();

    await reference.setUp();
    console.log(`  pgbench single INSERT per commit, 32 clients, ${PGBENCH_SECONDS} s…`);
    const pgbench = await reference.singleInsert('single-insert', PGBENCH_SECONDS);
    const ratio = single.result.perSecond / pgbench.tps;
    const batchRatio = batch.result.perSecond / pgbench.tps;
    printTable(
      'Cross-border PvP payments through REST, signed, 64 clients (in a process of their own)',
      ['measure', 'value', 'target', ''],
      [
        ['POST /v1/payments, one payment a request', '', '', ''],
        ...rows(single, true),
        ['payments/s ÷ pgbench commits/s', fixed(ratio, 3), '0.75', passMiss(ratio >= 0.75)],
        [`POST /v1/payments/batch, ${BATCH_SIZE} payments a request (latency: per payment)`, '', '', ''],
        ...rows(batch, false),
        ['payments/s ÷ pgbench commits/s', fixed(batchRatio, 3), '', ''],
        ['pgbench commits/s, 1-row INSERT per commit, 32 clients', int(pgbench.tps), '', ''],
      ],
    );
    return {
      payments: PAYMENTS,
      warmUp: WARM_UP,
      concurrency: CONCURRENCY,
      banks: BANKS,
      batchSize: BATCH_SIZE,
      result: single.result,
      batches: single.batches,
      cpuCores: single.cpuCores,
      batchEndpoint: batch,
      pgbenchSingleInsert: pgbench,
      ratio,
      batchRatio,
    };
  } finally {
    await running.close().catch(() => undefined);
    await reference.tearDown().catch(() => undefined);
    await dropSchema(url, schema);
  }
}
