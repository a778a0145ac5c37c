import type { Id } from '../../ledger/domain/id.js';

/**
 * A wallet holds one CBDC. Bank wallets belong to a commercial bank (its own currency or a
 * foreign one); customer wallets are operated by a commercial bank for a customer, in the bank's
 * own currency, graded by tier (e-CNY style). Each wallet is one ledger account.
 */
export type WalletKind = 'bank' | 'customer';
export type WalletTier = 1 | 2 | 3 | 4;

export interface Wallet {
  /** Bank wallets: `<bank>.<currency>` (JADECNSH.CNY). Customer wallets: a client-chosen UUID. */
  readonly id: string;
  readonly kind: WalletKind;
  /** The commercial bank that holds (bank wallet) or operates (customer wallet) it. */
  readonly bankId: string;
  readonly jurisdiction: string;
  readonly currency: string;
  /** Its ledger account (see institutions/domain/chart-of-accounts.ts). */
  readonly accountId: Id;
  /** Customer wallets only. */
  readonly tier: WalletTier | null;
  /** Customer wallets only: the bank's pseudonymous reference for the holder. */
  readonly holderReference: string | null;
  readonly openedAt: bigint;
}

/** Remembered by bank and currency: payments name bank wallets several times each. */
const BANK_WALLET_IDS = new Map<string, Map<string, string>>();
const BANK_WALLET_IDS_MAX = 100_000;
let bankWalletIdsHeld = 0;

export function bankWalletId(bankId: string, currency: string): string {
  let id = BANK_WALLET_IDS.get(bankId)?.get(currency);
  if (id === undefined) {
    if (bankWalletIdsHeld >= BANK_WALLET_IDS_MAX) {
      BANK_WALLET_IDS.clear();
      bankWalletIdsHeld = 0;
    }
    id = `${bankId}.${currency}`;
    let byCurrency = BANK_WALLET_IDS.get(bankId);
    if (byCurrency === undefined) {
      byCurrency = new Map();
      BANK_WALLET_IDS.set(bankId, byCurrency);
    }
    byCurrency.set(currency, id);
    bankWalletIdsHeld++;
  }
  return id;
}
