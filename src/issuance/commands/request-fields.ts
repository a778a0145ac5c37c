import { BodyReader } from '../../platform/http/body-reader.js';
import { findCurrency, type Currency } from '../../ledger/domain/currency.js';
export { readAmount } from '../../ledger/commands/read-amount.js';
import { INSTITUTION_ID } from '../../institutions/domain/institution.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import type { Caller } from '../../platform/auth/caller.js';
import { ISSUANCE_KINDS, REASON_MAX, REFERENCE_MAX, type IssuanceKind } from '../domain/issuance.js';

/** Field readers shared by the issuance request parsers. */

/**
 * The currency a request is about: the one it names, or else the caller's home currency (the
 * only one it may act on; naming another is the decider's 403). Unknown codes are bad input.
 */
export function readCurrency(
  r: BodyReader,
  value: unknown,
  institutions: InstitutionsState,
  caller: Caller,
): { named: string | null; currency: Currency | null } {
  if (value === undefined) {
    const registered = institutions.institutions.get(caller.institution.id);
    const home = registered === undefined ? null : institutions.homeCurrency(registered);
    if (home === null) {
      r.fail('/currency', 'currency_required', 'is required: the caller has no home currency');
      return { named: null, currency: null };
    }
    return { named: null, currency: findCurrency(home)! };
  }
  const code = r.string(value, '/currency');
  if (code === null) return { named: null, currency: null };
  const currency = findCurrency(code);
  if (currency === undefined) {
    r.fail('/currency', 'unknown_currency', `is not a currency this ledger knows: ${JSON.stringify(code)}`);
    return { named: null, currency: null };
  }
  return { named: code, currency };
}

export function readKind(r: BodyReader, value: unknown): IssuanceKind | null {
  const kind = r.string(value, '/kind');
  if (kind !== null && !(ISSUANCE_KINDS as readonly string[]).includes(kind)) {
    r.fail('/kind', 'kind_invalid', `must be one of ${ISSUANCE_KINDS.join(', ')}`);
    return null;
  }
  return kind as IssuanceKind | null;
}

export function readBank(r: BodyReader, value: unknown): string | null {
  const bank = r.string(value, '/bank');
  if (bank !== null && !INSTITUTION_ID.test(bank)) {
    r.fail('/bank', 'institution_id_invalid', "must be 2-32 upper-case letters, digits or '-'");
    return null;
  }
  return bank;
}

export function readReference(r: BodyReader, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = r.string(value, '/reference');
  if (text !== null && (text.length === 0 || text.length > REFERENCE_MAX)) {
    r.fail('/reference', 'reference_invalid', `must be 1 to ${REFERENCE_MAX} characters`);
    return null;
  }
  return text;
}

export function readReason(r: BodyReader, value: unknown): string | null {
  const text = r.string(value, '/reason');
  if (text !== null && (text.trim().length === 0 || text.length > REASON_MAX)) {
    r.fail('/reason', 'reason_invalid', `must be 1 to ${REASON_MAX} characters`);
    return null;
  }
  return text;
}
