import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  keyFromBase64url,
  publicKeyFromSecretKey,
  publicKeyToBase64url,
  signRequestDetailed,
  verifyRequest,
} from '../../../src/platform/signatures/index.js';

/** docs/institutions.md promises a signature a reader can recompute: recompute it here. */
describe('the worked signing example in docs/institutions.md', () => {
  const doc = fs.readFileSync(
    path.join(__dirname, '..', '..', '..', '..', 'docs', 'institutions.md'),
    'utf8',
  );
  const secretKey = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
  const url = 'http://127.0.0.1:3000/v1/institutions/JADECNSH/keys';
  const body = '{"publicKey":"A6EHv_POEL4dcN0Y50vAmWfk1jCbpywTyGGuwE3VTQw"}';
  const signed = signRequestDetailed({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body,
    keyId: 'JADECNSH-key-1',
    secretKey,
    created: 1767225600,
    nonce: 'b3k2pp5k7z-50gnwp.yemd',
  });

  it('shows the public key, digest, signature base and headers the signer produces', () => {
    assert.ok(
      doc.includes(`public key (base64url):     ${publicKeyToBase64url(publicKeyFromSecretKey(secretKey))}`),
    );
    assert.ok(doc.includes(`Content-Digest: ${signed.headers['content-digest']}`));
    const indentedBase = signed.signatureBase
      .split('\n')
      .map((line) => `   ${line}`)
      .join('\n');
    assert.ok(doc.includes(indentedBase), 'the signature base in the doc');
    assert.ok(doc.includes(`Signature-Input: ${signed.headers['signature-input']}`));
    assert.ok(doc.includes(`Signature: ${signed.headers.signature}`));
  });

  it('verifies on the server side with the documented public key', () => {
    const result = verifyRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...signed.headers },
      body: Buffer.from(body),
      now: 1767225600,
      maxAgeSeconds: 300,
      maxSkewSeconds: 30,
      resolveKey: () => ({ publicKey: keyFromBase64url('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo') }),
    });
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});
