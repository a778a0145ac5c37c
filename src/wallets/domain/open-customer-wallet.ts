import { accountInput } from '../../ledger/domain/ledger-effects.js';
import type { Id } from '../../ledger/domain/id.js';
import type { AccountInput } from '../../ledger/domain/model.js';
import {
  AccountCodes,
  customerWalletAccountId,
  flagsFor,
} from '../../institutions/domain/chart-of-accounts.js';
import type { Wallet, WalletTier } from './wallet.js';
import { walletStreamId, type WalletOpened } from './wallets.events.js';

/**
 * What opening a customer wallet consists of: its ledger account (which can never be
 * overdrawn) and the WalletOpened event. Customer wallets hold their bank's home currency.
 */
export function openCustomerWallet(
  bank: { readonly id: string; readonly jurisdiction: string },
  currency: string,
  fields: { readonly id: Id; readonly tier: WalletTier; readonly holderReference: string },
  openedBy: string,
  now: bigint,
): { readonly account: AccountInput; readonly event: WalletOpened } {
  const accountId = customerWalletAccountId(fields.id);
  const wallet: Wallet = {
    id: fields.id,
    kind: 'customer',
    bankId: bank.id,
    jurisdiction: bank.jurisdiction,
    currency,
    accountId,
    tier: fields.tier,
    holderReference: fields.holderReference,
    openedAt: now,
  };
  return {
    account: accountInput(accountId, currency, AccountCodes.customerWallet, flagsFor('customerWallet')),
    event: { type: 'WalletOpened', streamId: walletStreamId(wallet.id), data: { wallet, openedBy } },
  };
}
