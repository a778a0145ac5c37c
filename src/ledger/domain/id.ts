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
  // The one-shot hash: no Hash object per id (ids are derived on every payment's hot path).
  const bytes = hash('sha256', `yuanbridge:${name}`, 'buffer');
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
