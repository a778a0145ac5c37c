import { BodyReader } from '../../../platform/http/body-reader.js';
import type { Caller } from '../../../platform/auth/caller.js';
import type { InstitutionsState } from '../../../institutions/domain/institutions.state.js';
import type { IssuanceKind } from '../../domain/issuance.js';
import { readAmount, readCurrency, readKind, readReference } from '../request-fields.js';

export interface RequestIssuanceRequest {
  readonly kind: IssuanceKind;
  readonly currency: string | null;
  readonly amount: bigint;
  readonly reference: string | null;
}

/** Strict parse of POST /v1/issuance/requests: every problem at once. */
export function parseRequestIssuance(
  body: unknown,
  institutions: InstitutionsState,
  caller: Caller,
): RequestIssuanceRequest {
  const r = new BodyReader();
  const o = r.object(body, '', ['kind', 'amount', 'amountMinor', 'currency', 'reference']);
  if (o === null) r.throwIfInvalid();
  const kind = readKind(r, o!.kind);
  const { named, currency } = readCurrency(r, o!.currency, institutions, caller);
  const amount = currency === null ? null : readAmount(r, o!, currency);
  const reference = readReference(r, o!.reference);
  r.throwIfInvalid();
  return { kind: kind!, currency: named, amount: amount!, reference };
}
