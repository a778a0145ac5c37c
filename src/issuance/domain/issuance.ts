import type { Id } from '../../ledger/domain/id.js';

/**
 * Issuance turns a commercial bank's reserves at its central bank into CBDC in its wallet;
 * redemption turns CBDC back into reserves. A bank asks, its central bank approves (or the
 * central bank does both in one step); the ledger transfers carry the economics, the issuance
 * events carry who asked, who approved and under which signatures.
 */
export type IssuanceKind = 'issue' | 'redeem';
export const ISSUANCE_KINDS: readonly IssuanceKind[] = ['issue', 'redeem'];

export type IssuanceStatus = 'open' | 'executed' | 'declined';

/** The RFC 9421 signature that authorised a step; null for the service's own bootstrap. */
export interface SignatureRecord {
  readonly keyId: string;
  /** The request's Signature-Input and Signature field values, verbatim. */
  readonly input: string;
  readonly value: string;
}

export interface IssuanceRequest {
  /** UUID chosen by the service when the request arrived. */
  readonly id: Id;
  readonly kind: IssuanceKind;
  readonly bankId: string;
  readonly centralBankId: string;
  readonly jurisdiction: string;
  readonly currency: string;
  /** Minor units, > 0. */
  readonly amount: bigint;
  /** The bank's own reference (free text), if it gave one. */
  readonly reference: string | null;
  readonly status: IssuanceStatus;
  readonly requestedBy: string;
  readonly requestedAt: bigint;
  readonly requestSignature: SignatureRecord | null;
  readonly decidedBy: string | null;
  readonly decidedAt: bigint | null;
  readonly decisionSignature: SignatureRecord | null;
  readonly declineReason: string | null;
  /** The ledger transfers that executed it (empty unless executed). */
  readonly transferIds: readonly Id[];
}

/** What a central bank has put into circulation in its currency, and its policy on it. */
export interface CurrencySupply {
  readonly currency: string;
  readonly centralBankId: string;
  /** Sum of executed issuances, minor units. */
  readonly issued: bigint;
  /** Sum of executed redemptions, minor units. */
  readonly redeemed: bigint;
  /** Sum of reserve credits (RTGS funding simulated), minor units. */
  readonly reservesCredited: bigint;
  /** Largest outstanding (issued − redeemed) the central bank allows; null = no cap. */
  readonly cap: bigint | null;
}

export function outstanding(supply: CurrencySupply | undefined): bigint {
  return supply === undefined ? 0n : supply.issued - supply.redeemed;
}

export function emptySupply(currency: string, centralBankId: string): CurrencySupply {
  return { currency, centralBankId, issued: 0n, redeemed: 0n, reservesCredited: 0n, cap: null };
}

export const REFERENCE_MAX = 140;
export const REASON_MAX = 500;
