/**
 * The scenario engine's random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 128-bit state, passes PractRand to large sizes) seeded through splitmix32. Pure
 * 32-bit integer arithmetic, so a seed gives the same sequence on every machine and Node version.
 *
 * Every consumer takes its own stream with `fork(label)`: the arrivals of one corridor never
 * depend on how many numbers another drew, so a variant that changes a policy (and thus what
 * the engine does) still sees exactly the same workload — common random numbers, which is what
 * makes a paired comparison between variants tight.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.nextUint32(); // mix the seed in before the first output
  }

  /** An independent stream for `label` (a hash of the seed and the label). */
  fork(label: string): Prng {
    return new Prng(hash32(`${this.seed}:${label}`));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A float in (0, 1]: safe under a logarithm or a negative power. */
  nextOpen(): number {
    return (this.nextUint32() + 1) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.below(items.length)]!;
  }

  /**
   * A version-4-shaped UUID drawn from this stream (ids replay with the seed; no crypto cost):
   * four draws, written as 32 hex digits, the 13th replaced by the version (4) and the 17th by
   * the variant (8 + its two low bits). One is drawn per payment, so it is written as character
   * codes into a reused array and made a string in one step: concatenating the digits built a
   * tree of 18 cons strings (~600 bytes a payment), flattened again by the first map lookup.
   */
  uuid(): string {
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    const u = UUID_CODES;
    writeHex(u, 0, a >>> 16, 4);
    writeHex(u, 4, a & 0xffff, 4);
    // u[8] is a dash.
    writeHex(u, 9, b >>> 16, 4);
    // u[13] is a dash, u[14] the version digit 4.
    writeHex(u, 15, b & 0xfff, 3);
    // u[18] is a dash.
    u[19] = HEX_CODE[8 + ((c >>> 28) & 3)]!;
    writeHex(u, 20, (c >>> 16) & 0xfff, 3);
    // u[23] is a dash.
    writeHex(u, 24, c & 0xffff, 4);
    writeHex(u, 28, d >>> 16, 4);
    writeHex(u, 32, d & 0xffff, 4);
    return String.fromCharCode.apply(null, u);
  }
}

/** The `count` low hex digits of `value`, most significant first, at `at` in `codes`. */
function writeHex(codes: number[], at: number, value: number, count: number): void {
  for (let i = count - 1; i >= 0; i--) {
    codes[at + i] = HEX_CODE[value & 15]!;
    value >>>= 4;
  }
}

/**
 * The character codes of the uuid being written, reused by every call (uuid() is synchronous):
 * the dashes and the version digit never change.
 */
const UUID_CODES: number[] = Array.from({ length: 36 }, (_, i) =>
  i === 8 || i === 13 || i === 18 || i === 23 ? 0x2d : i === 14 ? 0x34 : 0x30,
);

/** The character codes of the lowercase hex digits. */
const HEX_CODE: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** FNV-1a over the UTF-16 code units, then a murmur3 finaliser: a well-spread 32-bit label hash. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
