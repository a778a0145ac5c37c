/**
 * Who takes part in the platform. A jurisdiction has one central bank and one currency; commercial
 * banks and regulators belong to one jurisdiction; the operator runs the platform and belongs to
 * none. A commercial bank may also hold the liquidity-provider role (it quotes FX and holds the
 * currencies of the corridors it serves).
 */
export const INSTITUTION_KINDS = ['operator', 'central_bank', 'commercial_bank', 'regulator'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const INSTITUTION_ROLES = ['liquidity_provider'] as const;
export type InstitutionRole = (typeof INSTITUTION_ROLES)[number];

export interface Jurisdiction {
  /** ISO 3166-1 alpha-2, e.g. CN. */
  readonly code: string;
  readonly name: string;
  /** ISO 4217 code of the CBDC its central bank issues. */
  readonly currency: string;
  readonly centralBankId: string;
  /** IANA time zone: daily and annual limit windows, corridor opening hours. */
  readonly timeZone: string;
}

export interface InstitutionKey {
  /** What a request's `keyid` names; unique across the platform. */
  readonly keyId: string;
  /** Raw 32-byte Ed25519 public key, base64url. */
  readonly publicKey: string;
  /** Position-independent service time (ns) at which it became valid. */
  readonly activeFrom: bigint;
}

export interface Institution {
  /** Upper-case code, e.g. PBOC or a BIC-like JADECNSH. */
  readonly id: string;
  readonly kind: InstitutionKind;
  readonly name: string;
  /** Null for the operator only. */
  readonly jurisdiction: string | null;
  readonly roles: readonly InstitutionRole[];
  /** The key requests must be signed with now. Rotation replaces it. */
  readonly key: InstitutionKey;
  readonly registeredAt: bigint;
}

export const INSTITUTION_ID = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
export const JURISDICTION_CODE = /^[A-Z]{2}$/;
