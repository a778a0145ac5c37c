import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { InstitutionsEvent } from './institutions.events.js';

/** A registry event concerns the institution (and so its jurisdiction) it is about. */
export function institutionsScope(event: InstitutionsEvent): EventScope {
  switch (event.type) {
    case 'JurisdictionEstablished':
      return {
        jurisdictions: [event.data.jurisdiction.code],
        institutions: [event.data.jurisdiction.centralBankId],
      };
    case 'InstitutionRegistered':
      return {
        institutions: [event.data.institution.id],
        jurisdictions: [event.data.institution.jurisdiction],
      };
    case 'InstitutionKeyRotated':
    case 'InstitutionRoleChanged':
      return { institutions: [event.data.institutionId] };
  }
}
