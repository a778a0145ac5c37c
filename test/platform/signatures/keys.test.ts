import assert from 'node:assert/strict';
import {
  type JsonWebKey,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
} from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  generateKeyPair,
  isValidPublicKey,
  keyFromBase64url,
  keyPairFromJson,
  keyPairToJson,
  publicKeyFromJson,
  publicKeyFromSecretKey,
  publicKeyToBase64url,
  publicKeyToJson,
  readKeyPairFile,
  writeKeyPairFile,
} from '../../../src/platform/signatures/index.js';

describe('keys', () => {
  it('generates 32-byte pairs whose public half matches the secret', () => {
    const pair = generateKeyPair();
    assert.equal(pair.secretKey.byteLength, 32);
    assert.equal(pair.publicKey.byteLength, 32);
    assert.deepEqual(publicKeyFromSecretKey(pair.secretKey), pair.publicKey);
    assert.ok(isValidPublicKey(pair.publicKey));
    assert.notDeepEqual(generateKeyPair().secretKey, pair.secretKey);
  });

  it('round-trips base64url and rejects bad text', () => {
    const { publicKey } = generateKeyPair();
    const text = publicKeyToBase64url(publicKey);
    assert.match(text, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(keyFromBase64url(text), publicKey);
    assert.throws(() => keyFromBase64url(`${text}=`), /not unpadded base64url/);
    assert.throws(() => keyFromBase64url(text.slice(1)), /must be 32 bytes/);
    assert.throws(() => keyFromBase64url('A'.repeat(42) + 'B'), /not canonical/);
  });

  it('writes JWK JSON that OpenSSL imports, and reads it back', () => {
    const pair = generateKeyPair();
    const json = keyPairToJson(pair, 'bank-a');
    const jwk = JSON.parse(json) as Record<string, string>;
    assert.deepEqual(Object.keys(jwk).sort(), ['crv', 'd', 'kid', 'kty', 'x']);
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    const publicKey = createPublicKey({
      key: JSON.parse(publicKeyToJson(pair.publicKey)) as JsonWebKey,
      format: 'jwk',
    });
    const message = Buffer.from('hello');
    assert.ok(cryptoVerify(null, message, publicKey, cryptoSign(null, message, privateKey)));
    assert.ok(ed25519.verify(cryptoSign(null, message, privateKey), message, pair.publicKey));

    const back = keyPairFromJson(json);
    assert.deepEqual(back.secretKey, pair.secretKey);
    assert.deepEqual(back.publicKey, pair.publicKey);
    assert.equal(back.kid, 'bank-a');
    assert.deepEqual(publicKeyFromJson(publicKeyToJson(pair.publicKey, 'bank-a')), {
      publicKey: pair.publicKey,
      kid: 'bank-a',
    });
  });

  it('rejects inconsistent or foreign JWKs with a reason', () => {
    const pair = generateKeyPair();
    const other = generateKeyPair();
    const jwk = JSON.parse(keyPairToJson(pair)) as Record<string, string>;
    const mixed = { ...jwk, x: publicKeyToBase64url(other.publicKey) };
    assert.throws(() => keyPairFromJson(JSON.stringify(mixed)), /"x" is not the public key of "d"/);
    assert.throws(() => keyPairFromJson(JSON.stringify({ ...jwk, crv: 'P-256' })), /not an Ed25519/);
    assert.throws(() => keyPairFromJson(JSON.stringify({ ...jwk, d: undefined })), /no private part/);
    assert.throws(() => keyPairFromJson('{'), /not valid JSON/);
  });

  it('writes key files readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yb-keys-'));
    try {
      const path = join(dir, 'key.json');
      const pair = generateKeyPair();
      writeKeyPairFile(path, pair, 'k1');
      if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
      const back = readKeyPairFile(path);
      assert.deepEqual(back.publicKey, pair.publicKey);
      assert.equal(back.kid, 'k1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
