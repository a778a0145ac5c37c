import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { Wallet } from './wallet.js';
import type { WalletsEvent } from './wallets.events.js';

/**
 * A wallet event concerns the bank holding or operating each wallet it names, and the wallet's
 * jurisdiction; a freeze of an institution concerns that institution.
 */
export function walletsScope(event: WalletsEvent, walletOf: (id: string) => Wallet | undefined): EventScope {
  const ofWallets = (...ids: string[]): EventScope => {
    const wallets = ids.map(walletOf);
    return {
      institutions: wallets.map((w) => w?.bankId),
      jurisdictions: wallets.map((w) => w?.jurisdiction),
    };
  };
  switch (event.type) {
    case 'WalletOpened':
      return {
        institutions: [event.data.wallet.bankId],
        jurisdictions: [event.data.wallet.jurisdiction],
      };
    case 'WalletTierLimitsSet':
      return { currencies: [event.data.currency] };
    case 'DomesticTransferSettled':
      return ofWallets(event.data.from, event.data.to);
    case 'WalletSpendingRecorded':
    case 'WalletFrozen':
    case 'WalletUnfrozen':
      return ofWallets(event.data.walletId);
    case 'InstitutionFrozen':
    case 'InstitutionUnfrozen':
      return { institutions: [event.data.institutionId] };
  }
}
