/**
 * The platform's founding members (the multi-CBDC pilots' central banks). A user adds any other
 * jurisdiction by registering its central bank; nothing in the code depends on this list.
 */
export interface FoundingCentralBank {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: {
    readonly code: string;
    readonly name: string;
    readonly currency: string;
    readonly timeZone: string;
  };
}

export const FOUNDING_CENTRAL_BANKS: readonly FoundingCentralBank[] = [
  {
    id: 'PBOC',
    name: "People's Bank of China",
    jurisdiction: { code: 'CN', name: 'China (mainland)', currency: 'CNY', timeZone: 'Asia/Shanghai' },
  },
  {
    id: 'HKMA',
    name: 'Hong Kong Monetary Authority',
    jurisdiction: { code: 'HK', name: 'Hong Kong SAR', currency: 'HKD', timeZone: 'Asia/Hong_Kong' },
  },
  {
    id: 'BOT',
    name: 'Bank of Thailand',
    jurisdiction: { code: 'TH', name: 'Thailand', currency: 'THB', timeZone: 'Asia/Bangkok' },
  },
  {
    id: 'CBUAE',
    name: 'Central Bank of the UAE',
    jurisdiction: { code: 'AE', name: 'United Arab Emirates', currency: 'AED', timeZone: 'Asia/Dubai' },
  },
  {
    id: 'SAMA',
    name: 'Saudi Central Bank',
    jurisdiction: { code: 'SA', name: 'Saudi Arabia', currency: 'SAR', timeZone: 'Asia/Riyadh' },
  },
];
