import { hash } from 'node:crypto';

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
  // Byte 6 = (byte & 0x0f) | 0x80: its high digit becomes 8 (version 8), its low digit stays.
  // Byte 8 = (byte & 0x3f) | 0x80: its high digit keeps its two low bits under 0b10 (RFC 9562 variant).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${VARIANT_DIGIT[parseInt(hex[16]!, 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The high hex digit of a byte whose top two bits are 0b10, by its two low bits. */
const VARIANT_DIGIT = ['8', '9', 'a', 'b'] as const;
