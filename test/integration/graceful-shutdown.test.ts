import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { Client } from 'pg';
import { REPO_ROOT } from '../../src/platform/config/config.js';
import { generateKeyPair, publicKeyToBase64url } from '../../src/platform/signatures/index.js';
import {
  request,
  startEmbeddedTestApp,
  startTestApp,
  usingPostgres,
  type Json,
  type TestApp,
} from '../support/test-app.js';

const REQUESTS = 300;
const ANSWERED_BEFORE_SIGNAL = 20;

/**
 * The service as an operator runs it (`node dist/src/main.js`, a child process): SIGTERM while
 * signed writes are in flight. It must stop accepting, answer what it accepted, drain the
 * sequencer, close the database and exit with 0; every request it acknowledged (200) must be in
 * the database afterwards. Runs on PostgreSQL at DATABASE_URL (a schema of its own) or on the
 * embedded database (a directory of its own), like the other integration tests.
 */
describe('graceful shutdown', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-shutdown-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let child: ChildProcess | undefined;

  after(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (usingPostgres()) {
      const client = new Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    }
  });

  it('SIGTERM with requests in flight: exit 0, every acknowledged request committed', async () => {
    const operator = generateKeyPair();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      YB_LOG_LEVEL: 'info',
      YB_DATA_DIR: dataDir,
      YB_DEMO: 'off',
      YB_OPERATOR_PUBLIC_KEY: publicKeyToBase64url(operator.publicKey),
      ...(usingPostgres() ? { DATABASE_URL: process.env.DATABASE_URL!, YB_DB_SCHEMA: schema } : {}),
    };
    const started = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'src', 'main.js')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      started.once('exit', (code, signal) => resolve({ code, signal })),
    );

    // Every stdout line must be a JSON object (the structured log); the first with a url says where.
    const lines: Json[] = [];
    const serving = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not serving after 60 s; stderr: ${stderr}`)), 60_000);
      void exited.then(({ code }) =>
        reject(new Error(`exited with ${code} before serving; stderr: ${stderr}`)),
      );
      createInterface({ input: started.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line);
        lines.push(entry);
        if (typeof entry.url === 'string' && /serving on/.test(entry.msg)) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      });
    });
    const url = await serving;
    const signer = { keyId: 'OPERATOR-key-1', secretKey: operator.secretKey };

    // Many signed writes at once; SIGTERM as soon as the first few have been answered.
    const ids = Array.from({ length: REQUESTS }, () => randomUUID());
    let answered = 0;
    let answeredAfterSignal = 0;
    let signalled = false;
    let inFlightAtSignal = 0;
    let signal!: () => void;
    const signalSent = new Promise<void>((resolve) => (signal = resolve));
    const outcomes = ids.map((id) =>
      request(
        url,
        'POST',
        '/v1/ledger/accounts',
        { accounts: [{ id, currency: 'CNY', code: 1 }] },
        { 'idempotency-key': id },
        { signer },
      ).then(
        (response) => {
          answered += 1;
          if (signalled) answeredAfterSignal += 1;
          if (!signalled && answered >= ANSWERED_BEFORE_SIGNAL) {
            signalled = true;
            inFlightAtSignal = REQUESTS - answered;
            started.kill('SIGTERM');
            signal();
          }
          return { id, status: response.status, code: response.body?.code as string | undefined };
        },
        (error: Error) => ({ id, status: 0, code: error.message }),
      ),
    );
    const results = await Promise.all(outcomes);
    await signalSent;
    const { code, signal: bySignal } = await exited;
    assert.equal(bySignal, null, `killed by ${bySignal}; stderr: ${stderr}`);
    assert.equal(code, 0, `exit code ${code}; stderr: ${stderr}`);
    assert.equal(stderr, '');

    const acknowledged = results.filter((r) => r.status === 200).map((r) => r.id);
    assert.ok(inFlightAtSignal > 0, 'some requests were still in flight when SIGTERM was sent');
    assert.ok(acknowledged.length >= ANSWERED_BEFORE_SIGNAL);
    assert.ok(answeredAfterSignal > 0, 'requests in flight at SIGTERM were answered');
    // Anything else is a refusal by a service that is going away, or a connection it closed.
    for (const r of results) {
      if (r.status === 200) continue;
      assert.ok(r.status === 0 || (r.status === 503 && r.code === 'not_the_writer'), JSON.stringify(r));
    }
    const stopped = lines.find((l) => /^sequencer stopped at position \d+$/.test(l.msg));
    assert.ok(stopped, 'the log says the sequencer drained');

    // Open the same database again (with the same operator key, so that starting writes nothing) and look.
    let verify: TestApp | undefined;
    const same = { YB_DATA_DIR: dataDir, YB_OPERATOR_PUBLIC_KEY: env.YB_OPERATOR_PUBLIC_KEY! };
    try {
      verify = usingPostgres()
        ? await startTestApp({ schema, env: same })
        : await startEmbeddedTestApp({ embeddedDir: dataDir, env: same });
      const found = new Set(
        (await verify.db.query<{ id: string }>('select id::text as id from ledger_accounts')).map(
          (r) => r.id,
        ),
      );
      const missing = acknowledged.filter((id) => !found.has(id));
      assert.deepEqual(missing, [], 'every acknowledged account is in the database');
      const position = await verify.db.scalar('select position from event_log_head');
      assert.equal(stopped.msg, `sequencer stopped at position ${position}`);
    } finally {
      await verify?.close();
    }
  });
});
