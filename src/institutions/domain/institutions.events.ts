import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Institution, InstitutionKey, InstitutionRole, Jurisdiction } from './institution.js';

/** Events of the institutions module; each in the stream of the institution it concerns. */
export type JurisdictionEstablished = DomainEvent<
  'JurisdictionEstablished',
  { readonly jurisdiction: Jurisdiction }
>;
export type InstitutionRegistered = DomainEvent<
  'InstitutionRegistered',
  { readonly institution: Institution; readonly registeredBy: string }
>;
export type InstitutionKeyRotated = DomainEvent<
  'InstitutionKeyRotated',
  {
    readonly institutionId: string;
    readonly key: InstitutionKey;
    readonly previousKeyId: string;
    readonly rotatedBy: string;
  }
>;
export type InstitutionRoleChanged = DomainEvent<
  'InstitutionRoleChanged',
  {
    readonly institutionId: string;
    readonly role: InstitutionRole;
    readonly granted: boolean;
    readonly changedBy: string;
  }
>;

export type InstitutionsEvent =
  JurisdictionEstablished | InstitutionRegistered | InstitutionKeyRotated | InstitutionRoleChanged;

export const INSTITUTIONS_EVENT_TYPES = [
  'JurisdictionEstablished',
  'InstitutionRegistered',
  'InstitutionKeyRotated',
  'InstitutionRoleChanged',
] as const;

export function institutionStreamId(id: string): string {
  return `institution-${id}`;
}
