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
