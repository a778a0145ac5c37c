import type { Id } from '../../ledger/domain/id.js';

/**
 * A cross-border payment: a bank in one jurisdiction pays a bank (or a customer wallet there) in
 * another. The payer pays in its currency, the payee receives its own; liquidity providers sell
 * the payee's currency for the payer's (directly, or through a bridge currency), and all legs
 * settle together or not at all (payment-versus-payment).
 */
export interface PaymentParty {
  readonly bank: string;
  readonly jurisdiction: string;
  readonly currency: string;
  /** A customer wallet the bank operates, or null for the bank's own wallet. */
  readonly wallet: string | null;
  /** The customer's name, for sanctions screening (null for the bank itself). */
  readonly name: string | null;
}

export interface PaymentInstruction {
  readonly id: Id;
  readonly payer: PaymentParty;
  readonly payee: PaymentParty;
  /** `source`: the payer sends `amountMinor` of its currency; `target`: the payee receives it in its own. */
  readonly fixed: 'source' | 'target';
  readonly amountMinor: bigint;
  /** A quote the payer obtained, or null for the best route at settlement. */
  readonly quoteId: string | null;
  readonly purpose: string;
  readonly remittanceInfo: string | null;
  /** 0..9; a higher priority settles first from the queue. */
  readonly priority: number;
  readonly receivedAt: bigint;
  /** A queued payment not settled by then expires. */
  readonly expiresAt: bigint;
}

export type PaymentStatus = 'queued' | 'settled' | 'rejected' | 'expired' | 'cancelled';

/** How a payment settled: on its own, or net within a set found by the liquidity-saving mechanism. */
export type SettledBy = 'gross' | 'bilateral_offset' | 'cycle' | 'multilateral_offset';

/** One movement of a settled payment, as the ledger recorded it. */
export interface SettledLeg {
  readonly transferId: Id | null;
  readonly kind: 'payer_to_provider' | 'provider_to_provider' | 'provider_to_payee' | 'fee';
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly amountMinor: bigint;
}

/** Who a payment concerns: kept on every payment event, for notifications and scoped audit. */
export function partiesOf(
  instruction: PaymentInstruction,
  providers: readonly string[] = [],
): { parties: string[]; jurisdictions: string[] } {
  // Distinct, in order of first appearance (as a Set would keep them): a handful of names.
  const parties = [instruction.payer.bank];
  if (instruction.payee.bank !== instruction.payer.bank) parties.push(instruction.payee.bank);
  for (const provider of providers) if (!parties.includes(provider)) parties.push(provider);
  const jurisdictions = [instruction.payer.jurisdiction];
  if (instruction.payee.jurisdiction !== instruction.payer.jurisdiction)
    jurisdictions.push(instruction.payee.jurisdiction);
  return { parties, jurisdictions };
}
