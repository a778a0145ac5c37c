import { hash } from 'node:crypto';
import { LANE_TEXT_CAPACITY, sha256Lanes, type Sha256Lanes } from '../../platform/hashing/sha256-lanes.js';

/**
 * One id scheme: 128-bit identifiers written as canonical lowercase UUID strings, chosen by the
 * client (TigerBeetle's model; a bank's UUIDv4/v7 fits as is). Zero and 2^128-1 are reserved.
 */
export type Id = string;

export const ID_ZERO: Id = '00000000-0000-0000-0000-000000000000';
export const ID_INT_MAX: Id = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Returns the canonical (lowercase) form, or null when the text is not a 128-bit UUID string. */
export function parseId(text: unknown): Id | null {
  if (typeof text !== 'string' || !UUID.test(text)) return null;
  return text.toLowerCase();
}

/**
 * A stable id derived from a name (RFC 9562 UUIDv8 over SHA-256): the same name always gives the
 * same id. Used where an id follows from what a thing is, e.g. "the CNY wallet of bank X" or
 * "leg 2 of payment P", so that it never has to be stored to be found again.
 */
export function nameBasedId(name: string): Id {
  // The one-shot hash straight to hex: a Buffer per id cost more than the hash itself (ids are
  // derived on every payment's hot path). The version and variant bits are set on the hex digits
  // they live in, which gives the same id as setting them on the bytes.
  const hex = hash('sha256', `yuanbridge:${name}`, 'hex');
  // The 36 characters are written into one array and made into a string in one step: a template
  // of slices made a cons string, which the first Map lookup of every new id (the ledger's
  // "exists?" check) then had to flatten. fromCharCode gives a flat string at once.
  for (let i = 0; i < 36; i++) {
    const from = HEX_INDEX[i]!;
    if (from >= 0) ID_CODES[i] = hex.charCodeAt(from);
  }
  // Byte 6 = (byte & 0x0f) | 0x80: its high digit becomes 8 (version 8), its low digit stays.
  // Byte 8 = (byte & 0x3f) | 0x80: its high digit keeps its two low bits under 0b10 (RFC 9562 variant).
  const high8 = hex.charCodeAt(16);
  ID_CODES[19] = VARIANT_CODE[(high8 <= NINE ? high8 - ZERO : high8 - LOWER_A + 10) & 3]!;
  return String.fromCharCode.apply(null, ID_CODES);
}

const ZERO = 0x30;
const NINE = 0x39;
const LOWER_A = 0x61;
const DASH = 0x2d;
const EIGHT = 0x38;

/**
 * Where each of the id's 36 characters comes from in the 64-digit hex digest; -1 for a character
 * set apart from the digest (the dashes, the version digit 8 and the variant digit). Digit 12 is
 * the version's place and digit 16 the variant's; digits 32 to 63 are not used.
 */
const HEX_INDEX: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, -1, 8, 9, 10, 11, -1, -1, 13, 14, 15, -1, -1, 17, 18, 19, -1, 20, 21, 22, 23, 24,
  25, 26, 27, 28, 29, 30, 31,
];

/**
 * The character codes of the id being built, reused by every call (nameBasedId is synchronous and
 * calls nothing that could re-enter it): dashes and the version digit never change.
 */
const ID_CODES: number[] = HEX_INDEX.map((from, i) => (from >= 0 ? ZERO : i === 14 ? EIGHT : DASH));

/** The code of the high hex digit of a byte whose top two bits are 0b10, by its two low bits. */
const VARIANT_CODE: readonly number[] = [0x38, 0x39, 0x61, 0x62];

/**
 * The name-based ids of a family of names `${before}${middle}${after}${index}`: a payment's legs
 * (`payment:<id>:leg:0`, `…:1`, …). `append(middle, from, to, out)` gives exactly the ids
 * nameBasedId gives for those names, four at a time in one SIMD hash (platform/hashing/
 * sha256-lanes.ts, docs/adr/0019) rather than one node:crypto call each. Indexes above 9, and a
 * middle too long for the lanes' buffer, are left to nameBasedId.
 */
export class NameBasedIdFamily {
  private readonly head: Uint8Array;
  private readonly tail: Uint8Array;
  private lanes: Sha256Lanes | undefined;
  private middleView: Uint8Array | undefined;

  constructor(
    private readonly before: string,
    private readonly after: string,
  ) {
    this.head = ENCODER.encode(`${NAME_SPACE}${before}`);
    this.tail = ENCODER.encode(after);
    if (this.head.length + this.tail.length > LANE_TEXT_CAPACITY)
      throw new RangeError('a name family longer than the hash lanes hold');
  }

  append(middle: string, from: number, to: number, out: Id[]): void {
    let index = from;
    if (index < to && index <= 9) {
      const lanes = (this.lanes ??= sha256Lanes());
      const view = (this.middleView ??= lanes.text.subarray(
        this.head.length,
        LANE_TEXT_CAPACITY - this.tail.length,
      ));
      // The text is written once for every group of four: each call only appends its digits.
      lanes.text.set(this.head, 0);
      const { read, written } = ENCODER.encodeInto(middle, view);
      if (read === middle.length) {
        lanes.text.set(this.tail, this.head.length + written);
        const length = this.head.length + written + this.tail.length;
        while (index < to && index <= 9) {
          const words = lanes.digestIndexed(length, index);
          const lastLane = Math.min(to - index, 10 - index, 4);
          for (let lane = 0; lane < lastLane; lane++) out.push(idOfDigest(words, lane));
          index += lastLane;
        }
      }
    }
    for (; index < to; index++) out.push(nameBasedId(`${this.before}${middle}${this.after}${index}`));
  }
}

const NAME_SPACE = 'yuanbridge:';
const ENCODER = new TextEncoder();

/** The hex digit codes of the bytes 0–255, high digit then low digit. */
const HEX_HIGH = Int32Array.from({ length: 256 }, (_, b) => '0123456789abcdef'.charCodeAt(b >> 4));
const HEX_LOW = Int32Array.from({ length: 256 }, (_, b) => '0123456789abcdef'.charCodeAt(b & 15));
/** Where byte k (0–15) of the digest is written in the 36-character id. */
const BYTE_AT: readonly number[] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * The id of lane `lane`'s digest (words interleaved as Sha256Lanes returns them): its first 16
 * bytes as hex with the version and variant set as nameBasedId sets them.
 */
function idOfDigest(words: Int32Array, lane: number): Id {
  for (let word = 0; word < 4; word++) {
    const value = words[4 * word + lane]!;
    for (let k = 0; k < 4; k++) {
      const byte = (value >>> (24 - 8 * k)) & 0xff;
      const at = BYTE_AT[4 * word + k]!;
      ID_CODES[at] = HEX_HIGH[byte]!;
      ID_CODES[at + 1] = HEX_LOW[byte]!;
    }
  }
  // Byte 6's high digit is the version (8); byte 8's high digit keeps its two low bits under 0b10.
  ID_CODES[14] = EIGHT;
  ID_CODES[19] = VARIANT_CODE[(words[8 + lane]! >>> 28) & 3]!;
  return String.fromCharCode.apply(null, ID_CODES);
}
