import { isoFromNs } from '../platform/clock/clock.js';
import type { Institution, Jurisdiction } from './domain/institution.js';

/** An institution as the API shows it: public information only. */
export function institutionView(institution: Institution) {
  return {
    id: institution.id,
    kind: institution.kind,
    name: institution.name,
    jurisdiction: institution.jurisdiction,
    roles: institution.roles,
    key: {
      keyId: institution.key.keyId,
      publicKey: institution.key.publicKey,
      algorithm: 'ed25519',
      activeFrom: isoFromNs(institution.key.activeFrom),
    },
    registeredAt: isoFromNs(institution.registeredAt),
  };
}

export function jurisdictionView(jurisdiction: Jurisdiction) {
  return { ...jurisdiction };
}
