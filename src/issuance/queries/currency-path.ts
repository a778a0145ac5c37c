import { ProblemException } from '../../platform/http/problem.js';
import { findCurrency, type Currency } from '../../ledger/domain/currency.js';

/** The currency a `/v1/currencies/{code}/…` path names. */
export function currencyOfPath(code: string): Currency {
  const currency = findCurrency(code);
  if (currency === undefined) {
    throw ProblemException.notFound('currency_unknown', `${code} is not a currency the ledger knows.`);
  }
  return currency;
}
