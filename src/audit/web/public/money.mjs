/**
 * Money as the service writes it: integers in minor units, as decimal strings. Shown in major
 * units with the currency's decimals by string arithmetic on BigInt, never through a float.
 */

/** Decimals per currency: the same table as src/ledger/domain/currency.ts (a test compares them). */
export const EXPONENTS = Object.freeze({
  CNY: 2,
  HKD: 2,
  THB: 2,
  AED: 2,
  SAR: 2,
  USD: 2,
  EUR: 2,
  SGD: 2,
  MYR: 2,
  IDR: 2,
  PKR: 2,
  KZT: 2,
  RUB: 2,
  TRY: 2,
  EGP: 2,
  QAR: 2,
  JPY: 0,
  KRW: 0,
  VND: 0,
  KWD: 3,
  BHD: 3,
  OMR: 3,
});

/** `123456` CNY → `1,234.56`; negative amounts keep their sign. Throws on anything not an integer. */
export function formatMinor(amountMinor, currency) {
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new RangeError(`unknown currency ${currency}`);
  const value = BigInt(amountMinor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = exponent === 0 ? '' : `.${digits.slice(digits.length - exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** `formatMinor` with the currency code after it. */
export function money(amountMinor, currency) {
  return `${formatMinor(amountMinor, currency)} ${currency}`;
}
