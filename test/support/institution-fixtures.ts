import { publicKeyToBase64url, generateKeyPair } from '../../src/platform/signatures/index.js';
import { FOUNDING_CENTRAL_BANKS } from '../../src/institutions/domain/founding-jurisdictions.js';
import type { RegisterInstitution } from '../../src/institutions/domain/institutions.commands.js';
import type { InstitutionKind, InstitutionRole } from '../../src/institutions/domain/institution.js';

export const NOW = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z

/** A fixed public key per name, so specs read the same every run. */
const KEYS = new Map<string, string>();
export function publicKeyOf(name: string): string {
  let key = KEYS.get(name);
  if (key === undefined) {
    key = publicKeyToBase64url(generateKeyPair().publicKey);
    KEYS.set(name, key);
  }
  return key;
}

export function register(
  actor: string,
  id: string,
  kind: InstitutionKind,
  jurisdiction: string | null,
  options: { roles?: InstitutionRole[]; now?: bigint } = {},
): RegisterInstitution {
  const founding = FOUNDING_CENTRAL_BANKS.find((cb) => cb.jurisdiction.code === jurisdiction);
  return {
    type: 'RegisterInstitution',
    actor,
    id,
    kind,
    name: `${id} (test)`,
    jurisdiction,
    establishes:
      kind === 'central_bank'
        ? founding
          ? {
              name: founding.jurisdiction.name,
              currency: founding.jurisdiction.currency,
              timeZone: founding.jurisdiction.timeZone,
            }
          : { name: `Jurisdiction ${jurisdiction}`, currency: 'JPY', timeZone: 'Asia/Tokyo' }
        : null,
    roles: options.roles ?? [],
    keyId: `${id}-key-1`,
    publicKey: publicKeyOf(id),
    now: options.now ?? NOW,
  };
}

/** The operator, PBOC (CN/CNY) and HKMA (HK/HKD), two banks in CN and one in HK, a CN regulator. */
export function smallNetwork(): RegisterInstitution[] {
  return [
    register('system', 'OPERATOR', 'operator', null),
    register('OPERATOR', 'PBOC', 'central_bank', 'CN'),
    register('OPERATOR', 'HKMA', 'central_bank', 'HK'),
    register('PBOC', 'BANKCN1', 'commercial_bank', 'CN', { roles: ['liquidity_provider'] }),
    register('PBOC', 'BANKCN2', 'commercial_bank', 'CN'),
    register('HKMA', 'BANKHK1', 'commercial_bank', 'HK'),
    register('PBOC', 'REG-CN', 'regulator', 'CN'),
  ];
}
