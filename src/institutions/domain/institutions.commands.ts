import type { InstitutionKind, InstitutionRole } from './institution.js';

/**
 * Commands of the institutions module. `actor` is the id of the institution whose signature
 * authorised the command ('system' only for the operator's own registration at bootstrap);
 * `now` is stamped by the sequencer.
 */
export interface RegisterInstitution {
  readonly type: 'RegisterInstitution';
  readonly actor: string;
  readonly id: string;
  readonly kind: InstitutionKind;
  readonly name: string;
  /** Commercial banks and regulators: their jurisdiction. Central banks: the one they establish. */
  readonly jurisdiction: string | null;
  /** Central banks only: the jurisdiction they establish. */
  readonly establishes: {
    readonly name: string;
    readonly currency: string;
    readonly timeZone: string;
  } | null;
  readonly roles: readonly InstitutionRole[];
  readonly keyId: string;
  /** Raw Ed25519 public key, base64url (validated at the edge). */
  readonly publicKey: string;
  readonly now: bigint;
}

export interface RotateInstitutionKey {
  readonly type: 'RotateInstitutionKey';
  readonly actor: string;
  readonly institutionId: string;
  /** Null: `<id>-key-<n>`, the next number after the current key's. */
  readonly keyId: string | null;
  readonly publicKey: string;
  readonly now: bigint;
}

export interface SetInstitutionRole {
  readonly type: 'SetInstitutionRole';
  readonly actor: string;
  readonly institutionId: string;
  readonly role: InstitutionRole;
  readonly granted: boolean;
  readonly now: bigint;
}

export type InstitutionsCommand = RegisterInstitution | RotateInstitutionKey | SetInstitutionRole;
export const INSTITUTIONS_COMMAND_TYPES = [
  'RegisterInstitution',
  'RotateInstitutionKey',
  'SetInstitutionRole',
] as const;
