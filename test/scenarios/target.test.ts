import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { readKeysFile } from '../../src/institutions/bootstrap/keys-file.js';
import { loadScenarioFile, parseScenario, scenarioSchemaPath } from '../../src/scenarios/load-scenario.js';
import {
  runAgainstTarget,
  targetInstructions,
  TargetRunRefused,
  writeTargetOutput,
  type TargetResults,
} from '../../src/scenarios/target-run.js';
import { YuanbridgeClient, type Payment } from '../../src/sdk/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const DEMO_TARGET = path.join(path.dirname(scenarioSchemaPath()), 'demo-target.yaml');

/**
 * `scenario run --target`: the bundled demo-target scenario's workload sent to a service running
 * the demo network, each payment signed by its payer with a key from the keys file the service
 * wrote. A few seconds of wall time: an hour of virtual time at ×1000.
 */
describe('scenario run --target: the workload against a live service', () => {
  let app: TestApp;
  let dir: string;
  let keysFile: string;
  const plan = loadScenarioFile(DEMO_TARGET);
  const client = (institution: string) => {
    const entry = readKeysFile(keysFile).institutions[institution]!;
    return new YuanbridgeClient({ baseUrl: app.url, keyId: entry.keyId, secretKey: entry.secretKey });
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-target-'));
    keysFile = path.join(dir, 'keys.json');
    app = await startTestApp({ env: { YB_DEMO: 'on', YB_KEYS_FILE: keysFile, YB_OPERATOR_PUBLIC_KEY: '' } });
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends signed payments at their scaled times; results.json agrees with what the service holds', async () => {
    const requests: Array<{ method: string; signed: boolean }> = [];
    const spy: typeof fetch = (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      requests.push({
        method: init?.method ?? 'GET',
        signed: typeof headers.signature === 'string' && typeof headers['signature-input'] === 'string',
      });
      return fetch(input, init);
    };
    const started = Date.now();
    const results = await runAgainstTarget(plan, {
      target: app.url,
      keysFile,
      durationSeconds: 3,
      speed: 1000,
      concurrency: 8,
      fetch: spy,
    });
    const elapsed = (Date.now() - started) / 1000;
    const out = path.join(dir, 'out');
    writeTargetOutput(out, results);
    const written = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as TargetResults;

    assert.equal(written.virtualSeconds, 3000);
    assert.ok(written.instructions >= 10, `only ${written.instructions} payments in an hour`);
    assert.equal(written.instructions, targetInstructions(plan, plan.seed, 3000).length);
    assert.ok(elapsed >= 2 && elapsed < 20, `ran ${elapsed} s`);
    // Every request signed, and the service accepted every signature (it answers 401 otherwise).
    assert.equal(requests.length, written.instructions);
    assert.ok(requests.every((r) => r.method === 'POST' && r.signed));
    assert.equal(written.byHttpStatus['401'], undefined);
    assert.deepEqual(written.errors, []);
    assert.equal(written.replayed, 0);
    assert.equal(written.byHttpStatus['201'], written.instructions, JSON.stringify(written.byReason));
    assert.ok((written.byStatus.settled ?? 0) > 0, JSON.stringify(written.byStatus));
    assert.ok(written.latencyMs.p50 > 0 && written.latencyMs.p50 <= written.latencyMs.p99);
    assert.ok(written.latencyMs.p99 <= written.latencyMs.max);
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    assert.equal(sum(written.byStatus), written.instructions);
    for (const [corridor, counts] of Object.entries(written.byCorridor))
      assert.equal(sum(counts), written.payments.filter((p) => p.corridor === corridor).length, corridor);

    // GET /v1/payments as each paying bank: every payment the run recorded is there, as recorded
    // (a queued one may have settled since; settled and rejected are final).
    const held = new Map<string, Payment>();
    for (const bank of new Set(plan.workload.flatMap((w) => w.payers)))
      for await (const p of client(bank).payments.all({ limit: '1000' })) held.set(p.id, p);
    const byStatus: Record<string, number> = {};
    for (const p of written.payments) {
      assert.ok(p.paymentId !== null);
      const payment = held.get(p.paymentId);
      assert.ok(payment, `payment ${p.paymentId} (#${p.index}) is not in the service`);
      assert.equal(payment.payer.bank, p.payer);
      assert.equal(`${payment.payer.jurisdiction}->${payment.payee.jurisdiction}`, p.corridor);
      if (p.status === 'queued') assert.ok(['queued', 'settled', 'expired'].includes(payment.status));
      else assert.equal(payment.status, p.status);
      byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    }
    assert.deepEqual(byStatus, written.byStatus);
    assert.equal(new Set(written.payments.map((p) => p.paymentId)).size, written.instructions);
  });

  it('the same seed gives the same instructions (and another seed others)', () => {
    const again = loadScenarioFile(DEMO_TARGET);
    const a = targetInstructions(plan, 42, 6 * 3600);
    const b = targetInstructions(again, 42, 6 * 3600);
    assert.ok(a.length > 50);
    assert.deepEqual(b, a);
    assert.deepEqual(
      new Set(a.map((i) => i.idempotencyKey)).size,
      a.length,
      'one idempotency key per instruction',
    );
    const c = targetInstructions(plan, 43, 6 * 3600);
    assert.notDeepEqual(
      c.map((i) => [i.payer, i.amountMinor]),
      a.map((i) => [i.payer, i.amountMinor]),
    );
    // Time order, and only the scenario's corridors and paying banks.
    for (let k = 1; k < a.length; k++) assert.ok(a[k]!.atSeconds >= a[k - 1]!.atSeconds);
    const corridors = new Set(plan.workload.map((w) => `${w.from}->${w.to}`));
    assert.ok(a.every((i) => corridors.has(i.corridor)));
  });

  it('refuses a scenario whose paying banks are not in the keys file, naming them', async () => {
    const text = fs
      .readFileSync(DEMO_TARGET, 'utf8')
      .replaceAll('SILKCNBJ', 'NOSUCHCN')
      .replaceAll('VICTHKHX', 'NOSUCHHK');
    const other = parseScenario(text, 'renamed.yaml');
    await assert.rejects(
      runAgainstTarget(other, { target: app.url, keysFile, durationSeconds: 1 }),
      (error: unknown) => {
        assert.ok(error instanceof TargetRunRefused);
        assert.match(error.message, /no key for the scenario's paying bank\(s\) NOSUCHCN, NOSUCHHK/);
        return true;
      },
    );
  });

  it('the CLI: --target without --keys is one line and exit code 2', async () => {
    const result = await promisify(execFile)(process.execPath, [
      CLI,
      'scenario',
      'run',
      DEMO_TARGET,
      '--target',
      app.url,
    ]).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^yuanbridge: scenario: --target needs --keys <file>[^\n]*\n$/);
  });
});
