import type { BodyReader } from '../../platform/http/body-reader.js';
import { findCurrency, type Currency } from '../domain/currency.js';
import { parseId, type Id } from '../domain/id.js';

/** Field readers shared by the ledger's request parsers. */

/**
 * The ranges of the ledger's integer fields (TigerBeetle's widths: code u16, timeout in seconds
 * within a signed 32-bit column, user_data_32 u32), for every path that reads them.
 */
export const CODE_MAX = 65_535;
export const TIMEOUT_MAX = 2_147_483_647;
export const USER_DATA_32_MAX = 4_294_967_295;

export function readId(reader: BodyReader, value: unknown, pointer: string, optional = false): Id | null {
  if (value === undefined && optional) return null;
  const id = parseId(value);
  if (id === null) reader.fail(pointer, 'invalid_id', 'must be a 128-bit id written as a UUID string');
  return id;
}

export function readCurrency(
  reader: BodyReader,
  value: unknown,
  pointer: string,
  optional = false,
): Currency | null {
  if (value === undefined && optional) return null;
  const code = reader.string(value, pointer);
  if (code === null) return null;
  const currency = findCurrency(code);
  if (!currency)
    reader.fail(pointer, 'unknown_currency', `is not a currency this ledger knows: ${JSON.stringify(code)}`);
  return currency ?? null;
}

const UINT64_TEXT = /^(0|[1-9][0-9]{0,18})$/;

/** user_data_64 travels as a decimal string (JSON numbers lose precision past 2^53). */
export function readUserData64(reader: BodyReader, value: unknown, pointer: string): bigint {
  if (value === undefined) return 0n;
  if (typeof value !== 'string' || !UINT64_TEXT.test(value) || BigInt(value) > (1n << 63n) - 1n) {
    reader.fail(pointer, 'invalid_user_data_64', 'must be a decimal string from 0 to 9223372036854775807');
    return 0n;
  }
  return BigInt(value);
}

export function readUserData32(reader: BodyReader, value: unknown, pointer: string): number {
  return reader.integer(value, pointer, 0, USER_DATA_32_MAX, true) ?? 0;
}
