import type { Rejection } from '../../platform/decider/decider.js';
import { forbiddenScope, notFound } from '../../institutions/domain/authorization.js';
import type { Wallet } from './wallet.js';

/** The caller as the access rules see it. */
export interface Actor {
  readonly id: string;
  readonly kind: string;
  readonly jurisdiction: string | null;
}

/** The commercial bank that holds (bank wallet) or operates (customer wallet) it. */
export function operates(actor: Actor, wallet: Wallet): boolean {
  return actor.kind === 'commercial_bank' && wallet.bankId === actor.id;
}

/** The central bank or a regulator of the jurisdiction: who may freeze there. */
export function oversees(actor: Actor, jurisdiction: string): boolean {
  return (actor.kind === 'central_bank' || actor.kind === 'regulator') && actor.jurisdiction === jurisdiction;
}

/** Who may see a wallet: its bank, its jurisdiction's central bank and regulators, the operator. */
export function mayRead(actor: Actor, wallet: Wallet): boolean {
  return actor.kind === 'operator' || operates(actor, wallet) || oversees(actor, wallet.jurisdiction);
}

/**
 * The refusal for a wallet the caller may not reach, whether or not it exists: the same code and
 * words both ways, so that nobody learns of another bank's customer wallets by probing ids. Only
 * the operator, who may see every wallet, is told plainly that one does not exist.
 */
export function walletOutOfReach(actor: Actor, walletId: string): Rejection {
  return actor.kind === 'operator'
    ? notFound('wallet_not_found', `There is no wallet ${walletId}.`)
    : forbiddenScope(actor, `there is no wallet ${walletId} within its reach`);
}
