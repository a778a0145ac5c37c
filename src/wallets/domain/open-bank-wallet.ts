import { accountInput } from '../../ledger/domain/ledger-effects.js';
import type { AccountInput } from '../../ledger/domain/model.js';
import { AccountCodes, bankWalletAccountId, flagsFor } from '../../institutions/domain/chart-of-accounts.js';
import { bankWalletId, type Wallet } from './wallet.js';
import { walletStreamId, type WalletOpened } from './wallets.events.js';

/**
 * What opening a bank's wallet in a currency consists of: its ledger account and the
 * WalletOpened event. Used at a commercial bank's registration (its home currency) and when a
 * bank opens a wallet in a foreign CBDC.
 */
export function openBankWallet(
  bank: { readonly id: string; readonly jurisdiction: string },
  currency: string,
  openedBy: string,
  now: bigint,
): { readonly account: AccountInput; readonly event: WalletOpened } {
  const accountId = bankWalletAccountId(bank.id, currency);
  const wallet: Wallet = {
    id: bankWalletId(bank.id, currency),
    kind: 'bank',
    bankId: bank.id,
    jurisdiction: bank.jurisdiction,
    currency,
    accountId,
    tier: null,
    holderReference: null,
    openedAt: now,
  };
  return {
    account: accountInput(accountId, currency, AccountCodes.bankWallet, flagsFor('bankWallet')),
    event: { type: 'WalletOpened', streamId: walletStreamId(wallet.id), data: { wallet, openedBy } },
  };
}
