import { amountView, type AmountView } from '../ledger/read-model/ledger.views.js';
import type { CurrencySupply, IssuanceRequest, SignatureRecord } from './domain/issuance.js';

/**
 * The JSON the API shows. Deciders reply with these views directly: a reply is stored with its
 * Idempotency-Key as JSON and replayed from there, so it must hold no bigint.
 */
export interface IssuanceRequestView extends AmountView {
  readonly id: string;
  readonly kind: IssuanceRequest['kind'];
  readonly status: IssuanceRequest['status'];
  readonly bank: string;
  readonly centralBank: string;
  readonly jurisdiction: string;
  readonly currency: string;
  readonly reference: string | null;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly requestSignature: SignatureRecord | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionSignature: SignatureRecord | null;
  readonly declineReason: string | null;
  readonly transferIds: readonly string[];
}

export function issuanceRequestView(r: IssuanceRequest): IssuanceRequestView {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    bank: r.bankId,
    centralBank: r.centralBankId,
    jurisdiction: r.jurisdiction,
    currency: r.currency,
    ...amountView(r.amount, r.currency),
    reference: r.reference,
    requestedBy: r.requestedBy,
    requestedAt: isoTime(r.requestedAt),
    requestSignature: r.requestSignature,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt === null ? null : isoTime(r.decidedAt),
    decisionSignature: r.decisionSignature,
    declineReason: r.declineReason,
    transferIds: [...r.transferIds],
  };
}

export interface ReserveCreditView extends AmountView {
  readonly id: string;
  readonly bank: string;
  readonly centralBank: string;
  readonly currency: string;
  readonly transferId: string;
  readonly creditedBy: string;
  readonly creditedAt: string;
}

export interface SupplyCapView {
  readonly currency: string;
  readonly centralBank: string;
  readonly cap: AmountView | null;
  readonly outstanding: AmountView;
  readonly changed: boolean;
}

export function supplyCapView(supply: CurrencySupply, changed: boolean): SupplyCapView {
  return {
    currency: supply.currency,
    centralBank: supply.centralBankId,
    cap: supply.cap === null ? null : amountView(supply.cap, supply.currency),
    outstanding: amountView(supply.issued - supply.redeemed, supply.currency),
    changed,
  };
}

/** Service time (ns) as an RFC 3339 timestamp, millisecond precision. */
export function isoTime(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}
