import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  InMemoryReplayGuard,
  SIGNATURE_FAILURES,
  type SignatureFailure,
  type SignRequestOptions,
  type VerifyRequestOptions,
  contentDigest,
  describeSignatureFailure,
  generateKeyPair,
  signRequest,
  verifyRequest,
} from '../../../src/platform/signatures/index.js';

const NOW = 1_750_000_000;
const KEY_ID = 'bank-b';
const pair = generateKeyPair();
const stranger = generateKeyPair();
const URL = 'https://api.yuanbridge.test/v1/transfers';
const BODY = Buffer.from('{"amount":"5.00"}');

const exercised = new Set<SignatureFailure>();

function sign(overrides: Partial<SignRequestOptions> = {}): Record<string, string> {
  const headers = signRequest({
    method: 'POST',
    url: URL,
    headers: { 'content-type': 'application/json' },
    body: BODY,
    keyId: KEY_ID,
    secretKey: pair.secretKey,
    created: NOW,
    ...overrides,
  });
  return { 'content-type': 'application/json', ...headers };
}

function verify(headers: Record<string, string>, overrides: Partial<VerifyRequestOptions> = {}) {
  return verifyRequest({
    method: 'POST',
    url: URL,
    headers,
    body: BODY,
    now: NOW,
    maxAgeSeconds: 300,
    maxSkewSeconds: 30,
    resolveKey: (keyId) => (keyId === KEY_ID ? { publicKey: pair.publicKey } : undefined),
    ...overrides,
  });
}

function expectFailure(
  result: ReturnType<typeof verifyRequest>,
  reason: SignatureFailure,
  detail?: RegExp,
): void {
  assert.equal(result.ok, false, `expected ${reason}, got ok`);
  if (result.ok) return;
  assert.equal(result.reason, reason, result.detail);
  if (detail !== undefined) assert.match(result.detail, detail);
  exercised.add(reason);
}

describe('verifyRequest failure codes', () => {
  it('baseline: the untampered request verifies', () => {
    const result = verify(sign());
    assert.ok(result.ok, result.ok ? '' : result.detail);
  });

  it('signature_missing: no headers, one header only, or an unknown chosen label', () => {
    expectFailure(verify({ 'content-digest': contentDigest(BODY) }), 'signature_missing');
    const { signature, ...withoutSignature } = sign();
    expectFailure(verify(withoutSignature), 'signature_missing', /Signature is not/);
    expectFailure(verify({ signature }), 'signature_missing', /Signature-Input is not/);
    expectFailure(verify(sign(), { label: 'sig9' }), 'signature_missing', /"sig9"/);
    expectFailure(verify({ ...sign(), 'signature-input': '' }), 'signature_missing', /names no signature/);
  });

  it('signature_input_malformed: not a dictionary, missing created/keyid, conflicting repeated lines', () => {
    const good = sign();
    expectFailure(
      verify({ ...good, 'signature-input': 'sig1=("@method"' }),
      'signature_input_malformed',
      /unterminated/,
    );
    expectFailure(
      verify({ ...good, 'signature-input': 'sig1=:AAAA:' }),
      'signature_input_malformed',
      /inner list/,
    );
    expectFailure(
      verify({
        ...good,
        'signature-input': 'sig1=("@method" "@target-uri" "content-digest");keyid="bank-b"',
      }),
      'signature_input_malformed',
      /"created"/,
    );
    expectFailure(
      verify({
        ...good,
        'signature-input': 'sig1=("@method" "@target-uri" "content-digest");created=1750000000',
      }),
      'signature_input_malformed',
      /"keyid"/,
    );
    expectFailure(
      verify({
        ...good,
        'signature-input': good['signature-input']!.replace(';alg=', ';expires=1749999999;alg='),
      }),
      'signature_input_malformed',
      /"expires" is before "created"/,
    );
    // Two Signature-Input lines defining sig1 differently, joined by Node with ", ".
    const other = sign({ components: ['@method', '@target-uri', 'content-digest'] });
    expectFailure(
      verify({ ...good, 'signature-input': `${good['signature-input']}, ${other['signature-input']}` }),
      'signature_input_malformed',
      /appears twice with different values/,
    );
  });

  it('signature_malformed: not a byte sequence, wrong length, unmatched label, conflicting lines', () => {
    const good = sign();
    expectFailure(verify({ ...good, signature: 'sig1=:not base64!:' }), 'signature_malformed', /base64/);
    expectFailure(verify({ ...good, signature: 'sig1="abc"' }), 'signature_malformed', /byte sequence/);
    expectFailure(verify({ ...good, signature: 'sig1=:AAAA:' }), 'signature_malformed', /3 bytes/);
    expectFailure(
      verify({ ...good, signature: good.signature!.replace('sig1=', 'sig2=') }),
      'signature_malformed',
    );
    const other = sign();
    expectFailure(
      verify({ ...good, signature: `${good.signature}, ${other.signature}` }),
      'signature_malformed',
      /twice/,
    );
  });

  it('signature_algorithm_unsupported: alg other than ed25519', () => {
    const good = sign();
    const input = good['signature-input']!.replace('alg="ed25519"', 'alg="rsa-pss-sha512"');
    expectFailure(
      verify({ ...good, 'signature-input': input }),
      'signature_algorithm_unsupported',
      /rsa-pss-sha512/,
    );
  });

  it('signature_key_unknown: a key id nobody registered, or an unusable registered key', () => {
    expectFailure(verify(sign({ keyId: 'nobody' })), 'signature_key_unknown', /"nobody"/);
    expectFailure(
      verify(sign(), { resolveKey: () => ({ publicKey: new Uint8Array(16) }) }),
      'signature_key_unknown',
      /not a 32-byte/,
    );
  });

  it('signature_invalid: signed with another key than the registered one', () => {
    expectFailure(verify(sign({ secretKey: stranger.secretKey })), 'signature_invalid');
  });

  it('content_digest_mismatch: tampered body (or a malformed digest header)', () => {
    const good = sign();
    expectFailure(verify(good, { body: Buffer.from('{"amount":"5000.00"}') }), 'content_digest_mismatch');
    expectFailure(
      verify({ ...good, 'content-digest': 'sha-256=:AAAA' }),
      'content_digest_mismatch',
      /malformed/,
    );
  });

  it('content_digest_mismatch: the attacker swaps body and digest together (digest is covered)', () => {
    const evil = Buffer.from('{"amount":"5000.00"}');
    const result = verify({ ...sign(), 'content-digest': contentDigest(evil) }, { body: evil });
    expectFailure(result, 'signature_invalid');
  });

  it('content_digest_missing: body present, required digest header stripped or unusable', () => {
    const { 'content-digest': _digest, ...stripped } = sign();
    expectFailure(verify(stripped), 'content_digest_missing', /no Content-Digest header/);
    expectFailure(
      verify({ ...stripped, 'content-digest': 'md5=:AAAAAAAAAAAAAAAAAAAAAA==:' }),
      'content_digest_missing',
    );
  });

  it('signature_invalid: tampered path, method or covered header', () => {
    const good = sign();
    expectFailure(
      verify(good, { url: 'https://api.yuanbridge.test/v1/transfers/admin' }),
      'signature_invalid',
    );
    expectFailure(verify(good, { url: `${URL}?force=true` }), 'signature_invalid');
    expectFailure(verify(good, { url: 'https://evil.test/v1/transfers' }), 'signature_invalid');
    expectFailure(verify(good, { method: 'PUT' }), 'signature_invalid');
    expectFailure(verify({ ...good, 'content-type': 'text/plain' }), 'signature_invalid');
  });

  it('signature_invalid: a covered header is absent (it is not skipped)', () => {
    const { 'content-type': _ct, ...withoutContentType } = sign();
    expectFailure(verify(withoutContentType), 'signature_invalid', /covered header "content-type" is absent/);
  });

  it('signature_expired: created too long ago, or expires passed', () => {
    expectFailure(verify(sign({ created: NOW - 301 })), 'signature_expired', /301 s ago/);
    assert.ok(verify(sign({ created: NOW - 300 })).ok, 'exactly maxAge old is still fine');
    expectFailure(
      verify(sign({ created: NOW - 100, expires: NOW - 31 })),
      'signature_expired',
      /expired 31 s ago/,
    );
    assert.ok(verify(sign({ created: NOW - 100, expires: NOW - 30 })).ok, 'expiry within skew is fine');
  });

  it('signature_created_in_future: beyond the allowed skew', () => {
    expectFailure(verify(sign({ created: NOW + 31 })), 'signature_created_in_future', /31 s ahead/);
    assert.ok(verify(sign({ created: NOW + 30 })).ok, 'within skew is fine');
  });

  it('signature_components_insufficient: no digest over a body, no method, no target', () => {
    expectFailure(
      verify(sign({ components: ['@method', '@target-uri'] })),
      'signature_components_insufficient',
      /"content-digest"/,
    );
    expectFailure(
      verify(sign({ components: ['@target-uri', 'content-digest'] })),
      'signature_components_insufficient',
      /"@method"/,
    );
    expectFailure(
      verify(sign({ components: ['@method', '@authority', '@path', 'content-digest'] })),
      'signature_components_insufficient',
      /"@target-uri"/,
    );
    expectFailure(
      verify(sign(), { requiredComponents: () => ['@method', '@target-uri', 'content-digest', 'date'] }),
      'signature_components_insufficient',
      /"date"/,
    );
  });

  it('signature_replayed: the second use of the same signature', () => {
    const replayGuard = new InMemoryReplayGuard();
    const request = sign();
    assert.ok(verify(request, { replayGuard }).ok);
    expectFailure(verify(request, { replayGuard }), 'signature_replayed');
    // A fresh signature of the same request (new nonce) is fine.
    assert.ok(verify(sign(), { replayGuard }).ok);
  });

  it('signature_replayed: without a nonce the signature bytes are the replay key', () => {
    const replayGuard = new InMemoryReplayGuard();
    const request = sign({ nonce: false });
    assert.ok(verify(request, { replayGuard }).ok);
    expectFailure(verify(request, { replayGuard }), 'signature_replayed');
  });

  it('a forged request does not consume the replay guard', () => {
    const replayGuard = new InMemoryReplayGuard();
    const request = sign();
    expectFailure(verify(request, { replayGuard, method: 'PUT' }), 'signature_invalid');
    assert.ok(verify(request, { replayGuard }).ok);
  });

  after(() => {
    assert.deepEqual(
      [...exercised].sort(),
      [...SIGNATURE_FAILURES].sort(),
      'every failure code is exercised',
    );
  });
});

describe('describeSignatureFailure', () => {
  it('has a distinct sentence for every code', () => {
    const sentences = SIGNATURE_FAILURES.map(describeSignatureFailure);
    for (const sentence of sentences) assert.match(sentence, /^[A-Z].+\.$/);
    assert.equal(new Set(sentences).size, sentences.length);
  });
});
