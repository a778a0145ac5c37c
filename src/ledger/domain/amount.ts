import { Decimal } from 'decimal.js';
import type { Currency } from './currency.js';

/**
 * Amounts are integers in minor units. The ledger stores them in PostgreSQL `bigint`, so the
 * largest amount or balance is 2^63 - 1 minor units (see docs/adr/0004-ledger-data-model.md).
 */
export const AMOUNT_MAX = (1n << 63n) - 1n;

const MINOR_UNITS = /^(0|[1-9][0-9]*)$/;
const MAJOR_UNITS = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

export type AmountParseError =
  'amount_malformed' | 'amount_must_be_positive' | 'amount_too_precise' | 'amount_exceeds_maximum';

/**
 * Parses an amount as it travels in the API:
 * - `minor: true`: an integer string in minor units ("123456" = 1,234.56 CNY);
 * - otherwise a decimal string in major units ("1234.56"), with no more decimals than the
 *   currency has. Parsing is exact (decimal.js); nothing is rounded: too many decimals is an error.
 */
export function parseAmount(
  text: string,
  currency: Currency,
  minor: boolean,
): { ok: true; value: bigint } | { ok: false; error: AmountParseError } {
  if (typeof text !== 'string' || text.length === 0 || text.length > 40) {
    return { ok: false, error: 'amount_malformed' };
  }
  let value: bigint;
  if (minor) {
    if (!MINOR_UNITS.test(text)) return { ok: false, error: 'amount_malformed' };
    value = BigInt(text);
  } else {
    if (!MAJOR_UNITS.test(text)) return { ok: false, error: 'amount_malformed' };
    const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
    if (decimals > currency.exponent) return { ok: false, error: 'amount_too_precise' };
    // Exact: the value has at most `exponent` decimals, so the scaled value is an integer.
    value = BigInt(new Decimal(text).times(new Decimal(10).pow(currency.exponent)).toFixed(0));
  }
  if (value <= 0n) return { ok: false, error: 'amount_must_be_positive' };
  if (value > AMOUNT_MAX) return { ok: false, error: 'amount_exceeds_maximum' };
  return { ok: true, value };
}

/** Formats minor units as a decimal string in major units: 123456n, CNY → "1234.56". */
export function formatMajor(minorUnits: bigint, currency: Currency): string {
  const negative = minorUnits < 0n;
  const digits = (negative ? -minorUnits : minorUnits).toString();
  if (currency.exponent === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(currency.exponent + 1, '0');
  const whole = padded.slice(0, padded.length - currency.exponent);
  const fraction = padded.slice(padded.length - currency.exponent);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
