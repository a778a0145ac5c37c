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
  const { payer, payee } = instruction;
  return {
    parties: distinctParties(payer.bank, payee.bank, providers),
    jurisdictions: jurisdictionsOf(instruction),
  };
}

/**
 * The payer's and payee's jurisdictions, distinct (always two for a cross-border payment).
 *
 * Built as literals of their final length, not grown by `push`: a `push` onto a one-element
 * literal reallocates its backing store for 17 elements, and partiesOf did that twice per call
 * (it allocated ~1 KB per simulated payment, of two or three names each).
 */
export function jurisdictionsOf(instruction: PaymentInstruction): string[] {
  const payer = instruction.payer.jurisdiction;
  const payee = instruction.payee.jurisdiction;
  return payee !== payer ? [payer, payee] : [payer];
}

/** Distinct, in order of first appearance (as a Set would keep them): a handful of names. */
function distinctParties(payer: string, payee: string, providers: readonly string[]): string[] {
  let count = payee !== payer ? 2 : 1;
  for (let i = 0; i < providers.length; i++) if (isNew(providers, i, payer, payee)) count++;
  const parties = new Array<string>(count);
  parties[0] = payer;
  let n = 1;
  if (payee !== payer) parties[n++] = payee;
  for (let i = 0; i < providers.length; i++)
    if (isNew(providers, i, payer, payee)) parties[n++] = providers[i]!;
  return parties;
}

/** Whether providers[i] is neither end nor an earlier provider. */
function isNew(providers: readonly string[], i: number, payer: string, payee: string): boolean {
  const provider = providers[i];
  if (provider === payer || provider === payee) return false;
  for (let j = 0; j < i; j++) if (providers[j] === provider) return false;
  return true;
}
