/**
 * The audit chain's small hashes for a whole batch, in JavaScript: each event's chain link
 * SHA-256(previous chain ‖ event hash) and the batch checkpoint's Merkle root over the event
 * hashes (audit-proof.mts: nextChain, merkleRoot; leaves 0x00 ‖ hash, nodes 0x01 ‖ left ‖ right).
 *
 * Why not node:crypto: every one of these inputs is one or two SHA-256 blocks, and a call of
 * `crypto.hash` costs ~0.8–1.0 µs here whatever the size (argument checks, a native call, a new
 * Buffer), against ~0.27 µs for one block compressed in JavaScript. A batch of n events needs
 * about 3n of them (n links, n leaves, n − 1 nodes): ~2.7 µs an event with node:crypto,
 * ~1.2 µs here, and nothing is allocated per hash. The event hashes themselves (several blocks of
 * canonical text each) stay with node:crypto, which is faster per byte.
 *
 * The results are bytes for bytes those of node:crypto (chain-digests.test.ts checks both on
 * random inputs against audit-proof.mts and merkleRootOfPacked).
 */

import { SHA256_IV, SHA256_K } from '../hashing/sha256-constants.js';

/** Module-level bindings: the compiled rounds read them without going through the import. */
const K = SHA256_K;
const IV = SHA256_IV;

/** Expands w[0..15] (the block's big-endian words) into the 64-word message schedule, in place. */
function expand(w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15]!;
    const w2 = w[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
}

/** One SHA-256 compression of the expanded schedule `w` into the eight words `h` (in place). */
function compress(h: Int32Array, w: Int32Array): void {
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

/**
 * The second block of a 64-byte message is always the same (0x80, zeros, the length 512 bits):
 * its schedule is expanded once.
 */
const PAD_64 = new Int32Array(64);
PAD_64[0] = 0x80000000 | 0;
PAD_64[15] = 512;
expand(PAD_64);

const w = new Int32Array(64);
const h = new Int32Array(8);

function readWords(bytes: Uint8Array, offset: number, words: Int32Array, at: number): void {
  for (let k = 0; k < 8; k++) {
    const o = offset + 4 * k;
    words[at + k] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  }
}

function writeWords(words: Int32Array, at: number, bytes: Uint8Array, offset: number): void {
  for (let k = 0; k < 8; k++) {
    const v = words[at + k]!;
    const o = offset + 4 * k;
    bytes[o] = v >>> 24;
    bytes[o + 1] = (v >>> 16) & 0xff;
    bytes[o + 2] = (v >>> 8) & 0xff;
    bytes[o + 3] = v & 0xff;
  }
}

/**
 * The chain after each of `count` events: chains[i] = SHA-256(chains[i − 1] ‖ hashes[i]), from
 * `previous`, each 32 bytes laid end to end. Returns the last link (a copy).
 */
export function chainLinks(
  previous: Uint8Array,
  hashes: Uint8Array,
  count: number,
  chains: Uint8Array,
): Buffer {
  const link = new Int32Array(8);
  readWords(previous, 0, link, 0);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < 8; k++) w[k] = link[k]!;
    readWords(hashes, i * 32, w, 8);
    expand(w);
    h.set(IV);
    compress(h, w);
    compress(h, PAD_64);
    link.set(h);
    writeWords(h, 0, chains, i * 32);
  }
  const last = Buffer.allocUnsafe(32);
  writeWords(link, 0, last, 0);
  return last;
}

/**
 * merkleRoot (audit-proof.mts) over `count` ≥ 1 packed 32-byte hashes: leaves SHA-256(0x00 ‖ hash),
 * nodes SHA-256(0x01 ‖ left ‖ right), an odd node at the end of a level carried up unchanged.
 */
export function merkleRootOfHashes(hashes: Uint8Array, count: number): Buffer {
  if (count < 1) throw new RangeError('a Merkle root needs at least one hash');
  // Every level's digests as big-endian words, 8 per node, computed in place over the leaves.
  const level = new Int32Array(count * 8);
  const x = new Int32Array(8);
  for (let i = 0; i < count; i++) {
    // 0x00 ‖ hash is 33 bytes: one block, the hash shifted one byte right, then 0x80 and the
    // length (264 bits).
    readWords(hashes, i * 32, x, 0);
    w[0] = x[0]! >>> 8;
    for (let k = 1; k < 8; k++) w[k] = (x[k - 1]! << 24) | (x[k]! >>> 8);
    w[8] = (x[7]! << 24) | 0x00800000;
    for (let k = 9; k < 15; k++) w[k] = 0;
    w[15] = 264;
    expand(w);
    h.set(IV);
    compress(h, w);
    level.set(h, i * 8);
  }
  let n = count;
  while (n > 1) {
    const pairs = n >>> 1;
    for (let i = 0; i < pairs; i++) {
      // 0x01 ‖ left ‖ right is 65 bytes: the 64 bytes shifted one byte right behind 0x01, then a
      // second block holding the last byte, 0x80 and the length (520 bits).
      const at = 16 * i;
      w[0] = 0x01000000 | (level[at]! >>> 8);
      for (let k = 1; k < 16; k++) w[k] = (level[at + k - 1]! << 24) | (level[at + k]! >>> 8);
      const lastByte = level[at + 15]! << 24;
      expand(w);
      h.set(IV);
      compress(h, w);
      w[0] = lastByte | 0x00800000;
      for (let k = 1; k < 15; k++) w[k] = 0;
      w[15] = 520;
      expand(w);
      compress(h, w);
      level.set(h, 8 * i);
    }
    if (n % 2 === 1) level.copyWithin(8 * pairs, 8 * (n - 1), 8 * n);
    n = (n + 1) >>> 1;
  }
  const root = Buffer.allocUnsafe(32);
  writeWords(level, 0, root, 0);
  return root;
}
