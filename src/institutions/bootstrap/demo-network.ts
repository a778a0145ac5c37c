import { FOUNDING_CENTRAL_BANKS } from '../domain/founding-jurisdictions.js';
import type { InstitutionKind, InstitutionRole } from '../domain/institution.js';

/**
 * The network `npm start` creates on an empty log (YB_DEMO=off to skip): the five founding
 * central banks, two fictional commercial banks in each jurisdiction (the first is a liquidity
 * provider), and a regulator per jurisdiction. Codes are BIC-like but invented.
 */
export interface DemoInstitution {
  readonly id: string;
  readonly kind: InstitutionKind;
  readonly name: string;
  readonly jurisdiction: string;
  readonly roles: readonly InstitutionRole[];
  readonly establishes?: { readonly name: string; readonly currency: string; readonly timeZone: string };
}

const BANKS: Record<string, ReadonlyArray<{ id: string; name: string }>> = {
  CN: [
    { id: 'JADECNSH', name: 'Jade River Bank' },
    { id: 'SILKCNBJ', name: 'Silk Road Commercial Bank' },
  ],
  HK: [
    { id: 'HARBHKHH', name: 'Harbour Trust Bank' },
    { id: 'VICTHKHX', name: 'Victoria Peak Bank' },
  ],
  TH: [
    { id: 'SIAMTHBK', name: 'Siam Lotus Bank' },
    { id: 'CHAOTHBX', name: 'Chao Phraya Bank' },
  ],
  AE: [
    { id: 'DUNEAEAD', name: 'Dune Capital Bank' },
    { id: 'FALCAEAX', name: 'Falcon National Bank' },
  ],
  SA: [
    { id: 'OASISARI', name: 'Oasis Bank' },
    { id: 'NAJDSAJE', name: 'Najd Commercial Bank' },
  ],
};

export const DEMO_NETWORK: readonly DemoInstitution[] = FOUNDING_CENTRAL_BANKS.flatMap((cb) => {
  const code = cb.jurisdiction.code;
  const { name, currency, timeZone } = cb.jurisdiction;
  return [
    {
      id: cb.id,
      kind: 'central_bank' as const,
      name: cb.name,
      jurisdiction: code,
      roles: [],
      establishes: { name, currency, timeZone },
    },
    ...(BANKS[code] ?? []).map((bank, index) => ({
      id: bank.id,
      kind: 'commercial_bank' as const,
      name: bank.name,
      jurisdiction: code,
      roles: index === 0 ? (['liquidity_provider'] as const) : [],
    })),
    {
      id: `REG-${code}`,
      kind: 'regulator' as const,
      name: `Financial regulator of ${name}`,
      jurisdiction: code,
      roles: [],
    },
  ];
});
