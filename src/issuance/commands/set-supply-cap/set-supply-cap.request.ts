import { BodyReader } from '../../../platform/http/body-reader.js';
import { parseAmount } from '../../../ledger/domain/amount.js';
import type { Currency } from '../../../ledger/domain/currency.js';
import { AMOUNT_MESSAGES } from '../../../ledger/commands/create-transfers/create-transfers.request.js';

/**
 * Strict parse of PUT /v1/currencies/{code}/supply-cap: `{ "cap": "1000000.00" }` (major units),
 * `{ "capMinor": "100000000" }`, or `{ "cap": null }` to remove the cap. A cap is positive.
 */
export function parseSupplyCap(body: unknown, currency: Currency): { cap: bigint | null } {
  const r = new BodyReader();
  const o = r.object(body, '', ['cap', 'capMinor']);
  if (o === null) r.throwIfInvalid();
  let cap: bigint | null = null;
  if (o!.cap !== undefined && o!.capMinor !== undefined) {
    r.fail('/cap', 'cap_ambiguous', 'and capMinor cannot both be given');
  } else if (o!.cap === undefined && o!.capMinor === undefined) {
    r.fail('/cap', 'cap_required', 'is required: a decimal string, or null to remove the cap');
  } else if (o!.cap !== null) {
    const minor = o!.capMinor !== undefined;
    const pointer = minor ? '/capMinor' : '/cap';
    const text = r.string(minor ? o!.capMinor : o!.cap, pointer);
    if (text !== null) {
      const parsed = parseAmount(text, currency, minor);
      if (parsed.ok) cap = parsed.value;
      else r.fail(pointer, parsed.error, AMOUNT_MESSAGES[parsed.error]!);
    }
  }
  r.throwIfInvalid();
  return { cap };
}
