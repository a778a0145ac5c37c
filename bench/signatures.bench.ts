import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  signRequest,
  signRequestDetailed,
  signatureBaseBytes,
  verifyRequest,
} from '../src/platform/signatures/index.js';
import { BENCH_OPERATOR, startBenchApp } from './support/app.js';
import { benchSchema, dropSchema } from './support/db.js';
import { fixed, int, printTable } from './support/table.js';

/**
 * Signed requests: what RFC 9421 verification costs the server, measured beside a plain request
 * in the same run.
 *
 * 1. Over HTTP, the same service, 64 concurrent keep-alive clients in this process:
 *    - plain: GET /health (public, no signature, trivial handler);
 *    - signed: GET /v1/me (verifies an Ed25519 signature with OpenSSL, trivial handler).
 *    Every signed request has its own nonce (a signature is accepted once); all are signed before
 *    the clock starts, so the client's signing does not take the server's CPU.
 * 2. Verification alone, one core: `verifyRequest` (OpenSSL, what the server runs) and noble's
 *    `ed25519.verify` over the same signature bases (the reference the design notes cite).
 */

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw !== undefined && /^[0-9]+$/.test(raw) ? Number(raw) : fallback;
}

const REQUESTS = envInt('BENCH_SIGNATURES_REQUESTS', 20_000);
const CONCURRENCY = 64;
const VERIFY_SAMPLES = envInt('BENCH_SIGNATURES_VERIFY', 4_000);

interface HttpRun {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latencyMs: { p50: number; p99: number };
  readonly statuses: Record<string, number>;
}

async function drive(
  base: string,
  requests: ReadonlyArray<{ path: string; headers: Record<string, string> }>,
): Promise<HttpRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = new Float64Array(requests.length);
  const statuses: Record<string, number> = {};
  let next = 0;
  const one = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const { path, headers } = requests[index]!;
      const started = performance.now();
      const req = http.request(new URL(path, base), { method: 'GET', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies[index] = performance.now() - started;
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
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
    requests: requests.length,
    seconds,
    perSecond: requests.length / seconds,
    latencyMs: { p50: at(0.5), p99: at(0.99) },
    statuses,
  };
}

export async function runSignaturesBench(url: string): Promise<Record<string, unknown>> {
  const operator = BENCH_OPERATOR;
  const schema = benchSchema('signatures');
  const running = await startBenchApp(url, schema, {
    YB_SIGNATURE_MAX_AGE_SECONDS: '3600',
  });
  try {
    const keyId = 'OPERATOR-key-1';
    const plain = Array.from({ length: REQUESTS }, () => ({ path: '/health', headers: {} }));
    const signed = Array.from({ length: REQUESTS }, () => ({
      path: '/v1/me',
      headers: {
        ...signRequest({ method: 'GET', url: `${running.url}/v1/me`, keyId, secretKey: operator.secretKey }),
      } as Record<string, string>,
    }));
    // Warm up both paths (JIT, keep-alive sockets) outside the measurement.
    await drive(running.url, plain.slice(0, 500));
    await drive(running.url, signed.splice(0, 500));
    const plainRun = await drive(running.url, plain.slice(500));
    const signedRun = await drive(running.url, signed);
    const plainAgain = await drive(running.url, plain.slice(500));
    if (signedRun.statuses['200'] !== signedRun.requests)
      throw new Error(`signed requests not all accepted: ${JSON.stringify(signedRun.statuses)}`);
    if (plainRun.statuses['200'] !== plainRun.requests)
      throw new Error(`plain requests failed: ${JSON.stringify(plainRun.statuses)}`);
    const plainRate = (plainRun.perSecond + plainAgain.perSecond) / 2;

    // Verification alone.
    const samples = Array.from({ length: VERIFY_SAMPLES }, (_, i) => {
      const target = `http://127.0.0.1:3000/v1/me?i=${i}`;
      const detail = signRequestDetailed({
        method: 'GET',
        url: target,
        keyId,
        secretKey: operator.secretKey,
      });
      return {
        target,
        headers: detail.headers as unknown as Record<string, string>,
        base: signatureBaseBytes(detail.signatureBase),
        signature: detail.signature,
      };
    });
    const now = Math.floor(Date.now() / 1000);
    let started = performance.now();
    for (const s of samples) {
      const result = verifyRequest({
        method: 'GET',
        url: s.target,
        headers: s.headers,
        body: undefined,
        now,
        maxAgeSeconds: 3600,
        maxSkewSeconds: 30,
        resolveKey: () => ({ publicKey: operator.publicKey }),
      });
      if (!result.ok) throw new Error(`verifyRequest refused a good signature: ${result.detail}`);
    }
    const opensslPerSecond = samples.length / ((performance.now() - started) / 1000);
    const nobleSamples = samples.slice(0, Math.min(samples.length, 1_000));
    started = performance.now();
    for (const s of nobleSamples) {
      if (!ed25519.verify(s.signature, s.base, operator.publicKey))
        throw new Error('noble refused a good signature');
    }
    const noblePerSecond = nobleSamples.length / ((performance.now() - started) / 1000);

    printTable(
      `HTTP, ${CONCURRENCY} concurrent keep-alive clients in process, ${int(plainRun.requests)} requests each`,
      ['request', 'req/s', 'p50 ms', 'p99 ms', 'vs plain'],
      [
        [
          'plain GET /health (run 1)',
          int(plainRun.perSecond),
          fixed(plainRun.latencyMs.p50),
          fixed(plainRun.latencyMs.p99),
          '1.00',
        ],
        [
          'signed GET /v1/me (Ed25519, OpenSSL)',
          int(signedRun.perSecond),
          fixed(signedRun.latencyMs.p50),
          fixed(signedRun.latencyMs.p99),
          fixed(signedRun.perSecond / plainRate),
        ],
        [
          'plain GET /health (run 2)',
          int(plainAgain.perSecond),
          fixed(plainAgain.latencyMs.p50),
          fixed(plainAgain.latencyMs.p99),
          '1.00',
        ],
      ],
    );
    printTable(
      'Verification alone, one core',
      ['verifier', 'verifications/s', 'vs noble'],
      [
        [
          'verifyRequest (parse + digest checks + OpenSSL Ed25519)',
          int(opensslPerSecond),
          fixed(opensslPerSecond / noblePerSecond),
        ],
        ['@noble/curves ed25519.verify (signature only)', int(noblePerSecond), '1.00'],
      ],
    );
    return {
      http: {
        concurrency: CONCURRENCY,
        plain: plainRun,
        signed: signedRun,
        plainAgain,
        signedToPlainRatio: signedRun.perSecond / plainRate,
      },
      verification: {
        samples: samples.length,
        opensslVerifyRequestPerSecond: opensslPerSecond,
        nobleVerifyPerSecond: noblePerSecond,
        nobleSamples: nobleSamples.length,
      },
    };
  } finally {
    await running.close();
    await dropSchema(url, schema);
  }
}
