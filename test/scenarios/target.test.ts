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
  targetSummaryTable,
  TargetRunRefused,
  writeTargetOutput,
  type TargetResults,
} from '../../src/scenarios/target-run.js';
import { timedActions, timedEventSigners } from '../../src/scenarios/target-events.js';
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

  it('sends the timed events that have a REST equivalent at their scaled times, and lists what cannot be applied', async () => {
    const text = fs
      .readFileSync(DEMO_TARGET, 'utf8')
      .replace(
        'policies: { expiresIn: 1d, settlementInterval: 1m }',
        'policies: { expiresIn: 1d, settlementInterval: 1m, liquiditySaving: false, queueOrder: customer_first }',
      );
    const withEvents = parseScenario(
      `${text}
events:
  - { at: 5m, type: fx_shock, currency: THB, change: 0.25, duration: 30m }
  - { at: 10m, type: corridor_suspension, corridor: [CN, HK], by: HK, duration: 20m }
  - { at: 15m, type: provider_outage, provider: HARBHKHH, duration: 10m }
  - { at: 20m, type: freeze, institution: CHAOTHBX, scope: outgoing, duration: 10m }
  - { at: 40m, type: bank_run, bank: NAJDSAJE, share: 0.1 }
variants:
  - { name: pvp-off, policies: { pvp: false } }
`,
      'with-events.yaml',
    );
    const operator = client('OPERATOR');
    const sheets = async () =>
      (await operator.fx.rateSheets()).rateSheets
        .map((s) => `${s.provider} ${s.from}/${s.to} ${s.rate} ${s.spreadBps}`)
        .sort();
    const before = await sheets();
    assert.ok(before.some((s) => s.startsWith('HARBHKHH ')));
    assert.ok(before.some((s) => s.includes('THB/')));

    const calls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      if (!url.pathname.startsWith('/v1/payments')) calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      return fetch(input, init);
    };
    const results = await runAgainstTarget(withEvents, {
      target: app.url,
      keysFile,
      seed: 99,
      durationSeconds: 3,
      speed: 1000,
      concurrency: 8,
      fetch: spy,
    });
    assert.deepEqual(results.errors, []);

    // Every phase sent, in virtual-time order, near its scaled time, each request answered ok.
    const phases = results.timedEvents.map((e) => `${e.atSeconds} ${e.event} ${e.phase}`);
    assert.deepEqual(phases, [
      '300 FX shock THB +25% start',
      '600 corridor CN-HK suspended by HK start',
      '900 provider outage HARBHKHH start',
      '1200 freeze CHAOTHBX (outgoing) start',
      '1500 provider outage HARBHKHH end',
      '1800 corridor CN-HK suspended by HK end',
      '1800 freeze CHAOTHBX (outgoing) end',
      '2100 FX shock THB +25% end',
      '2400 run on NAJDSAJE (10%) start',
    ]);
    for (const e of results.timedEvents) {
      assert.ok(
        e.outcome.length > 0 && e.outcome.split('; ').every((o) => o.endsWith(': ok')),
        `${e.event}: ${e.outcome}`,
      );
      assert.ok(e.lateMs < 3000, `${e.event} sent ${e.lateMs} ms late`);
    }
    const shock = results.timedEvents[0]!.outcome;
    assert.match(shock, /JADECNSH publishes CNY\/THB at 6\.125: ok/); // 4.9 × 1.25
    assert.match(results.timedEvents[2]!.outcome, /withdraw HKD\/CNY: ok/);
    assert.match(results.timedEvents[8]!.outcome, /^redeem \d+ SAR from NAJDSAJE: ok$/);
    assert.ok(
      calls.includes('POST /v1/corridors/CN-HK/suspend') && calls.includes('POST /v1/corridors/CN-HK/resume'),
    );
    assert.ok(calls.includes('POST /v1/institutions/CHAOTHBX/freeze'));
    assert.ok(calls.includes('DELETE /v1/fx/rate-sheets/HKD/CNY'));

    // What cannot be applied is said, with why.
    const notApplied = results.notApplied.map((n) => n.what);
    assert.ok(notApplied.includes('policies.liquiditySaving: false'));
    assert.ok(notApplied.some((w) => w.startsWith('variants (pvp-off)')));
    const table = targetSummaryTable(results);
    assert.match(table, /timed events sent:\n {2}\+0d00:05:00 FX shock THB \+25% \(start\): /);
    assert.match(
      table,
      /not applied to the live service:\n {2}policies\.liquiditySaving: false: the service's own switch/,
    );

    // The service holds what the events did, and what their ends undid.
    const corridor = await operator.corridors.get('CN-HK');
    assert.equal(corridor.open, true);
    assert.deepEqual(await sheets(), before, 'the rate sheets are back as they were');
    const types = async (type: string) => (await operator.audit.events({ type, limit: 500 })).items;
    assert.equal((await types('CorridorSuspended')).length, 1);
    assert.equal((await types('CorridorResumed')).length, 1);
    assert.equal((await types('InstitutionFrozen')).length, 1);
    assert.equal((await types('InstitutionUnfrozen')).length, 1);
    assert.ok((await types('CbdcRedeemed')).some((e) => JSON.stringify(e.data).includes('NAJDSAJE')));
    // Customer payments first: the queue-order policy travels as each payment's priority.
    const sent = results.payments.filter((p) => p.paymentId !== null);
    const priorities = new Set<number>();
    for (const p of sent.slice(0, 40)) priorities.add((await operator.payments.get(p.paymentId!)).priority);
    assert.deepEqual([...priorities].sort(), [5, 7]);
  });

  it('an event started within the part sent is ended when the run ends, one started after it is not sent', () => {
    const withEvents = parseScenario(
      `${fs.readFileSync(DEMO_TARGET, 'utf8')}
events:
  - { at: 10m, type: corridor_suspension, corridor: [CN, HK], by: HK, duration: 1h }
  - { at: 2h, type: freeze, institution: CHAOTHBX, duration: 10m }
`,
      'cut.yaml',
    );
    assert.deepEqual(
      timedActions(withEvents, 1800).map((a) => [a.atSeconds, a.phase, a.cut]),
      [
        [600, 'start', false],
        [1800, 'end', true],
      ],
    );
    assert.deepEqual(timedEventSigners(withEvents, timedActions(withEvents, 1800)), ['HKMA']);
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
