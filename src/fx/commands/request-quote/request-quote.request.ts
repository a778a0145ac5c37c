import { BodyReader } from '../../../platform/http/body-reader.js';
import { findCurrency } from '../../../ledger/domain/currency.js';
import { readAmount } from '../../../ledger/commands/read-amount.js';
import { INSTITUTION_ID } from '../../../institutions/domain/institution.js';
import { CURRENCY_CODE } from '../publish-rate-sheet/publish-rate-sheet.request.js';

export interface RequestQuoteRequest {
  readonly from: string;
  readonly to: string;
  readonly fixed: 'source' | 'target';
  readonly amount: bigint;
  readonly provider: string | null;
}

/**
 * POST /v1/fx/quotes: `{ from, to, fixed?: "source" | "target", amount | amountMinor, provider? }`.
 * The amount is in `from` when the source is fixed (default), in `to` when the target is.
 */
export function parseRequestQuote(body: unknown): RequestQuoteRequest {
  const r = new BodyReader();
  const o = r.object(body, '', ['from', 'to', 'fixed', 'amount', 'amountMinor', 'provider']);
  if (o === null) r.throwIfInvalid();
  const codes: Record<'from' | 'to', string | null> = { from: null, to: null };
  for (const field of ['from', 'to'] as const) {
    const code = r.string(o![field], `/${field}`);
    if (code !== null && (!CURRENCY_CODE.test(code) || findCurrency(code) === undefined))
      r.fail(`/${field}`, 'unknown_currency', `is not a currency this ledger knows: ${JSON.stringify(code)}`);
    else codes[field] = code;
  }
  const fixed = o!.fixed === undefined ? 'source' : r.string(o!.fixed, '/fixed');
  if (fixed !== null && fixed !== 'source' && fixed !== 'target')
    r.fail('/fixed', 'fixed_invalid', 'must be "source" or "target"');
  const amountCurrency = fixed === 'target' ? codes.to : codes.from;
  const amount = amountCurrency === null ? null : readAmount(r, o!, findCurrency(amountCurrency)!);
  const provider = o!.provider === undefined ? null : r.string(o!.provider, '/provider');
  if (provider !== null && !INSTITUTION_ID.test(provider))
    r.fail('/provider', 'institution_id_invalid', "must be 2-32 upper-case letters, digits or '-'");
  r.throwIfInvalid();
  return { from: codes.from!, to: codes.to!, fixed: fixed as 'source' | 'target', amount: amount!, provider };
}
