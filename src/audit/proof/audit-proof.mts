/**
 * The audit trail's hashing rules, in one ES module that runs unchanged in the service (Node,
 * node:crypto's SHA-256 passed in) and in the regulators' web page (the browser, @noble/hashes'
 * SHA-256 passed in): the page verifies an event's proof with the very code the node used to
 * seal it. No imports, no Node or DOM APIs. Written down for anyone to recompute in
 * docs/audit.md ("Recomputing a hash by hand").
 */

/** SHA-256 over the concatenation of the parts. */
export type Sha256 = (...parts: Uint8Array[]) => Uint8Array;

/** The fields of an event the hash covers, as the log stores them. */
export interface HashedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  /** ISO 8601 in UTC with milliseconds (Date.prototype.toISOString). */
  readonly recordedAt: string;
  /** The exact JSON texts stored in `events.data` and `events.metadata`. */
  readonly data: string;
  readonly metadata: string;
}

/** The chain's value before the first event. */
export const GENESIS_CHAIN = new Uint8Array(32);

const utf8 = new TextEncoder();
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/**
 * The canonical encoding (v1): six fields in this order, separated by one line feed, as UTF-8.
 * None can hold a line feed: ids and types are checked when written, and JSON.stringify never
 * writes a raw one.
 */
export function canonicalEncoding(event: HashedEvent): Uint8Array {
  return utf8.encode(canonicalText(event));
}

/** The canonical encoding before UTF-8. */
export function canonicalText(event: HashedEvent): string {
  return `${event.streamId}\n${event.streamVersion}\n${event.type}\n${event.recordedAt}\n${event.data}\n${event.metadata}`;
}

/** An event's hash: SHA-256 of its canonical encoding. */
export function eventHash(sha256: Sha256, event: HashedEvent): Uint8Array {
  return sha256(canonicalEncoding(event));
}

/** The chain after an event: SHA-256(previous chain ‖ event hash). */
export function nextChain(sha256: Sha256, previous: Uint8Array, hash: Uint8Array): Uint8Array {
  return sha256(previous, hash);
}

/**
 * The Merkle tree hash over a checkpoint's event hashes, shaped as RFC 9162 §2.1.1 (split at the
 * largest power of two below n; leaves and inner nodes domain-separated by a 0x00 / 0x01 prefix,
 * so a leaf can never pass for a node).
 */
export function merkleRoot(sha256: Sha256, hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return sha256();
  let level = hashes.map((hash) => sha256(LEAF, hash));
  // Bottom-up pairing gives the same tree as the recursive split: an odd node at the end of a
  // level is carried up unchanged.
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(sha256(NODE, level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** The sibling hashes from a leaf up to the root (RFC 9162 §2.1.3.1), bottom first. */
export function inclusionProof(sha256: Sha256, hashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= hashes.length) {
    throw new RangeError(`leaf ${index} is not in a tree of ${hashes.length}`);
  }
  const path: Uint8Array[] = [];
  let level = hashes.map((hash) => sha256(LEAF, hash));
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    if (sibling < level.length) path.push(level[sibling]!);
    const next: Uint8Array[] = [];
    for (let j = 0; j + 1 < level.length; j += 2) next.push(sha256(NODE, level[j]!, level[j + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
    i = Math.floor(i / 2);
  }
  return path;
}

/**
 * True if `hash` is leaf `index` of a tree of `size` leaves with root `root`, given its proof
 * (RFC 9162 §2.1.3.2): the verifier needs nothing else of the batch.
 */
export function verifyInclusion(
  sha256: Sha256,
  hash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = sha256(LEAF, hash);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(NODE, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = sha256(NODE, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

/** What the node signs for a checkpoint (v1): these lines, UTF-8, no trailing line feed. */
export interface CheckpointBody {
  /** Positions after `from` up to and including `to` are covered. */
  readonly from: string;
  readonly to: string;
  readonly merkleRoot: string;
  readonly chainHead: string;
  readonly recordedAt: string;
}

export function checkpointMessage(checkpoint: CheckpointBody): Uint8Array {
  return utf8.encode(
    [
      'yuanbridge-checkpoint-v1',
      checkpoint.from,
      checkpoint.to,
      checkpoint.merkleRoot,
      checkpoint.chainHead,
      checkpoint.recordedAt,
    ].join('\n'),
  );
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new Error('not lowercase hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
