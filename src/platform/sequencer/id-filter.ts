/**
 * A set of strings that answers "certainly not in it" or "perhaps in it" (a Bloom filter that
 * grows by adding segments, each twice the capacity of the one before), in ~10 bits per string.
 *
 * Used by prefetch (docs/adr/0008-pipelined-sequencer.md): the ledger adds every transfer id that
 * leaves memory, so an id that is neither in memory nor perhaps in the filter was never written,
 * and need not be looked up in the database. A false "perhaps" (≈1% per segment) only costs that
 * lookup; there are no false "certainly not"s.
 */
export class IdFilter {
  private segments: Segment[] = [];

  /** Strings added (with repeats). */
  get size(): number {
    return this.segments.reduce((sum, s) => sum + s.count, 0);
  }

  add(id: string): void {
    hashes(id);
    const h1 = hash1;
    const h2 = hash2;
    let segment = this.segments.at(-1);
    if (segment === undefined || segment.count >= segment.capacity) {
      segment = newSegment(segment === undefined ? FIRST_CAPACITY : segment.capacity * 2);
      this.segments.push(segment);
    }
    const bits = segment.bits;
    const m = bits.length * 32;
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) % m;
      bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    segment.count++;
  }

  mightHave(id: string): boolean {
    if (this.segments.length === 0) return false;
    hashes(id);
    const h1 = hash1;
    const h2 = hash2;
    for (const { bits } of this.segments) {
      const m = bits.length * 32;
      let all = true;
      for (let i = 0; i < HASHES && all; i++) {
        const bit = (h1 + i * h2) % m;
        all = (bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
      }
      if (all) return true;
    }
    return false;
  }

  /** A v8-serializable copy (for snapshots), and its inverse. */
  toSnapshot(): FilterSnapshot {
    return { version: 1, segments: this.segments.map((s) => ({ ...s, bits: s.bits.slice() })) };
  }

  static fromSnapshot(snapshot: FilterSnapshot): IdFilter {
    if (snapshot.version !== 1) throw new Error(`unknown id filter version ${snapshot.version}`);
    const filter = new IdFilter();
    filter.segments = snapshot.segments.map((s) => ({ ...s, bits: s.bits.slice() }));
    return filter;
  }
}

export interface FilterSnapshot {
  readonly version: number;
  readonly segments: ReadonlyArray<Segment>;
}

interface Segment {
  readonly capacity: number;
  count: number;
  readonly bits: Uint32Array;
}

const FIRST_CAPACITY = 1 << 20;
const BITS_PER_ID = 10;
const HASHES = 7;

function newSegment(capacity: number): Segment {
  return { capacity, count: 0, bits: new Uint32Array(Math.ceil((capacity * BITS_PER_ID) / 32)) };
}

/** The two hashes of the last `hashes` call: the filter asks once per id, so no pair is allocated. */
let hash1 = 0;
let hash2 = 0;

/** Two independent 32-bit FNV-1a hashes (different offsets), for double hashing, into hash1 and hash2. */
function hashes(id: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  // h2 odd and non-zero, so the probes of one id are distinct.
  hash1 = a >>> 0;
  hash2 = (b | 1) >>> 0;
}
