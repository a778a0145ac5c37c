import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { runCli } from '../support/cli.js';
import { fundBankWallet } from '../support/issuance-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';

/**
 * `yuanbridge audit verify --witness <file>`: verification alone accepts a log whose tail was cut
 * off together with its checkpoints and head (what remains is a valid, shorter log). A verifier
 * that keeps a witness of what it verified (head position and chain value there) sees the cut the
 * next time, and a history rewritten under the same head.
 */
describe('audit verify against a witness of an earlier verification', { skip: !usingPostgres() }, () => {
  let app: TestApp;
  let net: TestNetwork;
  let dir: string;
  let witness: string;
  let verify: (...extra: string[]) => Promise<{ code: number; stdout: string }>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-witness-'));
    witness = path.join(dir, 'witness.json');
    app = await startTestApp();
    net = await setUpNetwork(app);
    const nodeKey = (await app.request('GET', '/v1/node-key', undefined, {}, { as: null })).body.publicKey;
    verify = async (...extra: string[]) => {
      const args = ['audit', 'verify', '--database-url', app.env.DATABASE_URL!];
      args.push('--schema', app.env.YB_DB_SCHEMA!, `--node-public-key=${nodeKey}`, ...extra);
      const { code, output } = await runCli(args);
      return { code, stdout: output };
    };
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const head = async () =>
    BigInt((await app.db.query<{ p: string }>('select position::text as p from event_log_head'))[0]!.p);
  const readWitness = () =>
    JSON.parse(fs.readFileSync(witness, 'utf8')) as { position: string; chain: string };

  it('records the head, follows the log as it grows, and sees the tail cut off or the history rewritten', async () => {
    const first = await verify('--witness', witness);
    assert.equal(first.code, 0, first.stdout);
    assert.equal(readWitness().position, String(await head()));

    await fundBankWallet(app, net.as('PBOC'), 'BANKCN1', 1_000_00n);
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 2_000_00n);
    const grown = await verify('--witness', witness);
    assert.equal(grown.code, 0, grown.stdout);
    const seen = await head();
    assert.equal(readWitness().position, String(seen));
    const chainSeen = readWitness().chain;
    const chainInLog = (
      await app.db.query<{ c: string }>(
        `select encode(chain, 'hex') as c from events where global_position = $1`,
        [seen.toString()],
      )
    )[0]!.c;
    assert.equal(chainSeen, chainInLog);

    // Someone with write access cuts the tail at an earlier checkpoint, with its checkpoints and
    // the head: every remaining row, link, checkpoint and signature is still valid.
    await app.stop();
    const db = new Client({ connectionString: app.env.DATABASE_URL });
    await db.connect();
    await db.query(`set search_path to ${app.env.YB_DB_SCHEMA!}`);
    const sql = async <T>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];
    const [cut] = await sql<{ p: string }>(
      `select max(to_position)::text as p from audit_checkpoints where to_position < $1`,
      [seen.toString()],
    );
    const at = BigInt(cut!.p);
    assert.ok(at > 0n && at < seen);
    await sql('delete from events where global_position > $1', [at.toString()]);
    await sql('delete from audit_checkpoints where to_position > $1', [at.toString()]);
    await sql('update event_log_head set position = $1', [at.toString()]);
    await db.end();

    const alone = await verify();
    assert.equal(alone.code, 0, `verification alone accepts the shorter log: ${alone.stdout}`);
    const held = await verify('--witness', witness);
    assert.equal(held.code, 1, held.stdout);
    assert.match(
      held.stdout,
      new RegExp(
        `^BROKEN at position ${at + 1n}: truncated: the log ends at position ${at}, but it reached position ${seen}`,
      ),
    );
    assert.equal(readWitness().position, String(seen), 'a broken log does not move the witness');

    // A witness of another history at a position the log still has: forked.
    fs.writeFileSync(
      witness,
      JSON.stringify({ position: at.toString(), chain: 'ab'.repeat(32), seenAt: '2026-01-01T00:00:00.000Z' }),
    );
    const forked = await verify('--witness', witness);
    assert.equal(forked.code, 1, forked.stdout);
    assert.match(forked.stdout, new RegExp(`^BROKEN at position ${at}: forked: `));

    // Not a witness: a usage error, nothing verified or written.
    fs.writeFileSync(witness, '{"position": 12}');
    const bad = await verify('--witness', witness);
    assert.equal(bad.code, 2, bad.stdout);
    assert.match(bad.stdout, /not a witness/);
    const viaService = await verify('--witness', witness, '--url', 'http://127.0.0.1:9', '--as', 'OPERATOR');
    assert.equal(viaService.code, 2, viaService.stdout);
  });
});
