/**
 * ISO 4217 currencies the ledger knows, with their minor-unit exponents.
 * One ledger per currency: an account's currency is its ledger.
 * Exponents matter: JPY/KRW/VND have 0 decimals, KWD/BHD/OMR have 3.
 */
export interface Currency {
  readonly code: string;
  readonly exponent: number;
  readonly name: string;
}

const TABLE: readonly Currency[] = [
  { code: 'CNY', exponent: 2, name: 'Chinese yuan (e-CNY)' },
  { code: 'HKD', exponent: 2, name: 'Hong Kong dollar' },
  { code: 'THB', exponent: 2, name: 'Thai baht' },
  { code: 'AED', exponent: 2, name: 'UAE dirham' },
  { code: 'SAR', exponent: 2, name: 'Saudi riyal' },
  { code: 'USD', exponent: 2, name: 'US dollar' },
  { code: 'EUR', exponent: 2, name: 'Euro' },
  { code: 'SGD', exponent: 2, name: 'Singapore dollar' },
  { code: 'MYR', exponent: 2, name: 'Malaysian ringgit' },
  { code: 'IDR', exponent: 2, name: 'Indonesian rupiah' },
  { code: 'PKR', exponent: 2, name: 'Pakistani rupee' },
  { code: 'KZT', exponent: 2, name: 'Kazakhstani tenge' },
  { code: 'RUB', exponent: 2, name: 'Russian ruble' },
  { code: 'TRY', exponent: 2, name: 'Turkish lira' },
  { code: 'EGP', exponent: 2, name: 'Egyptian pound' },
  { code: 'QAR', exponent: 2, name: 'Qatari riyal' },
  { code: 'JPY', exponent: 0, name: 'Japanese yen' },
  { code: 'KRW', exponent: 0, name: 'South Korean won' },
  { code: 'VND', exponent: 0, name: 'Vietnamese dong' },
  { code: 'KWD', exponent: 3, name: 'Kuwaiti dinar' },
  { code: 'BHD', exponent: 3, name: 'Bahraini dinar' },
  { code: 'OMR', exponent: 3, name: 'Omani rial' },
];

const BY_CODE = new Map(TABLE.map((c) => [c.code, c]));

export function findCurrency(code: string): Currency | undefined {
  return BY_CODE.get(code);
}

export function knownCurrencies(): readonly Currency[] {
  return TABLE;
}
