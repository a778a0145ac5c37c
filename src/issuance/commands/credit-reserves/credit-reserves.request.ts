import { BodyReader } from '../../../platform/http/body-reader.js';
import type { Caller } from '../../../platform/auth/caller.js';
import type { InstitutionsState } from '../../../institutions/domain/institutions.state.js';
import { readAmount, readBank, readCurrency } from '../request-fields.js';

export interface CreditReservesRequest {
  readonly bank: string;
  readonly currency: string | null;
  readonly amount: bigint;
}

/** Strict parse of POST /v1/issuance/reserve-credits: every problem at once. */
export function parseCreditReserves(
  body: unknown,
  institutions: InstitutionsState,
  caller: Caller,
): CreditReservesRequest {
  const r = new BodyReader();
  const o = r.object(body, '', ['bank', 'amount', 'amountMinor', 'currency']);
  if (o === null) r.throwIfInvalid();
  const bank = readBank(r, o!.bank);
  const { named, currency } = readCurrency(r, o!.currency, institutions, caller);
  const amount = currency === null ? null : readAmount(r, o!, currency);
  r.throwIfInvalid();
  return { bank: bank!, currency: named, amount: amount! };
}
