import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, publicKeyToBase64url, signRequest } from '../../src/platform/signatures/index.js';
import { readKeysFile, signerOf } from '../../src/institutions/index.js';
import { DEMO_NETWORK } from '../../src/institutions/bootstrap/demo-network.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

function newKey() {
  const pair = generateKeyPair();
  return { pair, publicKey: publicKeyToBase64url(pair.publicKey) };
}

describe('institutions over HTTP', () => {
  let app: TestApp;
  let net: TestNetwork;
  before(async () => {
    app = await startTestApp();
    net = await setUpNetwork(app);
  });
  after(async () => {
    await app?.close();
  });

  const eventCount = () => app.db.scalar('select count(*) from events');

  it('lists the directory publicly, with each public key', async () => {
    const all = await app.request('GET', '/v1/institutions', undefined, {}, { as: null });
    assert.equal(all.status, 200, all.text);
    const ids = all.body.institutions.map((i: { id: string }) => i.id);
    assert.deepEqual(ids, [
      'BANKCN1',
      'BANKCN2',
      'BANKHK1',
      'BANKHK2',
      'HKMA',
      'OPERATOR',
      'PBOC',
      'REG-CN',
      'REG-HK',
    ]);
    const cn = await app.request(
      'GET',
      '/v1/institutions?jurisdiction=CN&kind=commercial_bank',
      undefined,
      {},
      { as: null },
    );
    assert.deepEqual(
      cn.body.institutions.map((i: { id: string; roles: string[] }) => [i.id, i.roles]),
      [
        ['BANKCN1', ['liquidity_provider']],
        ['BANKCN2', []],
      ],
    );
    const one = await app.request('GET', '/v1/institutions/PBOC', undefined, {}, { as: null });
    assert.equal(one.body.key.keyId, 'PBOC-key-1');
    assert.equal(one.body.key.algorithm, 'ed25519');
    assert.equal(
      (await app.request('GET', '/v1/institutions/NOPE', undefined, {}, { as: null })).body.code,
      'institution_unknown',
    );
    const jurisdictions = await app.request('GET', '/v1/jurisdictions', undefined, {}, { as: null });
    assert.deepEqual(
      jurisdictions.body.jurisdictions.map((j: { code: string; currency: string; centralBankId: string }) => [
        j.code,
        j.currency,
        j.centralBankId,
      ]),
      [
        ['CN', 'CNY', 'PBOC'],
        ['HK', 'HKD', 'HKMA'],
      ],
    );
    const bad = await app.request('GET', '/v1/institutions?kind=bank', undefined, {}, { as: null });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'kind_invalid');
  });

  it('refuses a write by a role that may not make it (403), and writes nothing', async () => {
    const before = await eventCount();
    const body = {
      id: 'BANKCN9',
      kind: 'commercial_bank',
      name: 'x',
      jurisdiction: 'CN',
      publicKey: newKey().publicKey,
    };
    const byBank = await app.request('POST', '/v1/institutions', body, {}, { as: net.as('BANKCN1') });
    assert.equal(byBank.status, 403, byBank.text);
    assert.equal(byBank.body.code, 'forbidden_role');
    assert.equal(byBank.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const byRegulator = await app.request('POST', '/v1/institutions', body, {}, { as: net.as('REG-CN') });
    assert.equal(byRegulator.body.code, 'forbidden_role');
    const byOtherCentralBank = await app.request(
      'POST',
      '/v1/institutions',
      body,
      {},
      { as: net.as('HKMA') },
    );
    assert.equal(byOtherCentralBank.status, 403);
    assert.equal(byOtherCentralBank.body.code, 'forbidden_scope');
    const centralBankByCentralBank = await app.request(
      'POST',
      '/v1/institutions',
      {
        ...body,
        id: 'BOJ',
        kind: 'central_bank',
        jurisdiction: 'JP',
        establishes: { name: 'Japan', currency: 'JPY', timeZone: 'Asia/Tokyo' },
      },
      {},
      { as: net.as('PBOC') },
    );
    assert.equal(centralBankByCentralBank.body.code, 'forbidden_role');
    assert.equal(await eventCount(), before);
  });

  it('refuses bad input with every problem listed (400), and writes nothing', async () => {
    const before = await eventCount();
    const response = await app.request('POST', '/v1/institutions', {
      id: 'lower',
      kind: 'bank',
      name: '',
      jurisdiction: 'China',
      publicKey: 'not-a-key',
      extra: 1,
    });
    assert.equal(response.status, 400, response.text);
    assert.equal(response.body.code, 'invalid_request');
    assert.deepEqual(
      response.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`).sort(),
      [
        '/extra unknown_field',
        '/id institution_id_invalid',
        '/jurisdiction jurisdiction_invalid',
        '/kind kind_invalid',
        '/name name_invalid',
        '/publicKey public_key_invalid',
      ],
    );
    const duplicate = await app.request('POST', '/v1/institutions', {
      id: 'BANKCN1',
      kind: 'commercial_bank',
      name: 'again',
      jurisdiction: 'CN',
      publicKey: newKey().publicKey,
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.code, 'institution_exists');
    assert.equal(await eventCount(), before);
  });

  it('registers idempotently under an Idempotency-Key, and refuses the key with another body', async () => {
    const body = {
      id: 'BANKCN7',
      kind: 'commercial_bank',
      name: 'Seventh',
      jurisdiction: 'CN',
      publicKey: newKey().publicKey,
    };
    const first = await app.request(
      'POST',
      '/v1/institutions',
      body,
      { 'idempotency-key': 'reg-7' },
      { as: net.as('PBOC') },
    );
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('location'), '/v1/institutions/BANKCN7');
    const again = await app.request(
      'POST',
      '/v1/institutions',
      body,
      { 'idempotency-key': 'reg-7' },
      { as: net.as('PBOC') },
    );
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    const other = await app.request(
      'POST',
      '/v1/institutions',
      { ...body, name: 'Other' },
      { 'idempotency-key': 'reg-7' },
      { as: net.as('PBOC') },
    );
    assert.equal(other.status, 409);
    assert.equal(other.body.code, 'idempotency_key_reused');
    // The stored reply (it holds bigint times) answers the same after a restart.
    await app.restart();
    const afterRestart = await app.request(
      'POST',
      '/v1/institutions',
      body,
      { 'idempotency-key': 'reg-7' },
      { as: net.as('PBOC') },
    );
    assert.equal(afterRestart.status, 201, afterRestart.text);
    assert.equal(afterRestart.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(afterRestart.body, first.body);
  });

  it('rotates a key: the old key stops working at once, the new one works', async () => {
    const next = newKey();
    const rotated = await app.request(
      'POST',
      '/v1/institutions/BANKHK2/keys',
      { publicKey: next.publicKey },
      {},
      { as: net.as('BANKHK2') },
    );
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(rotated.body.key.keyId, 'BANKHK2-key-2');
    const withOld = await app.request(
      'POST',
      '/v1/institutions/BANKHK2/keys',
      { publicKey: newKey().publicKey },
      {},
      { as: net.as('BANKHK2') },
    );
    assert.equal(withOld.status, 401);
    assert.equal(withOld.body.code, 'signature_key_unknown');
    const newSigner = { keyId: 'BANKHK2-key-2', secretKey: next.pair.secretKey };
    const byOther = await app.request(
      'POST',
      '/v1/institutions/BANKHK1/keys',
      { publicKey: newKey().publicKey },
      {},
      { as: newSigner },
    );
    assert.equal(byOther.status, 403);
    assert.equal(byOther.body.code, 'forbidden_scope');
    const reused = await app.request(
      'POST',
      '/v1/institutions/BANKHK2/keys',
      { publicKey: newKey().publicKey, keyId: 'BANKHK2-key-1' },
      {},
      { as: newSigner },
    );
    assert.equal(reused.status, 409);
    assert.equal(reused.body.code, 'key_id_taken');
  });

  it('grants and revokes the liquidity-provider role', async () => {
    const granted = await app.request(
      'PUT',
      '/v1/institutions/BANKCN2/roles/liquidity_provider',
      undefined,
      {},
      { as: net.as('PBOC') },
    );
    assert.equal(granted.status, 200, granted.text);
    assert.deepEqual(granted.body.roles, ['liquidity_provider']);
    const revoked = await app.request(
      'DELETE',
      '/v1/institutions/BANKCN2/roles/liquidity_provider',
      undefined,
      {},
      { as: net.as('OPERATOR') },
    );
    assert.deepEqual(revoked.body.roles, []);
    const unknown = await app.request(
      'PUT',
      '/v1/institutions/BANKCN2/roles/king',
      undefined,
      {},
      { as: net.as('PBOC') },
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'role_unknown');
  });

  describe('signatures: every way a request can fail to be authentic is a 401 naming the reason, and writes nothing', () => {
    const body = () => ({
      id: 'BANKCN8',
      kind: 'commercial_bank',
      name: 'Eighth',
      jurisdiction: 'CN',
      publicKey: newKey().publicKey,
    });

    async function send(headers: Record<string, string>, text: string) {
      const response = await fetch(`${app.url}/v1/institutions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      });
      return {
        status: response.status,
        body: (await response.json()) as { code: string; detail: string },
        headers: response.headers,
      };
    }

    function signed(
      text: string,
      overrides: Partial<Parameters<typeof signRequest>[0]> = {},
    ): Record<string, string> {
      return {
        ...signRequest({
          method: 'POST',
          url: `${app.url}/v1/institutions`,
          headers: { 'content-type': 'application/json' },
          body: text,
          keyId: 'PBOC-key-1',
          secretKey: net.as('PBOC').secretKey,
          ...overrides,
        }),
      };
    }

    it('missing, malformed, wrong key, tampered body, expired, from the future, replayed, too little covered', async () => {
      const before = await eventCount();
      const text = JSON.stringify(body());
      const cases: Array<[string, Record<string, string>, string?]> = [
        ['signature_missing', {}],
        ['signature_input_malformed', { ...signed(text), 'signature-input': 'sig1=nonsense(' }],
        ['signature_key_unknown', { ...signed(text, { keyId: 'NOBODY-key-1' }) }],
        ['signature_invalid', { ...signed(text, { secretKey: generateKeyPair().secretKey }) }],
        ['content_digest_mismatch', signed(text), JSON.stringify({ ...body(), name: 'Tampered' })],
        ['signature_expired', signed(text, { created: Math.floor(Date.now() / 1000) - 3600 })],
        ['signature_created_in_future', signed(text, { created: Math.floor(Date.now() / 1000) + 3600 })],
        ['signature_components_insufficient', signed(text, { components: ['@method'] })],
      ];
      for (const [code, headers, sentBody] of cases) {
        const response = await send(headers, sentBody ?? text);
        assert.equal(response.status, 401, `${code}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.code, code);
        assert.ok(response.headers.get('www-authenticate')?.startsWith('Signature'));
      }
      assert.equal(await eventCount(), before);

      const headers = signed(text);
      assert.equal((await send(headers, text)).status, 201);
      const replay = await send(headers, text);
      assert.equal(replay.status, 401);
      assert.equal(replay.body.code, 'signature_replayed');
    });

    it('a valid signature on a public route is ignored; no signature on a signed read is refused', async () => {
      assert.equal((await app.request('GET', '/health', undefined, {}, { as: null })).status, 200);
      const read = await app.request(
        'GET',
        '/v1/ledger/accounts/00000000-0000-7000-8000-000000000001',
        undefined,
        {},
        { as: null },
      );
      assert.equal(read.status, 401);
      assert.equal(read.body.code, 'signature_missing');
      const asBank = await app.request(
        'GET',
        '/v1/ledger/accounts/00000000-0000-7000-8000-000000000001',
        undefined,
        {},
        { as: net.as('BANKCN1') },
      );
      assert.equal(asBank.status, 403);
      assert.equal(asBank.body.code, 'forbidden_role');
    });
  });
});

describe('the demo network and the keys file', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-keys-'));
    app = await startTestApp({
      env: { YB_DEMO: 'on', YB_KEYS_FILE: path.join(dir, 'keys.json'), YB_OPERATOR_PUBLIC_KEY: '' },
    });
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers the five founding central banks, two banks each, a regulator each, and writes their keys (0600)', async () => {
    const file = path.join(dir, 'keys.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const keys = readKeysFile(file);
    assert.deepEqual(
      Object.keys(keys.institutions).sort(),
      ['OPERATOR', ...DEMO_NETWORK.map((m) => m.id)].sort(),
    );
    const listed = await app.request('GET', '/v1/jurisdictions', undefined, {}, { as: null });
    assert.deepEqual(
      listed.body.jurisdictions.map((j: { code: string; currency: string }) => `${j.code}/${j.currency}`),
      ['AE/AED', 'CN/CNY', 'HK/HKD', 'SA/SAR', 'TH/THB'],
    );
    const institutions = await app.request('GET', '/v1/institutions', undefined, {}, { as: null });
    assert.equal(institutions.body.institutions.length, DEMO_NETWORK.length + 1);
    // The keys in the file sign requests the service accepts.
    const asOperator = await app.request(
      'GET',
      '/v1/ledger/accounts/00000000-0000-7000-8000-000000000001',
      undefined,
      {},
      { as: signerOf(keys.institutions.OPERATOR!) },
    );
    assert.equal(asOperator.status, 404, asOperator.text);
  });

  it('a restart registers nothing twice; a lost keys file means new keys, rotated in', async () => {
    const before = await app.db.scalar('select count(*) from events');
    await app.restart();
    assert.equal(await app.db.scalar('select count(*) from events'), before);

    const file = path.join(dir, 'keys.json');
    const old = readKeysFile(file);
    fs.rmSync(file);
    await app.restart();
    const fresh = readKeysFile(file);
    assert.notEqual(fresh.institutions.PBOC!.publicKey, old.institutions.PBOC!.publicKey);
    assert.equal(fresh.institutions.PBOC!.keyId, 'PBOC-key-2');
    const pboc = await app.request('GET', '/v1/institutions/PBOC', undefined, {}, { as: null });
    assert.equal(pboc.body.key.publicKey, fresh.institutions.PBOC!.publicKey);
    const rotations = await app.db.scalar(`select count(*) from events where type = 'InstitutionKeyRotated'`);
    assert.equal(rotations, BigInt(DEMO_NETWORK.length + 1));
  });
});
