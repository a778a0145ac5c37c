import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { AppConfig } from '../../src/platform/config/config.js';
import { NodeKey } from '../../src/platform/node-key/node-key.js';
import { endorsementMessage } from '../../src/platform/node-key/node-keyring.js';
import { keyFromBase64url } from '../../src/platform/signatures/index.js';
import { runCli } from '../support/cli.js';
import { assertEventProof, type ServedAuditEvent } from '../support/event-proof-check.js';
import { fundBankWallet } from '../support/issuance-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, usingPostgres, type Json, type TestApp } from '../support/test-app.js';

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  const { code, output } = await runCli(args);
  return { code, stdout: output };
}

/**
 * `yuanbridge node-key rotate`: the node signs with a new key from its next start; checkpoints
 * signed before keep verifying with the key that signed them, which stays in the key file and in
 * GET /v1/node-key (`retired`), endorsing its successor.
 */
describe('rotating the node key', () => {
  let app: TestApp;
  let net: TestNetwork;
  let dir: string;
  let keyFile: string;
  const nodeKey = async () => (await app.request('GET', '/v1/node-key', undefined, {}, { as: null })).body;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-node-key-rotation-'));
    keyFile = path.join(dir, 'node-key.json');
    app = await startTestApp({ env: { YB_NODE_KEY_FILE: keyFile } });
    net = await setUpNetwork(app);
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checkpoints before and after a rotation all verify: through the service, each event alone, and (PostgreSQL) the CLI with the key file', async () => {
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN1', 1_000_00n);
    const first = await nodeKey();
    assert.equal(first.keyId, 'yuanbridge-node-key-1');
    assert.deepEqual(first.retired, []);

    await app.stop();
    const rotated = await cli('node-key', 'rotate', '--file', keyFile);
    assert.equal(rotated.code, 0, rotated.stdout);
    assert.equal(JSON.parse(rotated.stdout).keyId, 'yuanbridge-node-key-2');
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    await app.restart();
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 2_000_00n);

    const second = await nodeKey();
    assert.equal(second.keyId, 'yuanbridge-node-key-2');
    assert.notEqual(second.publicKey, first.publicKey);
    assert.equal(second.retired.length, 1);
    const retired = second.retired[0];
    assert.equal(retired.keyId, 'yuanbridge-node-key-1');
    assert.equal(retired.publicKey, first.publicKey);
    assert.equal(retired.successor, 'yuanbridge-node-key-2');
    // The retired key vouches for its successor: verifiable by anyone who trusted the old key.
    assert.ok(
      ed25519.verify(
        Buffer.from(retired.endorsement, 'base64url'),
        endorsementMessage(retired.keyId, second.keyId, keyFromBase64url(second.publicKey)),
        keyFromBase64url(first.publicKey),
      ),
    );

    const keyIds = await app.db.query<{ key_id: string }>(
      'select distinct key_id from audit_checkpoints order by key_id',
    );
    assert.deepEqual(
      keyIds.map((r) => r.key_id),
      ['yuanbridge-node-key-1', 'yuanbridge-node-key-2'],
    );

    // The service verifies the whole log with both keys.
    const report = await app.request('GET', '/v1/audit/verify', undefined, {}, { as: net.as('REG-CN') });
    assert.equal(report.status, 200, report.text);
    assert.equal(report.body.ok, true, report.text);

    // Each event alone, with the key its checkpoint names.
    const events = (
      await app.request('GET', '/v1/audit/events?limit=500', undefined, {}, { as: net.as('REG-CN') })
    ).body.items as ServedAuditEvent[];
    const byKey = new Map<string, number>();
    for (const event of events) {
      const keyId = (event.proof as unknown as { checkpoint: { keyId: string } }).checkpoint.keyId;
      byKey.set(keyId, (byKey.get(keyId) ?? 0) + 1);
      const key = keyId === second.keyId ? second.publicKey : retired.publicKey;
      assertEventProof(event, keyFromBase64url(key as string));
    }
    assert.ok((byKey.get('yuanbridge-node-key-1') ?? 0) > 0 && (byKey.get('yuanbridge-node-key-2') ?? 0) > 0);

    if (usingPostgres()) {
      const database = ['audit', 'verify', '--database-url', app.env.DATABASE_URL!];
      database.push('--schema', app.env.YB_DB_SCHEMA!);
      const withFile = await cli(...database, '--node-key', keyFile);
      assert.equal(withFile.code, 0, withFile.stdout);
      // Only the new key: the checkpoints the old one signed do not verify under it.
      const newKeyOnly = await cli(...database, `--node-public-key=${second.publicKey as string}`);
      assert.equal(newKeyOnly.code, 1, newKeyOnly.stdout);
      assert.match(newKeyOnly.stdout, /BROKEN/);
    }
  });

  it('a key file whose endorsement was tampered with is refused: the service does not start, the CLI says why', async () => {
    const tampered = path.join(dir, 'tampered.json');
    const json = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { retired: Json[] };
    const other = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { retired: Json[] };
    // Another key's endorsement in its place (well-formed, but not over this successor).
    const forged = (await cli('node-key', 'rotate', '--file', keyFile)).stdout;
    assert.ok(forged.includes('yuanbridge-node-key-3'));
    const rotatedAgain = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { retired: Json[] };
    json.retired[0]!.endorsement = rotatedAgain.retired[1]!.endorsement;
    fs.writeFileSync(tampered, JSON.stringify(json), { mode: 0o600 });
    const shown = await cli('node-key', 'show', '--file', tampered);
    assert.equal(shown.code, 2, shown.stdout);
    assert.match(shown.stdout, /did not endorse yuanbridge-node-key-2/);
    assert.throws(
      () => new NodeKey({ nodeKeyFile: tampered } as AppConfig),
      /did not endorse yuanbridge-node-key-2/,
    );
    // A successor that is not the next key.
    other.retired[0]!.successor = 'yuanbridge-node-key-9';
    fs.writeFileSync(tampered, JSON.stringify(other), { mode: 0o600 });
    assert.match((await cli('node-key', 'rotate', '--file', tampered)).stdout, /names yuanbridge-node-key-9/);
  });
});
