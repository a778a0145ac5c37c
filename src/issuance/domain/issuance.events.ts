import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Id } from '../../ledger/domain/id.js';
import type { IssuanceKind, SignatureRecord } from './issuance.js';

/**
 * Events of the issuance module, all in the stream of the currency's supply (`issuance-CNY`):
 * the supply cap is an invariant over every issuance of a currency, so the currency's supply is
 * the aggregate, and its history reads in order. Each event names who acted and under which
 * signature; the ledger's TransferCreated events of the same decision carry the amounts moved.
 */
export type ReservesCredited = DomainEvent<
  'ReservesCredited',
  {
    readonly creditId: Id;
    readonly centralBankId: string;
    readonly bankId: string;
    readonly currency: string;
    readonly amount: bigint;
    readonly transferId: Id;
    readonly creditedBy: string;
    readonly creditedAt: bigint;
    readonly signature: SignatureRecord | null;
  }
>;

export type IssuanceRequested = DomainEvent<
  'IssuanceRequested',
  {
    readonly request: {
      readonly id: Id;
      readonly kind: IssuanceKind;
      readonly bankId: string;
      readonly centralBankId: string;
      readonly jurisdiction: string;
      readonly currency: string;
      readonly amount: bigint;
      readonly reference: string | null;
    };
    readonly requestedBy: string;
    readonly requestedAt: bigint;
    readonly signature: SignatureRecord | null;
  }
>;

/** Shared by CbdcIssued and CbdcRedeemed: the request, both parties, both signatures, the legs. */
export interface IssuanceExecution {
  readonly requestId: Id;
  readonly bankId: string;
  readonly centralBankId: string;
  readonly currency: string;
  readonly amount: bigint;
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly approvedAt: bigint;
  readonly requestSignature: SignatureRecord | null;
  readonly approvalSignature: SignatureRecord | null;
  readonly transferIds: readonly Id[];
}

export type CbdcIssued = DomainEvent<'CbdcIssued', IssuanceExecution>;
export type CbdcRedeemed = DomainEvent<'CbdcRedeemed', IssuanceExecution>;

export type IssuanceDeclined = DomainEvent<
  'IssuanceDeclined',
  {
    readonly requestId: Id;
    readonly bankId: string;
    readonly currency: string;
    readonly requestedBy: string;
    readonly declinedBy: string;
    readonly declinedAt: bigint;
    readonly reason: string;
    readonly requestSignature: SignatureRecord | null;
    readonly declineSignature: SignatureRecord | null;
  }
>;

export type SupplyCapSet = DomainEvent<
  'SupplyCapSet',
  {
    readonly currency: string;
    readonly centralBankId: string;
    readonly cap: bigint | null;
    readonly previousCap: bigint | null;
    readonly setBy: string;
    readonly setAt: bigint;
    readonly signature: SignatureRecord | null;
  }
>;

export type IssuanceEvent =
  ReservesCredited | IssuanceRequested | CbdcIssued | CbdcRedeemed | IssuanceDeclined | SupplyCapSet;

export const ISSUANCE_EVENT_TYPES = [
  'ReservesCredited',
  'IssuanceRequested',
  'CbdcIssued',
  'CbdcRedeemed',
  'IssuanceDeclined',
  'SupplyCapSet',
] as const;

/** Fields that travel as decimal strings in the log and come back as bigints. */
export const ISSUANCE_BIGINT_FIELDS: ReadonlySet<string> = new Set([
  'amount',
  'cap',
  'previousCap',
  'creditedAt',
  'requestedAt',
  'approvedAt',
  'declinedAt',
  'setAt',
]);

export function issuanceStreamId(currency: string): string {
  return `issuance-${currency}`;
}
