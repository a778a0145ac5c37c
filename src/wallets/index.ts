/** The wallets module's public surface. */
export { WalletsModule, WALLETS_ENTITIES } from './wallets.module.js';
export { WalletsSequencedModule } from './wallets.sequenced-module.js';
export { WalletsState, type Spending } from './domain/wallets.state.js';
export { bankWalletId, type Wallet, type WalletKind, type WalletTier } from './domain/wallet.js';
export { openBankWallet } from './domain/open-bank-wallet.js';
export { openCustomerWallet } from './domain/open-customer-wallet.js';
export type { WalletsWorld } from './domain/wallets.world.js';
export type { Freeze, FreezeScope } from './domain/freeze.js';
export { DEFAULT_TIER_LIMITS, NO_CAPS, tierLimitsOf, type TierLimits } from './domain/tier-limits.js';
export { localDateIn } from './domain/local-date.js';
export {
  allowance,
  checkCanReceive,
  checkCanSend,
  effectiveFreeze,
  heldBalance,
  limitsOf,
  spentIn,
  timeZoneOf,
  type Allowance,
  type RuleCheck,
} from './domain/wallet-rules.js';
export { mayRead, operates, oversees } from './domain/wallet-access.js';
export { decideWallets, evolveWallets, domesticTransferLegId } from './domain/wallets.decider.js';
export { WALLETS_COMMAND_TYPES, type WalletsCommand } from './domain/wallets.commands.js';
export { WALLETS_EVENT_TYPES, type WalletsEvent } from './domain/wallets.events.js';
