import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { bankWalletAccountId } from '../../src/institutions/domain/chart-of-accounts.js';
import { readKeysFile, signerOf } from '../../src/institutions/bootstrap/keys-file.js';
import { creditBalance } from '../../src/ledger/domain/ledger-effects.js';
import { loadScenarioFile, scenarioSchemaPath } from '../../src/scenarios/load-scenario.js';
import { PersistRefused, persistRun } from '../../src/scenarios/persist-run.js';
import { runReplication } from '../../src/scenarios/run-replication.js';
import type { SimulationWorld } from '../../src/scenarios/simulation-world.js';
import {
  startTestApp,
  usingPostgres,
  type Json,
  type TestApp,
  type TestResponse,
} from '../support/test-app.js';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const GRIDLOCK = path.join(path.dirname(scenarioSchemaPath()), 'gridlock.yaml');

/**
 * `scenario run --database-url`: the bundled gridlock scenario (queues, bilateral offsetting,
 * payments still queued at the end) persisted into a fresh schema of the test database, then
 * read back three ways: `audit verify` on the database, and the service started on it (payments,
 * balances, the audit trail as a central bank reads it), each compared with the engine's own run.
 */
describe(
  'scenario run --database-url: the run persisted as the service writes it',
  { skip: !usingPostgres() },
  () => {
    const databaseUrl = process.env.DATABASE_URL!;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const plan = loadScenarioFile(GRIDLOCK);
    let dir: string;
    let nodeKey: string;
    let app: TestApp | undefined;

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-persist-'));
      nodeKey = path.join(dir, 'node-key.json');
    });
    after(async () => {
      await app?.close();
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('writes the first replication through the sequencer; audit verify OK; the service serves what the engine computed', async () => {
      const out = path.join(dir, 'out');
      const cli = await run(
        process.execPath,
        [
          CLI,
          'scenario',
          'run',
          GRIDLOCK,
          '--replications',
          '1',
          '--workers',
          '1',
          '--out',
          out,
          '--database-url',
          databaseUrl,
          '--schema',
          schema,
          '--node-key',
          nodeKey,
        ],
        { env: { ...process.env, YB_DB_SCHEMA: '' } },
      );
      const persisted =
        /persisted run 'baseline', replication 0 \(seed 7\) to schema (\w+): (\d+) commands at (\d+) virtual instants, (\d+) events \(positions 1\.\.(\d+)\)/.exec(
          cli.stdout,
        );
      assert.ok(persisted, cli.stdout);
      assert.equal(persisted[1], schema);
      const events = Number(persisted[4]);
      assert.equal(persisted[5], String(events));
      assert.ok(events > 200);

      // The engine's own replication 0, for comparison (deterministic: the same as the one persisted).
      let world: SimulationWorld | undefined;
      const engine = runReplication(
        { plan, variant: 'baseline', replication: 0, seed: plan.seed },
        { inspect: (_store, w) => (world = w) },
      );
      assert.equal(engine.eventsWritten, events);
      const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as Json;
      assert.equal(
        results.runs[0].replications[0].metrics.payments.received,
        engine.metrics.payments.received,
      );

      // (a) The audit trail verifies: every event re-hashed, one signed checkpoint per commit.
      const verify = await run(process.execPath, [
        CLI,
        'audit',
        'verify',
        '--database-url',
        databaseUrl,
        '--schema',
        schema,
        '--node-key',
        nodeKey,
      ]);
      assert.match(
        verify.stdout,
        new RegExp(`^OK: ${events} events re-hashed, \\d+ signed checkpoints verified, head ${events} `),
      );

      // A second run into the same (now non-empty) log is refused before anything is written.
      await assert.rejects(
        persistRun(plan, { databaseUrl, schema, nodeKeyFile: nodeKey }),
        (error: Error) =>
          error instanceof PersistRefused &&
          /already holds \d+ events: a scenario builds its network from nothing/.test(error.message),
      );

      // The CLI checks before it simulates: nothing is run or written.
      const again = path.join(dir, 'again');
      const refused = await run(
        process.execPath,
        [CLI, 'scenario', 'run', GRIDLOCK, '--out', again, '--database-url', databaseUrl, '--schema', schema],
        { env: { ...process.env, YB_DB_SCHEMA: '' } },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`schema ${schema} already holds ${events} events`));
      assert.equal(fs.existsSync(again), false);

      // (b) The service started on that database serves the run. Its operator key is the scenario's
      // (so the bootstrap finds the operator registered as configured and writes nothing).
      const keys = readKeysFile(path.join(out, 'keys.json')).institutions;
      app = await startTestApp({
        schema,
        env: { YB_NODE_KEY_FILE: nodeKey, YB_OPERATOR_PUBLIC_KEY: keys.OPERATOR!.publicKey },
      });
      const operator = { as: signerOf(keys.OPERATOR!) };
      assert.equal(await app.db.scalar('select count(*) from events'), BigInt(events));
      const start = new Date(Number(plan.startNs / 1_000_000n)).toISOString();

      // Payments, by status, as the engine counted them.
      const byStatus: Record<string, number> = {};
      for (let after: string | null = null; ;) {
        const page: TestResponse = await app.request(
          'GET',
          `/v1/payments?limit=1000${after === null ? '' : `&after=${after}`}`,
          undefined,
          {},
          operator,
        );
        assert.equal(page.status, 200, page.text);
        for (const p of page.body.items as Json[]) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
        after = page.body.nextCursor;
        if (after === null) break;
      }
      const p = engine.metrics.payments;
      assert.equal(p.received, 57);
      assert.deepEqual(byStatus, { settled: p.settled, queued: p.queuedAtEnd });
      assert.ok(p.settled > 0 && p.queuedAtEnd > 0);

      // Every bank wallet's balance is the engine's.
      for (const j of plan.jurisdictions) {
        for (const bank of j.banks) {
          for (const currency of [
            j.currency,
            ...(bank.liquidityProvider?.holdings.map((h) => h.currency) ?? []),
          ]) {
            const id = bankWalletAccountId(bank.id, currency);
            const account: TestResponse = await app.request(
              'GET',
              `/v1/ledger/accounts/${id}`,
              undefined,
              {},
              operator,
            );
            assert.equal(account.status, 200, `${bank.id} ${currency}: ${account.text}`);
            assert.equal(
              BigInt(account.body.creditsPosted.amountMinor) - BigInt(account.body.debitsPosted.amountMinor),
              creditBalance(world!.ledger, id),
              `${bank.id} ${currency}`,
            );
          }
        }
      }

      // The regulator's view: PBOC (signing with its key from the scenario's keys file) reads the
      // events touching CN, recorded on the virtual clock, with their proofs.
      const pboc = signerOf(keys.PBOC!);
      const audit = await app.request('GET', '/v1/audit/events?limit=500', undefined, {}, { as: pboc });
      assert.equal(audit.status, 200, audit.text);
      const items = audit.body.items as Json[];
      assert.ok(items.length > 50);
      assert.ok(items.every((e) => (e.jurisdictions as string[]).includes('CN')));
      assert.equal(items[0].recordedAt, start);
      assert.ok(items.some((e) => e.type === 'PaymentSettled'));
      assert.ok(items.every((e) => e.proof !== null));
      const last = items.at(-1)!;
      assert.ok(Date.parse(last.recordedAt) <= Date.parse(start) + plan.durationSeconds * 1000);
    });
  },
);
