import type { BodyReader } from '../../platform/http/body-reader.js';
import { parseAmount } from '../domain/amount.js';
import type { Currency } from '../domain/currency.js';
import { AMOUNT_MESSAGES } from './create-transfers/create-transfers.request.js';

/**
 * The one way a request body gives an amount: `<name>` in major units (at most the currency's
 * decimals) or `<name>Minor` as integer minor units, exactly one of them. Problems go to the
 * reader with JSON pointers under `pointer`.
 */
export function readAmount(
  r: BodyReader,
  o: Record<string, unknown>,
  currency: Currency,
  options: { readonly name?: string; readonly pointer?: string; readonly optional?: boolean } = {},
): bigint | null {
  const name = options.name ?? 'amount';
  const base = options.pointer ?? '';
  const major = o[name];
  const minorValue = o[`${name}Minor`];
  if (major !== undefined && minorValue !== undefined) {
    r.fail(`${base}/${name}`, 'amount_ambiguous', `and ${name}Minor cannot both be given`);
    return null;
  }
  if (major === undefined && minorValue === undefined) {
    if (!options.optional)
      r.fail(`${base}/${name}`, 'amount_required', `is required (${name} or ${name}Minor)`);
    return null;
  }
  const minor = minorValue !== undefined;
  const pointer = `${base}/${minor ? `${name}Minor` : name}`;
  const text = r.string(minor ? minorValue : major, pointer);
  if (text === null) return null;
  const parsed = parseAmount(text, currency, minor);
  if (parsed.ok) return parsed.value;
  r.fail(pointer, parsed.error, AMOUNT_MESSAGES[parsed.error]!);
  return null;
}
