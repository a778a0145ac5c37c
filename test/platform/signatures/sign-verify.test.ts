import assert from 'node:assert/strict';
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  contentDigest,
  generateKeyPair,
  keyPairToJwk,
  signRequest,
  signRequestDetailed,
  signatureBaseBytes,
  verifyRequest,
} from '../../../src/platform/signatures/index.js';

const NOW = 1_750_000_000;
const pair = generateKeyPair();
const KEY_ID = 'bank-a-2025';
const URL = 'https://api.yuanbridge.test/v1/payments?dry_run=false';
const BODY = Buffer.from('{"amount":"100.00","currency":"CNY"}');

function verifyOptions(headers: Record<string, string>, withBody = true) {
  return {
    method: 'POST',
    url: URL,
    headers,
    body: withBody ? BODY : undefined,
    now: NOW,
    maxAgeSeconds: 300,
    maxSkewSeconds: 30,
    resolveKey: (keyId: string) => (keyId === KEY_ID ? { publicKey: pair.publicKey } : undefined),
  };
}

describe('signRequest (noble) → verifyRequest (OpenSSL): both sides agree', () => {
  it('a signed POST with a body verifies, covering the default components', () => {
    const sent = { 'Content-Type': 'application/json' };
    const sig = signRequest({
      method: 'POST',
      url: URL,
      headers: sent,
      body: BODY,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW - 2,
    });
    assert.equal(sig['content-digest'], contentDigest(BODY));
    assert.match(
      sig['signature-input'],
      /^sig1=\("@method" "@target-uri" "content-digest" "content-type"\);created=1749999998;nonce="[A-Za-z0-9_-]{22}";alg="ed25519";keyid="bank-a-2025"$/,
    );
    const result = verifyRequest(verifyOptions({ 'content-type': 'application/json', ...sig }));
    assert.ok(result.ok, result.ok ? '' : result.detail);
    assert.equal(result.keyId, KEY_ID);
    assert.equal(result.label, 'sig1');
    assert.equal(result.created, NOW - 2);
    assert.deepEqual(result.coveredComponents, ['@method', '@target-uri', 'content-digest', 'content-type']);
    assert.equal(typeof result.nonce, 'string');
  });

  it('a signed GET without a body verifies (no digest required)', () => {
    const sig = signRequest({
      method: 'GET',
      url: URL,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW,
    });
    assert.equal(sig['content-digest'], undefined);
    const result = verifyRequest({ ...verifyOptions({ ...sig }, false), method: 'GET' });
    assert.ok(result.ok, result.ok ? '' : result.detail);
    assert.deepEqual(result.coveredComponents, ['@method', '@target-uri']);
  });

  it('each signature gets a fresh nonce by default, so identical requests differ', () => {
    const a = signRequest({
      method: 'GET',
      url: URL,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW,
    });
    const b = signRequest({
      method: 'GET',
      url: URL,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW,
    });
    assert.notEqual(a.signature, b.signature);
  });

  it('verifies a chosen label among several signatures', () => {
    const one = signRequest({
      method: 'GET',
      url: URL,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW,
    });
    const other = generateKeyPair();
    const two = signRequest({
      method: 'GET',
      url: URL,
      keyId: 'proxy',
      secretKey: other.secretKey,
      created: NOW,
      label: 'proxy',
    });
    const headers = {
      'signature-input': `${two['signature-input']}, ${one['signature-input']}`,
      signature: `${two.signature}, ${one.signature}`,
    };
    const first = verifyRequest({ ...verifyOptions(headers, false), method: 'GET' });
    assert.equal(!first.ok && first.reason, 'signature_key_unknown', 'the first label is the default');
    const chosen = verifyRequest({ ...verifyOptions(headers, false), method: 'GET', label: 'sig1' });
    assert.ok(chosen.ok);
    assert.equal(chosen.label, 'sig1');
  });

  it('accepts @authority + @path + @query in place of @target-uri', () => {
    const sig = signRequest({
      method: 'POST',
      url: URL,
      body: BODY,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW,
      components: ['@method', '@authority', '@path', '@query', 'content-digest'],
    });
    const result = verifyRequest(verifyOptions({ ...sig }));
    assert.ok(result.ok, result.ok ? '' : result.detail);
  });

  it('accepts headers as arrays (Node headersDistinct)', () => {
    const sig = signRequest({
      method: 'POST',
      url: URL,
      headers: { 'x-request-id': ['a', 'b'] },
      body: BODY,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW,
      components: ['@method', '@target-uri', 'content-digest', 'x-request-id'],
    });
    const distinct = {
      'x-request-id': ['a', 'b'],
      'signature-input': [sig['signature-input']],
      signature: [sig.signature],
      'content-digest': [sig['content-digest'] as string],
    };
    assert.ok(verifyRequest({ ...verifyOptions({}), headers: distinct }).ok);
    // …and the same request through Node's joined form.
    assert.ok(verifyRequest(verifyOptions({ ...sig, 'x-request-id': 'a, b' })).ok);
  });

  it('throws a clear error when asked to sign over a header the request lacks', () => {
    assert.throws(
      () =>
        signRequest({
          method: 'GET',
          url: URL,
          keyId: KEY_ID,
          secretKey: pair.secretKey,
          components: ['@method', 'date'],
        }),
      /cannot sign request: covered header "date" is absent/,
    );
    assert.throws(
      () => signRequest({ method: 'GET', url: URL, keyId: KEY_ID, secretKey: new Uint8Array(31) }),
      /secretKey must be 32 bytes/,
    );
  });
});

describe('OpenSSL-signed → noble-verified over the same base', () => {
  it('crypto.sign with the JWK-imported secret key verifies with ed25519.verify', () => {
    const { signatureBase, signature } = signRequestDetailed({
      method: 'POST',
      url: URL,
      body: BODY,
      keyId: KEY_ID,
      secretKey: pair.secretKey,
      created: NOW,
    });
    const bytes = signatureBaseBytes(signatureBase);
    const privateKey = createPrivateKey({ key: { ...keyPairToJwk(pair) }, format: 'jwk' });
    const opensslSignature = cryptoSign(null, bytes, privateKey);
    assert.equal(ed25519.verify(opensslSignature, bytes, pair.publicKey), true);
    // Ed25519 is deterministic: both libraries produce the very same bytes.
    assert.deepEqual(new Uint8Array(opensslSignature), signature);
    assert.equal(ed25519.verify(opensslSignature, Buffer.from(`${signatureBase} `), pair.publicKey), false);
  });
});
