import { BodyReader } from '../../../platform/http/body-reader.js';
import { parseAmount } from '../../../ledger/domain/amount.js';
import type { Currency } from '../../../ledger/domain/currency.js';
import { AMOUNT_MESSAGES } from '../../../ledger/commands/create-transfers/create-transfers.request.js';
import type { TierLimits } from '../../domain/tier-limits.js';

const FIELDS = ['singlePayment', 'daily', 'balance', 'annual'] as const;

/**
 * `PUT /v1/currencies/{code}/wallet-tiers/{tier}`: every limit given, each a decimal string in the
 * currency's major unit or null for no cap (a PUT states the whole of the tier's limits).
 */
export function parseTierLimits(body: unknown, currency: Currency): TierLimits {
  const r = new BodyReader();
  const o = r.object(body, '', FIELDS);
  if (o === null) r.throwIfInvalid();
  const limits: Record<string, bigint | null> = {};
  for (const field of FIELDS) {
    const value = o![field];
    const pointer = `/${field}`;
    if (value === undefined) {
      r.fail(pointer, 'limit_required', 'is required: an amount such as "5000.00", or null for no cap');
    } else if (value === null) {
      limits[field] = null;
    } else {
      const text = r.string(value, pointer);
      if (text === null) continue;
      const parsed = parseAmount(text, currency, false);
      if (parsed.ok) limits[field] = parsed.value;
      else r.fail(pointer, parsed.error, AMOUNT_MESSAGES[parsed.error]!);
    }
  }
  r.throwIfInvalid();
  return limits as unknown as TierLimits;
}
