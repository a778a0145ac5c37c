import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { GENESIS_CHAIN, merkleRoot, nextChain } from '../../../src/audit/proof/audit-proof.mjs';
import { merkleRootOfPacked, sha256 } from '../../../src/audit/proof/node-sha256.js';
import { chainLinks, merkleRootOfHashes } from '../../../src/platform/sequencer/chain-digests.js';

/**
 * The sequencer computes each batch's chain links and checkpoint Merkle root with its own
 * SHA-256 (chain-digests.ts); the audit verifiers and the browser proof use node:crypto and
 * audit-proof.mts. They must agree byte for byte, for every batch size.
 */

function packed(count: number): Buffer {
  return randomBytes(count * 32);
}

function split(hashes: Buffer, count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new Uint8Array(hashes.subarray(i * 32, i * 32 + 32)));
}

describe('chain digests', () => {
  it('links each event to the chain as nextChain does, from the genesis or any previous link', () => {
    for (const previous of [GENESIS_CHAIN, new Uint8Array(randomBytes(32))]) {
      for (const count of [1, 2, 3, 17, 500]) {
        const hashes = packed(count);
        const chains = Buffer.alloc(count * 32);
        const last = chainLinks(previous, hashes, count, chains);
        let chain: Uint8Array = previous;
        for (const [i, hash] of split(hashes, count).entries()) {
          chain = nextChain(sha256, chain, hash);
          assert.deepEqual(new Uint8Array(chains.subarray(i * 32, i * 32 + 32)), new Uint8Array(chain));
        }
        assert.deepEqual(new Uint8Array(last), new Uint8Array(chain));
      }
    }
  });

  it('gives the Merkle root of audit-proof.mts and merkleRootOfPacked for every size up to 70, and 8,000', () => {
    for (const count of [...Array.from({ length: 70 }, (_, i) => i + 1), 1023, 1024, 1025, 8000]) {
      const hashes = packed(count);
      const root = merkleRootOfHashes(hashes, count);
      assert.deepEqual(root, merkleRootOfPacked(hashes, 0, count), `${count} hashes`);
      if (count <= 70)
        assert.deepEqual(new Uint8Array(root), new Uint8Array(merkleRoot(sha256, split(hashes, count))));
    }
  });

  it('reads only the hashes it is given: bytes beyond `count` do not change the result', () => {
    const hashes = packed(10);
    const root = merkleRootOfHashes(hashes, 7);
    hashes.fill(0xab, 7 * 32);
    assert.deepEqual(merkleRootOfHashes(hashes, 7), root);
  });

  it('refuses an empty tree (the sequencer never seals a batch without events)', () => {
    assert.throws(() => merkleRootOfHashes(Buffer.alloc(0), 0), RangeError);
  });
});
