import { BodyReader } from '../../../platform/http/body-reader.js';
import { findCurrency } from '../../../ledger/domain/currency.js';
import { readAmount } from '../../../ledger/commands/read-amount.js';
import { parseRate } from '../../domain/conversion.js';

export interface PublishRateSheetRequest {
  readonly rate: string;
  readonly spreadBps: number;
  readonly maxAmount: bigint;
  readonly validForSeconds: number;
}

export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** A sheet stands at most a year; a provider replaces it when its rate moves. */
export const MAX_VALIDITY_SECONDS = 366 * 86_400;

/** The pair from the path: two currencies the ledger knows. */
export function readPair(r: BodyReader, from: string, to: string): { from: string; to: string } {
  for (const [name, code] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!CURRENCY_CODE.test(code) || findCurrency(code) === undefined)
      r.fail(`{${name}}`, 'unknown_currency', `is not a currency this ledger knows: ${JSON.stringify(code)}`);
  }
  return { from, to };
}

/** PUT /v1/fx/rate-sheets/{from}/{to}: `{ rate, spreadBps, maxAmount | maxAmountMinor, validForSeconds }`. */
export function parsePublishRateSheet(body: unknown, from: string, to: string): PublishRateSheetRequest {
  const r = new BodyReader();
  readPair(r, from, to);
  const o = r.object(body, '', ['rate', 'spreadBps', 'maxAmount', 'maxAmountMinor', 'validForSeconds']);
  if (o === null) r.throwIfInvalid();
  const rate = r.string(o!.rate, '/rate');
  if (rate !== null && parseRate(rate) === null)
    r.fail(
      '/rate',
      'rate_invalid',
      'must be a positive decimal string with at most 12 digits before and 12 after the point, e.g. "0.5123"',
    );
  const spreadBps = r.integer(o!.spreadBps ?? 0, '/spreadBps', 0, 9_999);
  const toCurrency = findCurrency(to);
  const maxAmount = toCurrency === undefined ? null : readAmount(r, o!, toCurrency, { name: 'maxAmount' });
  const validForSeconds = r.integer(o!.validForSeconds ?? 3_600, '/validForSeconds', 1, MAX_VALIDITY_SECONDS);
  r.throwIfInvalid();
  return { rate: rate!, spreadBps: spreadBps!, maxAmount: maxAmount!, validForSeconds: validForSeconds! };
}
