import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  buildSignatureBase,
  publicKeyToBase64url,
  signRequestDetailed,
  verifyContentDigest,
  verifyRequest,
} from '../../../src/platform/signatures/index.js';
import { serializeSignatureParams } from '../../../src/platform/signatures/signature-base.js';
import {
  B26_COMPONENTS,
  B26_CREATED,
  B26_LABEL,
  B26_SIGNATURE,
  B26_SIGNATURE_BASE,
  B26_SIGNATURE_INPUT,
  RFC_ED25519_KEY_ID,
  RFC_ED25519_PRIVATE_PKCS8,
  RFC_ED25519_PUBLIC_SPKI,
  RFC_REQUEST,
  rawKeyFromDer,
} from './rfc-fixtures.js';

const secretKey = rawKeyFromDer(RFC_ED25519_PRIVATE_PKCS8);
const publicKey = rawKeyFromDer(RFC_ED25519_PUBLIC_SPKI);

describe('RFC 9421 Appendix B.2.6 (ed25519, test-key-ed25519)', () => {
  it('the transcribed key halves are a pair (noble and OpenSSL agree on the DER keys)', () => {
    assert.deepEqual(ed25519.getPublicKey(secretKey), publicKey);
    const spki = createPublicKey({
      key: Buffer.from(RFC_ED25519_PUBLIC_SPKI, 'base64'),
      format: 'der',
      type: 'spki',
    });
    assert.equal(spki.export({ format: 'jwk' }).x, publicKeyToBase64url(publicKey));
    const pkcs8 = createPrivateKey({
      key: Buffer.from(RFC_ED25519_PRIVATE_PKCS8, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    assert.equal(pkcs8.export({ format: 'jwk' }).d, Buffer.from(secretKey).toString('base64url'));
  });

  it('builds the signature base of the RFC byte for byte', () => {
    const params = serializeSignatureParams(B26_COMPONENTS, {
      created: B26_CREATED,
      keyid: RFC_ED25519_KEY_ID,
    });
    const base = buildSignatureBase(RFC_REQUEST, B26_COMPONENTS, params);
    assert.equal(base.ok, true);
    assert.equal(base.ok && base.value, B26_SIGNATURE_BASE);
  });

  it('signRequest reproduces the RFC Signature-Input and Signature exactly (Ed25519 is deterministic)', () => {
    const signed = signRequestDetailed({
      method: RFC_REQUEST.method,
      url: RFC_REQUEST.url,
      headers: RFC_REQUEST.headers,
      keyId: RFC_ED25519_KEY_ID,
      secretKey,
      created: B26_CREATED,
      nonce: false,
      includeAlg: false,
      label: B26_LABEL,
      components: B26_COMPONENTS,
    });
    assert.equal(signed.signatureBase, B26_SIGNATURE_BASE);
    assert.equal(signed.headers['signature-input'], B26_SIGNATURE_INPUT);
    assert.equal(signed.headers.signature, B26_SIGNATURE);
    assert.equal(signed.headers['content-digest'], undefined, 'no body given, no digest added');
  });

  it("the RFC's own signature verifies with the RFC's public key through verifyRequest (OpenSSL)", () => {
    const result = verifyRequest({
      method: RFC_REQUEST.method,
      url: RFC_REQUEST.url,
      headers: { ...RFC_REQUEST.headers, 'signature-input': B26_SIGNATURE_INPUT, signature: B26_SIGNATURE },
      body: Buffer.from(RFC_REQUEST.body),
      now: B26_CREATED + 10,
      maxAgeSeconds: 300,
      maxSkewSeconds: 5,
      resolveKey: (keyId) => (keyId === RFC_ED25519_KEY_ID ? { publicKey } : undefined),
      // B.2.6 covers @path and @authority but not @query or content-digest: a looser policy
      // than ours, so this test states it explicitly.
      requiredComponents: () => ['@method', '@path', '@authority'],
    });
    assert.deepEqual(result, {
      ok: true,
      keyId: RFC_ED25519_KEY_ID,
      label: B26_LABEL,
      coveredComponents: B26_COMPONENTS,
      created: B26_CREATED,
    });
  });

  it("the RFC's signature also verifies with noble over the RFC's base", () => {
    const sig = Buffer.from(B26_SIGNATURE.slice('sig-b26=:'.length, -1), 'base64');
    assert.equal(ed25519.verify(sig, Buffer.from(B26_SIGNATURE_BASE), publicKey), true);
  });

  it("the B.2 request's sha-512 Content-Digest matches its body", () => {
    assert.equal(
      verifyContentDigest(RFC_REQUEST.headers['content-digest'], Buffer.from(RFC_REQUEST.body)),
      'ok',
    );
  });

  it('the default policy finds B.2.6 insufficient (no @query, no content-digest over a body)', () => {
    const result = verifyRequest({
      method: RFC_REQUEST.method,
      url: RFC_REQUEST.url,
      headers: { ...RFC_REQUEST.headers, 'signature-input': B26_SIGNATURE_INPUT, signature: B26_SIGNATURE },
      body: Buffer.from(RFC_REQUEST.body),
      now: B26_CREATED,
      maxAgeSeconds: 300,
      maxSkewSeconds: 5,
      resolveKey: () => ({ publicKey }),
    });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'signature_components_insufficient');
    assert.match(!result.ok ? result.detail : '', /"@target-uri", "content-digest"/);
  });
});
