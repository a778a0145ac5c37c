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
} from '../../src/platform/signatures/index.js';

/** docs/integration.md promises a GET signature a reader can recompute: recompute it here. */
describe('the worked example in docs/integration.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'integration.md'), 'utf8');
  const secretHex = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
  const secretKey = Buffer.from(secretHex, 'hex');
  const url = 'http://127.0.0.1:3000/v1/payments?status=settled&limit=2';
  const signed = signRequestDetailed({
    method: 'GET',
    url,
    keyId: 'JADECNSH-key-1',
    secretKey,
    created: 1767225600,
    nonce: 'n8Yw2LzQe0JmV1cX',
  });

  it('shows the key, request, signature base and headers the signer produces', () => {
    assert.ok(doc.includes(secretHex));
    assert.ok(doc.includes(`\`${publicKeyToBase64url(publicKeyFromSecretKey(secretKey))}\``));
    assert.ok(doc.includes(`GET ${url}\n`));
    assert.ok(doc.includes(`\`\`\`\n${signed.signatureBase}\n\`\`\``), 'the signature base, verbatim');
    assert.ok(doc.includes(`Signature-Input: ${signed.headers['signature-input']}\n`));
    assert.ok(doc.includes(`Signature: ${signed.headers.signature}\n`));
    // The OpenSSL recipe prints the same three lines.
    const [method, target, params] = signed.signatureBase.split('\n');
    assert.ok(
      doc.includes(`printf '%s\\n%s\\n%s' '${method}' \\\n  '${target}' \\\n  '${params}' > base.txt`),
    );
  });

  it('verifies with the server’s verifier and the documented public key', () => {
    const result = verifyRequest({
      method: 'GET',
      url,
      headers: { ...signed.headers },
      body: undefined,
      now: 1767225600,
      maxAgeSeconds: 300,
      maxSkewSeconds: 30,
      resolveKey: () => ({ publicKey: keyFromBase64url('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo') }),
    });
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});
