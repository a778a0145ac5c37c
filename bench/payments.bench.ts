import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RunningApp } from '../src/create-app.js';
import {
  generateKeyPair,
  publicKeyToBase64url,
  signRequest,
  type Ed25519KeyPair,
} from '../src/platform/signatures/index.js';
import { startBenchApp } from './support/app.js';
import { benchSchema, countRows, dropSchema } from './support/db.js';
import { PgbenchReference } from './support/pgbench.js';
import { fixed, int, passMiss, printTable } from './support/table.js';

/**
 * Cross-border PvP payments through REST: `POST /v1/payments`, each signed (RFC 9421, Ed25519)
 * by one of 8 CN banks paying one of 8 HK banks in CNY, converted by a liquidity provider, two
 * legs settled atomically; 64 concurrent keep-alive clients in this process. Requests are signed
 * before the clock starts. Beside it, on the same server in the same run: pgbench, one INSERT per
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

interface Prepared {
  readonly path: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

async function setUpNetwork(running: RunningApp, keys: Map<string, Ed25519KeyPair>): Promise<void> {
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

function prepare(base: string, keys: Map<string, Ed25519KeyPair>, count: number, offset: number): Prepared[] {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const payer = `CNBANK${(i % BANKS) + 1}`;
    const body = JSON.stringify({
      payee: { bank: `HKBANK${((i * 7) % BANKS) + 1}` },
      amount: '10.00',
      currency: 'CNY',
      purpose: 'GDDS',
      remittanceInfo: `bench ${i}`,
    });
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
    return { path: '/v1/payments', body, headers };
  });
}

async function drive(base: string, requests: readonly Prepared[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = new Float64Array(requests.length);
  const statuses = new Map<string, number>();
  let next = 0;
  const one = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const { path, body, headers } = requests[index]!;
      const started = performance.now();
      const req = http.request(
        new URL(path, base),
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies[index] = performance.now() - started;
            let key = String(res.statusCode);
            if (res.statusCode === 201)
              key = `201 ${(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status: string }).status}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < requests.length) await one(next++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    count: requests.length,
    seconds,
    perSecond: requests.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    statuses: Object.fromEntries(statuses),
  };
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
    console.log(`  signing ${int(PAYMENTS + WARM_UP)} requests…`);
    const warm = prepare(running.url, keys, WARM_UP, 0);
    const measured = prepare(running.url, keys, PAYMENTS, WARM_UP);
    await drive(running.url, warm);
    console.log(`  ${int(PAYMENTS)} payments, ${CONCURRENCY} clients…`);
    const result = await drive(running.url, measured);
    if (result.statuses['201 settled'] !== PAYMENTS)
      throw new Error(`not every payment settled: ${JSON.stringify(result.statuses)}`);
    const settledEvents = await countRows(
      url,
      `select count(*) from "${schema}".events where type = 'PaymentSettled'`,
    );
    if (settledEvents !== PAYMENTS + WARM_UP)
      throw new Error(`the log holds ${settledEvents} PaymentSettled events, expected ${PAYMENTS + WARM_UP}`);
    await running.close();

    await reference.setUp();
    console.log(`  pgbench single INSERT per commit, 32 clients, ${PGBENCH_SECONDS} s…`);
    const single = await reference.singleInsert('single-insert', PGBENCH_SECONDS);
    const ratio = result.perSecond / single.tps;
    printTable(
      'Cross-border PvP payments through REST, signed, 64 clients (in process)',
      ['measure', 'value', 'target', ''],
      [
        [
          'payments/s (all settled, two legs each)',
          int(result.perSecond),
          '3,000',
          passMiss(result.perSecond >= 3_000),
        ],
        ['latency p50, ms', fixed(result.p50), '', ''],
        ['latency p99, ms', fixed(result.p99), '< 50', passMiss(result.p99 < 50)],
        ['pgbench commits/s, 1-row INSERT per commit, 32 clients', int(single.tps), '', ''],
        ['payments/s ÷ pgbench commits/s', fixed(ratio, 3), '0.75', passMiss(ratio >= 0.75)],
      ],
    );
    return {
      payments: PAYMENTS,
      warmUp: WARM_UP,
      concurrency: CONCURRENCY,
      banks: BANKS,
      result,
      pgbenchSingleInsert: single,
      ratio,
    };
  } finally {
    await running.close().catch(() => undefined);
    await reference.tearDown().catch(() => undefined);
    await dropSchema(url, schema);
  }
}
