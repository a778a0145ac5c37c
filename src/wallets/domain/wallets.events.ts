import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Id } from '../../ledger/domain/id.js';
import type { FreezeScope } from './freeze.js';
import type { TierLimits } from './tier-limits.js';
import type { Wallet, WalletTier } from './wallet.js';

export type WalletOpened = DomainEvent<
  'WalletOpened',
  { readonly wallet: Wallet; readonly openedBy: string }
>;

/** A central bank set the limits of a wallet tier in its currency (null: no cap). */
export type WalletTierLimitsSet = DomainEvent<
  'WalletTierLimitsSet',
  {
    readonly currency: string;
    readonly tier: WalletTier;
    readonly limits: TierLimits;
    readonly setBy: string;
  }
>;

/**
 * Money moved between two wallets of one currency (its ledger transfer is in the same batch).
 * `senderLocalDate` is the sender's local date when it paid (customer wallets; null for bank
 * wallets), so replaying the log rebuilds the spending windows without a clock or time zone.
 */
export type DomesticTransferSettled = DomainEvent<
  'DomesticTransferSettled',
  {
    readonly transferId: Id;
    readonly ledgerTransferId: Id;
    readonly from: string;
    readonly to: string;
    readonly currency: string;
    readonly amount: bigint;
    readonly reference: string | null;
    readonly senderLocalDate: string | null;
    readonly settledBy: string;
    readonly settledAt: bigint;
  }
>;

/**
 * A payment out of a customer wallet that did not go through the domestic transfer (a
 * cross-border payment): counted against the wallet's daily and annual windows like one.
 * Emitted by the payments decider; `localDate` is the sender's, as for a domestic transfer.
 */
export type WalletSpendingRecorded = DomainEvent<
  'WalletSpendingRecorded',
  {
    readonly walletId: string;
    readonly amount: bigint;
    readonly localDate: string;
    readonly paymentId: string;
  }
>;

export type WalletFrozen = DomainEvent<
  'WalletFrozen',
  {
    readonly walletId: string;
    readonly scope: FreezeScope;
    readonly reason: string;
    readonly frozenBy: string;
    readonly frozenAt: bigint;
  }
>;

export type WalletUnfrozen = DomainEvent<
  'WalletUnfrozen',
  { readonly walletId: string; readonly reason: string; readonly unfrozenBy: string }
>;

export type InstitutionFrozen = DomainEvent<
  'InstitutionFrozen',
  {
    readonly institutionId: string;
    readonly scope: FreezeScope;
    readonly reason: string;
    readonly frozenBy: string;
    readonly frozenAt: bigint;
  }
>;

export type InstitutionUnfrozen = DomainEvent<
  'InstitutionUnfrozen',
  { readonly institutionId: string; readonly reason: string; readonly unfrozenBy: string }
>;

export type WalletsEvent =
  | WalletOpened
  | WalletTierLimitsSet
  | DomesticTransferSettled
  | WalletSpendingRecorded
  | WalletFrozen
  | WalletUnfrozen
  | InstitutionFrozen
  | InstitutionUnfrozen;

export const WALLETS_EVENT_TYPES: readonly string[] = [
  'WalletOpened',
  'WalletTierLimitsSet',
  'DomesticTransferSettled',
  'WalletSpendingRecorded',
  'WalletFrozen',
  'WalletUnfrozen',
  'InstitutionFrozen',
  'InstitutionUnfrozen',
];

export function walletStreamId(walletId: string): string {
  return `wallet-${walletId}`;
}

/** Tier limits of a currency: one stream per currency. */
export function walletTiersStreamId(currency: string): string {
  return `wallet-tiers-${currency}`;
}

/** Freezes of a whole institution, beside (not inside) the institutions module's own stream. */
export function institutionFreezeStreamId(institutionId: string): string {
  return `institution-freeze-${institutionId}`;
}
