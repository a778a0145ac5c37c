import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { nameBasedId, NameBasedIdFamily } from '../../../src/ledger/domain/id.js';
import { LANE_TEXT_CAPACITY, sha256Lanes } from '../../../src/platform/hashing/sha256-lanes.js';
import { legTransferId } from '../../../src/payments/domain/settlement.js';

/**
 * The SIMD hash (sha256-lanes.ts) stands in for node:crypto where a payment's leg ids are derived:
 * an id that came out different would let a resubmitted payment settle twice. So its digests are
 * compared with node:crypto's for every text length over several blocks (every padding case: the
 * 0x80 and the length in the same block, the length alone in a last block, the text ending on a
 * block boundary), and the ids with nameBasedId's.
 */

function hexOfLane(words: Int32Array, lane: number): string {
  let hex = '';
  for (let j = 0; j < 8; j++) hex += (words[4 * j + lane]! >>> 0).toString(16).padStart(8, '0');
  return hex;
}

describe('sha256 lanes', () => {
  it("gives node:crypto's digest of text ‖ digit in each lane, for every text length from 0 to 300 bytes", () => {
    const lanes = sha256Lanes();
    for (let length = 0; length <= 300; length++) {
      const text = randomBytes(length);
      lanes.text.set(text, 0);
      for (const first of [0, 3, 6]) {
        const words = lanes.digestIndexed(length, first);
        for (let lane = 0; lane < 4; lane++) {
          const expected = createHash('sha256')
            .update(text)
            .update(String(first + lane))
            .digest('hex');
          assert.equal(hexOfLane(words, lane), expected, `length ${length}, digit ${first + lane}`);
        }
      }
    }
  });

  it('hashes a text as long as its buffer holds, and refuses a longer one', () => {
    const lanes = sha256Lanes();
    const text = randomBytes(LANE_TEXT_CAPACITY);
    lanes.text.set(text, 0);
    const words = lanes.digestIndexed(LANE_TEXT_CAPACITY, 9);
    assert.equal(hexOfLane(words, 0), createHash('sha256').update(text).update('9').digest('hex'));
    assert.throws(() => lanes.digestIndexed(LANE_TEXT_CAPACITY + 1, 0), RangeError);
    assert.throws(() => lanes.digestIndexed(10, 10), RangeError);
  });

  it('gives the same digest after texts of other lengths (nothing left over from an earlier call)', () => {
    const lanes = sha256Lanes();
    const text = Buffer.from('yuanbridge:payment:0b0c5a4e-3d1f-4a2b-9c8d-7e6f5a4b3c2d:leg:');
    lanes.text.set(text, 0);
    const before = hexOfLane(lanes.digestIndexed(text.length, 0), 1);
    for (const other of [0, 55, 56, 63, 64, 200]) {
      lanes.text.set(randomBytes(other), 0);
      lanes.digestIndexed(other, 2);
    }
    lanes.text.set(text, 0);
    assert.equal(hexOfLane(lanes.digestIndexed(text.length, 0), 1), before);
  });
});

describe('name-based id families', () => {
  it("give nameBasedId's ids, for middles of every length, multi-byte characters, and indexes past 9", () => {
    for (const before of ['', 'payment:', 'x'.repeat(70)]) {
      const family = new NameBasedIdFamily(before, ':leg:');
      for (let length = 0; length <= 150; length++) {
        const middle =
          randomBytes(length).toString('base64').slice(0, length) + (length % 9 === 0 ? 'é€😀' : '');
        const ids: string[] = [];
        family.append(middle, 0, 13, ids);
        assert.deepEqual(
          ids,
          Array.from({ length: 13 }, (_, i) => nameBasedId(`${before}${middle}:leg:${i}`)),
          `before ${before.length}, middle ${length}`,
        );
      }
    }
  });

  it('append from any index to any other, after the ids already there', () => {
    const family = new NameBasedIdFamily('payment:', ':leg:');
    const middle = '5f0e4d3c-2b1a-4987-8654-3210fedcba98';
    for (let from = 0; from <= 12; from++)
      for (let to = from; to <= 12; to++) {
        const ids = ['kept'];
        family.append(middle, from, to, ids);
        assert.deepEqual(ids, [
          'kept',
          ...Array.from({ length: to - from }, (_, i) => nameBasedId(`payment:${middle}:leg:${from + i}`)),
        ]);
      }
  });

  it('fall back to nameBasedId for a middle longer than the lanes hold', () => {
    const family = new NameBasedIdFamily('a:', ':b:');
    const middle = 'm'.repeat(LANE_TEXT_CAPACITY);
    const ids: string[] = [];
    family.append(middle, 0, 2, ids);
    assert.deepEqual(ids, [nameBasedId(`a:${middle}:b:0`), nameBasedId(`a:${middle}:b:1`)]);
  });

  it("derive a payment's leg ids as legTransferId does (the ids its earlier settlements have)", () => {
    const paymentId = '0b0c5a4e-3d1f-4a2b-9c8d-7e6f5a4b3c2d';
    const family = new NameBasedIdFamily('payment:', ':leg:');
    const ids: string[] = [];
    family.append(paymentId, 0, 4, ids);
    assert.deepEqual(
      ids,
      [0, 1, 2, 3].map((i) => legTransferId(paymentId, i)),
    );
    // A fixed point, so that a change to both derivations at once is seen too.
    assert.equal(
      nameBasedId(`payment:${paymentId}:leg:0`),
      (() => {
        const hex = createHash('sha256').update(`yuanbridge:payment:${paymentId}:leg:0`).digest('hex');
        const variant = '89ab'[parseInt(hex[16]!, 16) & 3]!;
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
      })(),
    );
  });
});
