import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { contentDigest, verifyContentDigest } from '../../../src/platform/signatures/index.js';
import { RFC9530_BODY, RFC9530_SHA256 } from './rfc-fixtures.js';

const body = Buffer.from(RFC9530_BODY);
const sha512 = `sha-512=:${createHash('sha512').update(body).digest('base64')}:`;

describe('contentDigest (RFC 9530)', () => {
  it('matches the RFC 9530 example for {"hello": "world"}', () => {
    assert.equal(contentDigest(RFC9530_BODY), RFC9530_SHA256);
    assert.equal(contentDigest(body), RFC9530_SHA256);
  });

  it('computes sha-512 on request', () => {
    assert.equal(contentDigest(body, 'sha-512'), sha512);
  });

  it('digests the empty body', () => {
    assert.equal(contentDigest(''), 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:');
  });
});

describe('verifyContentDigest', () => {
  it('accepts the RFC example', () => {
    assert.equal(verifyContentDigest(RFC9530_SHA256, body), 'ok');
  });

  it('accepts sha-512 alone and a dictionary with both (both must match)', () => {
    assert.equal(verifyContentDigest(sha512, body), 'ok');
    assert.equal(verifyContentDigest(`${sha512}, ${RFC9530_SHA256}`, body), 'ok');
    assert.equal(verifyContentDigest(`${sha512}, sha-256=:${'A'.repeat(43)}=:`, body), 'mismatch');
  });

  it('ignores unknown algorithms next to a known one, but does not trust them alone', () => {
    assert.equal(
      verifyContentDigest(`md5=:AAAAAAAAAAAAAAAAAAAAAA==:, ${RFC9530_SHA256}, foo=?1`, body),
      'ok',
    );
    assert.equal(verifyContentDigest('md5=:AAAAAAAAAAAAAAAAAAAAAA==:', body), 'missing');
  });

  it('reports a missing header', () => {
    assert.equal(verifyContentDigest(undefined, body), 'missing');
    assert.equal(verifyContentDigest('', body), 'missing');
  });

  it('reports a mismatch for another body', () => {
    assert.equal(verifyContentDigest(RFC9530_SHA256, Buffer.from('{"hello": "World"}')), 'mismatch');
  });

  it('reports malformed headers', () => {
    for (const header of [
      'sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=', // not a byte sequence
      'sha-256="X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="', // a string
      'sha-256=:X48E9qOokqq:', // wrong length
      'sha-256=:not base64!:',
      'SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', // keys are lowercase
      `${RFC9530_SHA256},`,
    ]) {
      assert.equal(verifyContentDigest(header, body), 'malformed', header);
    }
  });

  it('rejects two header lines that disagree (joined by Node with ", ")', () => {
    const other = contentDigest('{"evil": true}');
    assert.equal(verifyContentDigest(`${RFC9530_SHA256}, ${other}`, body), 'malformed');
    // The same value twice is harmless.
    assert.equal(verifyContentDigest(`${RFC9530_SHA256}, ${RFC9530_SHA256}`, body), 'ok');
  });
});
