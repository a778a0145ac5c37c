import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, signRequest } from '../../src/platform/signatures/index.js';
import { fundBankWallet } from '../support/issuance-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, type Signer, type TestApp } from '../support/test-app.js';
import { reportFigures, setting } from './support/figures.js';
import { rawRequest, type RawResponse } from './support/raw-http.js';

/**
 * Hostile requests at the HTTP edge: replayed, expired, wrongly keyed, tampered and smuggled
 * signatures, oversized bodies and headers, and slow clients. Each must be refused with a problem
 * detail, write nothing, and leave the service serving everyone else.
 */
describe('hostile requests', () => {
  let app: TestApp;
  let network: TestNetwork;
  let bank: Signer;
  let refusals = 0;

  before(async () => {
    app = await startTestApp();
    network = await setUpNetwork(app);
    bank = network.as('BANKCN2');
    await fundBankWallet(app, network.as('PBOC'), 'BANKCN2', 1_000_000n);
  });
  after(async () => {
    await app?.close();
  });

  const PATH = '/v1/wallets/transfers';
  const transferBody = (amountMinor = '100') =>
    JSON.stringify({ from: 'BANKCN2.CNY', to: 'BANKCN1.CNY', amountMinor });

  /** Headers of a request signed now by `signer` (or as told), with an idempotency key. */
  const signed = (body: string, options: { signer?: Signer; created?: number; expires?: number } = {}) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    };
    const signer = options.signer ?? bank;
    return {
      ...headers,
      ...signRequest({
        method: 'POST',
        url: app.url + PATH,
        headers,
        body,
        keyId: signer.keyId,
        secretKey: signer.secretKey,
        created: options.created,
        expires: options.expires,
      }),
    };
  };

  const mark = async () =>
    (
      await app.db.query<Record<string, string>>(
        `select (select position::text from event_log_head) as head, (select count(*)::text from events) as events`,
      )
    )[0]!;

  /** Sends a hostile request; it must be refused with `status` and `code` and write nothing. */
  async function refused(
    send: () => Promise<RawResponse>,
    status: number,
    code: string | RegExp,
  ): Promise<RawResponse> {
    const before = await mark();
    const response = await send();
    assert.equal(response.status, status, response.text);
    assert.equal(response.headers['content-type']?.split(';')[0], 'application/problem+json', response.text);
    if (typeof code === 'string') assert.equal(response.body.code, code, response.text);
    else assert.match(response.body.code, code, response.text);
    assert.deepEqual(await mark(), before, 'a refused request wrote nothing');
    refusals += 1;
    // And the service still serves a legitimate request.
    const body = transferBody('1');
    const ok = await rawRequest(app.url, 'POST', PATH, { body, headers: signed(body) });
    assert.equal(ok.status, 200, ok.text);
    return response;
  }

  it('a replayed request is refused: the same bytes twice', async () => {
    const body = transferBody();
    const headers = signed(body);
    const first = await rawRequest(app.url, 'POST', PATH, { body, headers });
    assert.equal(first.status, 200, first.text);
    await refused(() => rawRequest(app.url, 'POST', PATH, { body, headers }), 401, 'signature_replayed');
  });

  it('expired, future-dated, wrongly keyed and unknown-key signatures are refused', async () => {
    const body = transferBody();
    const now = Math.floor(Date.now() / 1000);
    await refused(
      () => rawRequest(app.url, 'POST', PATH, { body, headers: signed(body, { created: now - 3_600 }) }),
      401,
      'signature_expired',
    );
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: signed(body, { created: now - 200, expires: now - 120 }),
        }),
      401,
      'signature_expired',
    );
    await refused(
      () => rawRequest(app.url, 'POST', PATH, { body, headers: signed(body, { created: now + 3_600 }) }),
      401,
      'signature_created_in_future',
    );
    const stranger = generateKeyPair();
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: signed(body, { signer: { keyId: bank.keyId, secretKey: stranger.secretKey } }),
        }),
      401,
      'signature_invalid',
    );
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: signed(body, { signer: { keyId: 'NOBODY-key-1', secretKey: stranger.secretKey } }),
        }),
      401,
      'signature_key_unknown',
    );
    await refused(() => rawRequest(app.url, 'POST', PATH, { body }), 401, 'signature_missing');
  });

  it('a tampered body or method or target is refused', async () => {
    const body = transferBody('100');
    const headers = signed(body);
    // Another body with the signed digest; and another body with its own (unsigned) digest.
    await refused(
      () => rawRequest(app.url, 'POST', PATH, { body: transferBody('100000'), headers }),
      401,
      'content_digest_mismatch',
    );
    const other = transferBody('100000');
    const { 'content-digest': _digest, ...rest } = headers;
    void _digest;
    const otherDigest = signRequest({
      method: 'POST',
      url: app.url + PATH,
      body: other,
      keyId: bank.keyId,
      secretKey: bank.secretKey,
    })['content-digest']!;
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body: other,
          headers: { ...rest, 'content-digest': otherDigest },
        }),
      401,
      'signature_invalid',
    );
    // Signed for one path, sent to another.
    await refused(
      () => rawRequest(app.url, 'POST', '/v1/wallets/transfers?x=1', { body, headers: signed(body) }),
      401,
      'signature_invalid',
    );
  });

  it('smuggled headers are refused: duplicate signatures, digests and keys', async () => {
    const body = transferBody();
    const a = signed(body);
    const b = signed(body);
    // Two Signature lines with different values for the same label.
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: { ...a, signature: [a.signature, b.signature] },
        }),
      401,
      /signature_malformed|signature_invalid/,
    );
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: { ...a, 'signature-input': [a['signature-input'], b['signature-input']] },
        }),
      401,
      /signature_input_malformed|signature_invalid/,
    );
    // Two Content-Digest lines, one for another body.
    const evil = signRequest({
      method: 'POST',
      url: app.url + PATH,
      body: transferBody('999999'),
      keyId: bank.keyId,
      secretKey: bank.secretKey,
    })['content-digest']!;
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: { ...a, 'content-digest': [a['content-digest']!, evil] },
        }),
      401,
      /content_digest_mismatch|content_digest_missing|signature_invalid/,
    );
    // Content-Length and Transfer-Encoding together (request smuggling): Node's parser refuses it.
    const before = await mark();
    const url = new URL(app.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname);
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.end(
        `POST ${PATH} HTTP/1.1\r\nHost: ${url.host}\r\n` +
          Object.entries(a)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('') +
          `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${body}`,
      );
    });
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /content-type: application\/problem\+json/i);
    assert.match(answer, /"code":"malformed_http"/);
    assert.deepEqual(await mark(), before);
    refusals += 1;
    // Two Idempotency-Key lines: joined, they are not a key.
    const c = signed(body);
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: { ...c, 'idempotency-key': [randomUUID(), randomUUID()] },
        }),
      400,
      'idempotency_key_invalid',
    );
  });

  it('oversized bodies are refused with 413; oversized headers with 431; both as problem details', async () => {
    const huge = JSON.stringify({
      from: 'BANKCN2.CNY',
      to: 'BANKCN1.CNY',
      amountMinor: '1',
      reference: 'x'.repeat(7 * 1024 * 1024),
    });
    await refused(
      () => rawRequest(app.url, 'POST', PATH, { body: huge, headers: signed(huge) }),
      413,
      'payload_too_large',
    );
    const body = transferBody();
    await refused(
      () =>
        rawRequest(app.url, 'POST', PATH, {
          body,
          headers: { ...signed(body), 'x-padding': 'p'.repeat(64 * 1024) },
        }),
      431,
      'headers_too_large',
    );
  });

  it('slow clients dribbling a body do not hold up anyone else', async () => {
    const slowClients = setting('YB_SLOW_CLIENTS', 30, 200);
    const url = new URL(app.url);
    const sockets: net.Socket[] = [];
    const body = transferBody('5');
    for (let i = 0; i < slowClients; i++) {
      const headers = signed(body);
      const socket = net.connect(Number(url.port), url.hostname);
      socket.on('error', () => undefined);
      socket.write(
        `POST ${PATH} HTTP/1.1\r\nHost: ${url.host}\r\n` +
          Object.entries(headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('') +
          `content-length: ${body.length}\r\n\r\n`,
      );
      sockets.push(socket);
    }
    let dribbled = 0;
    const dribble = setInterval(() => {
      for (const socket of sockets) if (dribbled < body.length - 1) socket.write(body[dribbled]!);
      dribbled += 1;
    }, 100);
    try {
      // Meanwhile, normal clients: every request answered, quickly.
      const started = Date.now();
      const latencies: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t = Date.now();
        const b = transferBody('1');
        const response = await rawRequest(app.url, 'POST', PATH, {
          body: b,
          headers: signed(b),
          timeoutMs: 5_000,
        });
        assert.equal(response.status, 200, response.text);
        latencies.push(Date.now() - t);
      }
      latencies.sort((x, y) => x - y);
      const p99 = latencies[Math.floor(latencies.length * 0.99) - 1] ?? latencies.at(-1)!;
      assert.ok(p99 < 2_000, `other clients' p99 ${p99} ms while ${slowClients} slow clients dribble`);
      assert.ok(dribbled < body.length, 'the slow clients were still dribbling');
      reportFigures('slow-clients', {
        slowClients,
        otherRequests: latencies.length,
        otherP99Ms: p99,
        seconds: Math.round((Date.now() - started) / 100) / 10,
        violations: 0,
      });
    } finally {
      clearInterval(dribble);
      for (const socket of sockets) socket.destroy();
    }
    reportFigures('hostile-signatures', { refusals, violations: 0 });
  });
});
