import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Wallet } from './wallet.js';

export type WalletOpened = DomainEvent<
  'WalletOpened',
  { readonly wallet: Wallet; readonly openedBy: string }
>;

export type WalletsEvent = WalletOpened;

export const WALLETS_EVENT_TYPES: readonly string[] = ['WalletOpened'];

export function walletStreamId(walletId: string): string {
  return `wallet-${walletId}`;
}
