import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import {
  canonicalEncoding,
  canonicalText,
  fromHex,
  inclusionProof,
  merkleRoot,
  toHex,
  verifyInclusion,
  type Sha256,
} from '../../src/audit/proof/audit-proof.mjs';
import { merkleRootOfPacked, sha256, sha256Text } from '../../src/audit/proof/node-sha256.js';

/** The browser's hash: @noble/hashes over the concatenated parts. */
const noble: Sha256 = (...parts) => nobleSha256(Buffer.concat(parts));

const leaves = (n: number) => Array.from({ length: n }, (_, i) => sha256(Buffer.from(`event ${i}`)));

describe('audit proofs (audit-proof.mts)', () => {
  it('hashes an event the same in Node and with @noble/hashes, from its canonical text', () => {
    const event = {
      streamId: 'payment-1',
      streamVersion: 3,
      type: 'PaymentSettled',
      recordedAt: '2026-11-24T10:00:00.000Z',
      data: '{"amountMinor":"120000","note":"雪"}',
      metadata: '{"actor":"BANKCN1"}',
    };
    assert.equal(
      canonicalText(event),
      'payment-1\n3\nPaymentSettled\n2026-11-24T10:00:00.000Z\n{"amountMinor":"120000","note":"雪"}\n{"actor":"BANKCN1"}',
    );
    assert.equal(toHex(sha256Text(canonicalText(event))), toHex(noble(canonicalEncoding(event))));
  });

  it('builds the RFC 9162 tree: known shapes for one, two and three leaves', () => {
    const [a, b, c] = leaves(3) as [Uint8Array, Uint8Array, Uint8Array];
    const leaf = (h: Uint8Array) => sha256(Uint8Array.of(0), h);
    const node = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);
    assert.equal(toHex(merkleRoot(sha256, [a])), toHex(leaf(a)));
    assert.equal(toHex(merkleRoot(sha256, [a, b])), toHex(node(leaf(a), leaf(b))));
    assert.equal(toHex(merkleRoot(sha256, [a, b, c])), toHex(node(node(leaf(a), leaf(b)), leaf(c))));
  });

  it('proves every leaf of trees of 1 to 70 leaves, and no leaf at another index', () => {
    for (let n = 1; n <= 70; n++) {
      const hashes = leaves(n);
      const root = merkleRoot(sha256, hashes);
      assert.equal(toHex(merkleRootOfPacked(Buffer.concat(hashes), 0, n)), toHex(root));
      assert.equal(toHex(merkleRoot(noble, hashes)), toHex(root));
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(sha256, hashes, i);
        assert.ok(verifyInclusion(noble, hashes[i]!, i, n, proof, root), `n=${n} i=${i}`);
        if (n > 1) {
          assert.ok(!verifyInclusion(sha256, hashes[i]!, (i + 1) % n, n, proof, root), `n=${n} i=${i} moved`);
          assert.ok(!verifyInclusion(sha256, hashes[(i + 1) % n]!, i, n, proof, root), `n=${n} i=${i} other`);
        }
      }
    }
  });

  it('reads and writes lowercase hex only', () => {
    assert.deepEqual(fromHex('00ff10'), Uint8Array.of(0, 255, 16));
    assert.throws(() => fromHex('0F'));
    assert.throws(() => fromHex('abc'));
  });
});
