import { BodyReader } from '../../../platform/http/body-reader.js';
import type { Caller } from '../../../platform/auth/caller.js';
import type { InstitutionsState } from '../../../institutions/domain/institutions.state.js';
import type { IssuanceKind } from '../../domain/issuance.js';
import { readAmount, readBank, readCurrency, readKind, readReference } from '../request-fields.js';

export interface IssueDirectlyRequest {
  readonly bank: string;
  readonly kind: IssuanceKind;
  readonly currency: string | null;
  readonly amount: bigint;
  readonly reference: string | null;
}

/** Strict parse of POST /v1/issuance: every problem at once. */
export function parseIssueDirectly(
  body: unknown,
  institutions: InstitutionsState,
  caller: Caller,
): IssueDirectlyRequest {
  const r = new BodyReader();
  const o = r.object(body, '', ['bank', 'kind', 'amount', 'amountMinor', 'currency', 'reference']);
  if (o === null) r.throwIfInvalid();
  const bank = readBank(r, o!.bank);
  const kind = readKind(r, o!.kind);
  const { named, currency } = readCurrency(r, o!.currency, institutions, caller);
  const amount = currency === null ? null : readAmount(r, o!, currency);
  const reference = readReference(r, o!.reference);
  r.throwIfInvalid();
  return { bank: bank!, kind: kind!, currency: named, amount: amount!, reference };
}
