/** The wallets module's public surface. */
export { WalletsModule, WALLETS_ENTITIES } from './wallets.module.js';
export { WalletsSequencedModule } from './wallets.sequenced-module.js';
export { WalletsState } from './domain/wallets.state.js';
export { bankWalletId, type Wallet, type WalletKind, type WalletTier } from './domain/wallet.js';
export { openBankWallet } from './domain/open-bank-wallet.js';
