import type { Id } from '../../ledger/domain/id.js';
import type { FreezeScope } from './freeze.js';
import type { TierLimits } from './tier-limits.js';
import type { WalletTier } from './wallet.js';

/**
 * Commands of the wallets module. `actor` is the institution whose signature authorised the
 * command; `now` is stamped by the sequencer.
 */
export interface OpenWallet {
  readonly type: 'OpenWallet';
  readonly actor: string;
  readonly wallet:
    | { readonly kind: 'bank'; readonly currency: string }
    | {
        readonly kind: 'customer';
        readonly id: Id;
        readonly tier: WalletTier;
        readonly holderReference: string;
      };
  readonly now: bigint;
}

export interface SetWalletTierLimits {
  readonly type: 'SetWalletTierLimits';
  readonly actor: string;
  readonly currency: string;
  readonly tier: WalletTier;
  readonly limits: TierLimits;
  readonly now: bigint;
}

/**
 * An amount as the client wrote it: decimals in major units, or an integer in minor units. It is
 * read against the sending wallet's currency, which only the state knows.
 */
export interface AmountText {
  readonly text: string;
  readonly minor: boolean;
}

export interface TransferBetweenWallets {
  readonly type: 'TransferBetweenWallets';
  readonly actor: string;
  /** Chosen at the edge; ties the ledger transfer (user data 128) to this payment. */
  readonly transferId: Id;
  readonly from: string;
  readonly to: string;
  readonly amount: AmountText;
  readonly reference: string | null;
  readonly now: bigint;
}

export interface FreezeWallet {
  readonly type: 'FreezeWallet';
  readonly actor: string;
  readonly walletId: string;
  readonly scope: FreezeScope;
  readonly reason: string;
  readonly now: bigint;
}

export interface UnfreezeWallet {
  readonly type: 'UnfreezeWallet';
  readonly actor: string;
  readonly walletId: string;
  readonly reason: string;
  readonly now: bigint;
}

export interface FreezeInstitution {
  readonly type: 'FreezeInstitution';
  readonly actor: string;
  readonly institutionId: string;
  readonly scope: FreezeScope;
  readonly reason: string;
  readonly now: bigint;
}

export interface UnfreezeInstitution {
  readonly type: 'UnfreezeInstitution';
  readonly actor: string;
  readonly institutionId: string;
  readonly reason: string;
  readonly now: bigint;
}

export type WalletsCommand =
  | OpenWallet
  | SetWalletTierLimits
  | TransferBetweenWallets
  | FreezeWallet
  | UnfreezeWallet
  | FreezeInstitution
  | UnfreezeInstitution;

export const WALLETS_COMMAND_TYPES = [
  'OpenWallet',
  'SetWalletTierLimits',
  'TransferBetweenWallets',
  'FreezeWallet',
  'UnfreezeWallet',
  'FreezeInstitution',
  'UnfreezeInstitution',
] as const;
