/**
 * SHA-256 of four texts at once, in WebAssembly SIMD: the texts `T0`…`T3`, where `T` is one text
 * written into `text` and each lane appends its own decimal digit (`first`, `first + 1`, …).
 *
 * Why: a payment's ledger legs have name-based ids, `nameBasedId("payment:<id>:leg:<i>")`, and a
 * payment has three or four of them. node:crypto's one-shot hash costs ~0.5 µs a call on this
 * machine however short the input (argument checks, a native call, a result string), which made the
 * leg ids ~20% of a simulated payment (docs/adr/0019). Here one call hashes all of a payment's
 * legs side by side, a lane each, with the text written once: the names differ only in their last
 * digit, and SHA-256's 32-bit word arithmetic maps one-to-one onto WebAssembly's i32x4 lanes.
 *
 * The module is emitted here as bytes (no toolchain, no binary file in the repository): the
 * emitter below reads as the algorithm (FIPS 180-4, section 6.2), and the digests are checked
 * against node:crypto for texts of every length up to several blocks (test/platform/sha256-lanes).
 */

import { SHA256_IV, SHA256_K } from './sha256-constants.js';

/** Bytes of the text the caller writes before calling `digestIndexed` (at memory offset 0). */
export const LANE_TEXT_CAPACITY = 8_000;

/** Memory layout of the one 64 KiB page. */
const TEXT_AT = 0;
/** The lanes' message words, interleaved: word t of block b, lane l at WORDS_AT + (16b + t)·16 + 4l. */
const WORDS_AT = 8_192;
/** The round constants K_0…K_63 (a load and broadcast is cheaper than a v128 constant). */
const K_AT = 60_928;
/** K_t + W_t of a last block that holds only padding (paddingSchedule), 64 words. */
const SCHEDULE_AT = 61_184;
/** The digests, interleaved like the words: word j, lane l at DIGESTS_AT + 16j + 4l. */
const DIGESTS_AT = 61_440;

export class Sha256Lanes {
  /** Where the caller writes the text (UTF-8 bytes), up to LANE_TEXT_CAPACITY bytes. */
  readonly text: Uint8Array;
  private readonly digests: Int32Array;
  private readonly schedule: Int32Array;
  /** The message length whose padding block's schedule is at SCHEDULE_AT (0: none yet). */
  private scheduledLength = 0;
  private readonly run: (textLength: number, first: number, paddingLast: number) => void;

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(emitModule()));
    const memory = instance.exports.memory as WebAssembly.Memory;
    this.run = instance.exports.digestIndexed as (
      textLength: number,
      first: number,
      paddingLast: number,
    ) => void;
    this.text = new Uint8Array(memory.buffer, TEXT_AT, LANE_TEXT_CAPACITY);
    this.schedule = new Int32Array(memory.buffer, SCHEDULE_AT, 64);
    new Int32Array(memory.buffer, K_AT, 64).set(SHA256_K);
    this.digests = new Int32Array(memory.buffer, DIGESTS_AT, 32);
  }

  /**
   * The SHA-256 digests of text ‖ digit, for the four digits `first` … `first + 3` (first ≤ 9; a
   * lane whose digit would pass 9 is not a digest of anything: the caller skips it). Returns the
   * digests' words, word j of lane l at `[4j + l]`, valid until the next call. The text stays as
   * written, so the next group of digits needs only another call.
   */
  digestIndexed(textLength: number, first: number): Int32Array {
    if (!(textLength >= 0 && textLength <= LANE_TEXT_CAPACITY) || !(first >= 0 && first <= 9))
      throw new RangeError(`digestIndexed(${textLength}, ${first})`);
    const length = textLength + 1;
    // The last block holds only padding when the text and its 0x80 leave no room for the length
    // (or the text ends exactly on a block): ids of UUID-named legs are such texts (61 bytes).
    const tail = length % 64;
    const paddingLast = tail === 0 || tail >= 56;
    if (paddingLast && this.scheduledLength !== length) {
      paddingSchedule(length, this.schedule);
      this.scheduledLength = length;
    }
    this.run(textLength, first, paddingLast ? 1 : 0);
    return this.digests;
  }
}

/**
 * K_t + W_t for the block that holds only the padding of a `length`-byte message: the 0x80 when
 * the message ends on a block boundary, zeros, and the length in bits (FIPS 180-4, 5.1.1, 6.2.2).
 */
function paddingSchedule(length: number, into: Int32Array): void {
  const w = new Int32Array(64);
  w[0] = length % 64 === 0 ? 0x80000000 | 0 : 0;
  w[15] = length * 8;
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w[t] = (s1 + w[t - 7]! + s0 + w[t - 16]!) | 0;
  }
  for (let t = 0; t < 64; t++) into[t] = (SHA256_K[t]! + w[t]!) | 0;
}

let shared: Sha256Lanes | undefined;

/** One instance per thread (its memory is a scratch area: calls must not interleave, and cannot). */
export function sha256Lanes(): Sha256Lanes {
  return (shared ??= new Sha256Lanes());
}

// ---------------------------------------------------------------------------------------------
// The module's bytes. Opcodes are the WebAssembly core specification's (2.0, with SIMD and bulk
// memory); only what the one function needs is here.

const I32 = 0x7f;
const V128 = 0x7b;

class Body {
  readonly bytes: number[] = [];

  private op(...codes: number[]): this {
    for (const c of codes) this.bytes.push(c);
    return this;
  }
  private simd(code: number): this {
    return this.op(0xfd, ...uleb(code));
  }

  get(local: number): this {
    return this.op(0x20, ...uleb(local));
  }
  set(local: number): this {
    return this.op(0x21, ...uleb(local));
  }
  tee(local: number): this {
    return this.op(0x22, ...uleb(local));
  }
  i32(value: number): this {
    return this.op(0x41, ...sleb(value | 0));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  /** i32.store8 at the address on the stack plus `offset`. */
  store8(offset = 0): this {
    return this.op(0x3a, 0, ...uleb(offset));
  }
  /** memory.fill(destination, value, length). */
  fill(): this {
    return this.op(0xfc, ...uleb(11), 0);
  }
  block(): this {
    return this.op(0x02, 0x40);
  }
  /** block … end, loop … end: `br 1` leaves the loop, `br 0` goes round again. */
  blockLoop(): this {
    return this.op(0x02, 0x40, 0x03, 0x40);
  }
  brIf(depth: number): this {
    return this.op(0x0d, depth);
  }
  br(depth: number): this {
    return this.op(0x0c, depth);
  }
  end(): this {
    return this.op(0x0b);
  }

  load(offset = 0): this {
    return this.simd(0x00).op(4, ...uleb(offset));
  }
  /** Four bytes at the address on the stack plus `offset`, as all four lanes. */
  loadSplat32(offset = 0): this {
    return this.simd(0x09).op(2, ...uleb(offset));
  }
  store(offset = 0): this {
    return this.simd(0x0b).op(4, ...uleb(offset));
  }
  /** All four lanes set to `value`. */
  splat(value: number): this {
    return this.lanes(value, value, value, value);
  }
  lanes(...values: number[]): this {
    this.simd(0x0c);
    for (const v of values) this.op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    return this;
  }
  shuffle(bytes: readonly number[]): this {
    return this.simd(0x0d).op(...bytes);
  }
  add(): this {
    return this.simd(0xae);
  }
  xor(): this {
    return this.simd(0x51);
  }
  or(): this {
    return this.simd(0x50);
  }
  /** bitselect(x, y, mask): the bits of x where mask is 1, of y where it is 0. */
  bitselect(): this {
    return this.simd(0x52);
  }
  shl(): this {
    return this.simd(0xab);
  }
  shrU(): this {
    return this.simd(0xad);
  }

  /** ROTR^n(x) = (x >>> n) | (x << (32 - n)), on every lane. */
  rotr(x: number, n: number): this {
    return this.get(x)
      .i32(n)
      .shrU()
      .get(x)
      .i32(32 - n)
      .shl()
      .or();
  }
  /** Σ or σ: ROTR^r1 ⊕ ROTR^r2 ⊕ (ROTR or SHR)^r3 of x. */
  sigma(x: number, r1: number, r2: number, r3: number, shiftLast: boolean): this {
    this.rotr(x, r1).rotr(x, r2).xor();
    if (shiftLast) this.get(x).i32(r3).shrU();
    else this.rotr(x, r3);
    return this.xor();
  }
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  return vector([...Buffer.from(text, 'utf8')].map((b) => [b]));
}

// Locals: the three parameters, then the i32 scratch, then the v128 ones.
const TEXT_LENGTH = 0;
const FIRST = 1;
const PADDING_LAST = 2; // 1 when the last block holds only padding
const LENGTH = 3; // bytes of a lane's message: text and digit
const BLOCKS = 4;
const AT = 5; // a byte offset being walked
const END = 6;
const I32_LOCALS = 4;
const W = (t: number) => 7 + (t % 16); // the schedule's last 16 words
const VAR = 23; // a…h
const SAVED = 31; // a…h at the start of the block
const T1 = 39;
const CHUNK = 40;
const V128_LOCALS = 34;

/**
 * `digestIndexed(textLength, first, paddingLast)`: pads each lane's message (text, its digit, 0x80, zeros, the
 * length in bits), spreads the message words across the lanes, compresses every block and stores
 * the digests. The 64 rounds of a block are unrolled, the working variables renamed rather than
 * moved (round t's new `a` goes into the local that held `h`).
 */
function emitModule(): Uint8Array {
  const f = new Body();
  // length = textLength + 1; the digit '0' + first, then 0x80.
  f.get(TEXT_LENGTH).i32(1).i32Add().set(LENGTH);
  f.get(TEXT_LENGTH).get(FIRST).i32(0x30).i32Add().store8(TEXT_AT);
  f.get(LENGTH).i32(0x80).store8(TEXT_AT);
  // blocks = ⌊(length + 8) / 64⌋ + 1: room for the 0x80 and the 64-bit length.
  f.get(LENGTH).i32(8).i32Add().i32(6).i32ShrU().i32(1).i32Add().set(BLOCKS);
  f.get(BLOCKS).i32(6).i32Shl().set(END); // bytes of the padded message
  // Zeros from after the 0x80 up to the length's low word; the length is under 2^32 bits.
  f.get(LENGTH)
    .i32(TEXT_AT + 1)
    .i32Add()
    .i32(0);
  f.get(END).get(LENGTH).i32Sub().i32(5).i32Sub().fill();
  for (let i = 0; i < 4; i++) {
    f.get(END)
      .i32(4 - i)
      .i32Sub();
    f.get(LENGTH)
      .i32(3)
      .i32Shl()
      .i32(24 - 8 * i)
      .i32ShrU();
    f.store8(TEXT_AT);
  }
  // Spread: each 16 bytes are four big-endian words; each word goes to all four lanes, byte-swapped.
  f.i32(0).set(AT);
  f.blockLoop();
  f.get(AT).get(END).i32GeU().brIf(1);
  f.get(AT).load(TEXT_AT).set(CHUNK);
  for (let k = 0; k < 4; k++) {
    const word = [4 * k + 3, 4 * k + 2, 4 * k + 1, 4 * k];
    f.get(AT).i32(2).i32Shl();
    f.get(CHUNK)
      .get(CHUNK)
      .shuffle([...word, ...word, ...word, ...word]);
    f.store(WORDS_AT + 16 * k);
  }
  f.get(AT).i32(16).i32Add().set(AT);
  f.br(0).end().end();
  // The digit's word: lane l's digit is l more than lane 0's, in the digit's byte of that word.
  f.get(TEXT_LENGTH).i32(2).i32ShrU().i32(4).i32Shl().set(AT);
  f.get(AT).get(AT).load(WORDS_AT).lanes(0, 1, 2, 3);
  f.i32(24).get(TEXT_LENGTH).i32(3).i32And().i32(3).i32Shl().i32Sub().shl().add();
  f.store(WORDS_AT);

  // Compression (FIPS 180-4, 6.2.2), a block per turn; AT walks the words. A last block that
  // holds only padding is left to the loop after this one.
  for (let i = 0; i < 8; i++) f.splat(SHA256_IV[i]!).set(VAR + i);
  f.get(BLOCKS).get(PADDING_LAST).i32Sub().set(BLOCKS);
  f.i32(0).set(AT);
  f.blockLoop();
  f.get(BLOCKS).i32Eqz().brIf(1);
  compressBlock(f, (t) => {
    if (t < 16)
      f.get(AT)
        .load(WORDS_AT + 16 * t)
        .set(W(t));
    else {
      // W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16, in the local that held W_t-16.
      f.get(W(t))
        .sigma(W(t - 15), 7, 18, 3, true)
        .add();
      f.get(W(t - 7))
        .add()
        .sigma(W(t - 2), 17, 19, 10, true)
        .add()
        .set(W(t));
    }
    f.i32(0)
      .loadSplat32(K_AT + 4 * t)
      .add()
      .get(W(t))
      .add();
  });
  f.get(AT).i32(256).i32Add().set(AT);
  f.get(BLOCKS).i32(1).i32Sub().set(BLOCKS);
  f.br(0).end().end();
  // The padding-only block: its schedule is the same for every text of this length, and
  // paddingSchedule wrote K_t + W_t for it at SCHEDULE_AT.
  f.block();
  f.get(PADDING_LAST).i32Eqz().brIf(0);
  compressBlock(f, (t) =>
    f
      .i32(0)
      .loadSplat32(SCHEDULE_AT + 4 * t)
      .add(),
  );
  f.end();
  for (let i = 0; i < 8; i++)
    f.i32(0)
      .get(VAR + i)
      .store(DIGESTS_AT + 16 * i);
  f.end();

  const body = [
    ...vector([
      [...uleb(I32_LOCALS), I32],
      [...uleb(V128_LOCALS), V128],
    ]),
    ...f.bytes,
  ];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32]]), ...vector([])]])),
    ...section(3, vector([[0]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(
      7,
      vector([
        [...name('digestIndexed'), 0x00, 0],
        [...name('memory'), 0x02, 0],
      ]),
    ),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ];
  return Uint8Array.from(bytes);
}

/**
 * One block's 64 rounds on the working variables in VAR…VAR+7, then the block's result added to
 * what they held before. `addScheduled(t)` adds K_t + W_t to the value on the stack. The working
 * variables are renamed rather than moved (round t's new `a` goes into the local that held `h`):
 * after 64 renamings they are back in their places, so each block starts and ends the same way.
 */
function compressBlock(f: Body, addScheduled: (t: number) => void): void {
  for (let i = 0; i < 8; i++) f.get(VAR + i).set(SAVED + i);
  let v = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => VAR + i);
  for (let t = 0; t < 64; t++) {
    const [a, b, c, d, e, fv, g, h] = v as [number, number, number, number, number, number, number, number];
    // T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t; Ch is a bit select by e.
    f.get(h).sigma(e, 6, 11, 25, false).add();
    f.get(fv).get(g).get(e).bitselect().add();
    addScheduled(t);
    f.tee(T1);
    // d + T1 becomes e.
    f.get(d).add().set(d);
    // T1 + Σ0(a) + Maj(a, b, c) becomes a; Maj takes c where a and b differ, else b.
    f.get(T1).sigma(a, 2, 13, 22, false).add();
    f.get(c).get(b).get(a).get(b).xor().bitselect().add().set(h);
    v = [h, a, b, c, d, e, fv, g];
  }
  for (let i = 0; i < 8; i++)
    f.get(VAR + i)
      .get(SAVED + i)
      .add()
      .set(VAR + i);
}
