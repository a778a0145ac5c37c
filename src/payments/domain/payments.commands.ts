import type { Id } from '../../ledger/domain/id.js';

export interface SubmitPayment {
  readonly type: 'SubmitPayment';
  readonly actor: string;
  /** Chosen at the edge (a fresh UUID), so that deciding stays pure. */
  readonly paymentId: Id;
  readonly payer: { readonly bank: string; readonly wallet: string | null; readonly name: string | null };
  readonly payee: { readonly bank: string; readonly wallet: string | null; readonly name: string | null };
  readonly amountMinor: bigint;
  /** The currency the amount is in: the payer's (source fixed) or the payee's (target fixed). */
  readonly currency: string;
  readonly quoteId: string | null;
  readonly purpose: string;
  readonly remittanceInfo: string | null;
  readonly priority: number;
  readonly expiresInSeconds: number;
  readonly now: bigint;
}

/** The payer cancels a payment that is still queued. */
export interface CancelPayment {
  readonly type: 'CancelPayment';
  readonly actor: string;
  readonly paymentId: Id;
  readonly reason: string;
  readonly now: bigint;
}

/**
 * A settlement cycle over the queue, issued by a timer: expire what is due, settle in priority
 * order what now can, then (with liquidity saving on) settle net sets of what cannot alone.
 */
export interface RunSettlementCycle {
  readonly type: 'RunSettlementCycle';
  readonly liquiditySaving: boolean;
  readonly now: bigint;
}

export type PaymentsCommand = SubmitPayment | CancelPayment | RunSettlementCycle;
export const PAYMENTS_COMMAND_TYPES = ['SubmitPayment', 'CancelPayment', 'RunSettlementCycle'] as const;
