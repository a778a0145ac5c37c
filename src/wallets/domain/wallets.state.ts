import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { Freeze } from './freeze.js';
import type { TierLimits } from './tier-limits.js';
import type { Wallet } from './wallet.js';

/** What a customer wallet has sent in its current local day and year. */
export interface Spending {
  /** Local date (`YYYY-MM-DD`, the wallet's jurisdiction's time zone) of its last payment. */
  readonly localDate: string;
  readonly today: bigint;
  readonly thisYear: bigint;
}

/** Every wallet, by id, and what the wallet rules read: freezes, spending windows, tier limits. */
export class WalletsState extends UndoableState {
  readonly wallets = new UndoableMap<string, Wallet>();
  /** Wallet id → its own freeze. */
  readonly freezes = new UndoableMap<string, Freeze>();
  /** Commercial bank id → a freeze of the bank: its own wallets and the customer wallets it operates. */
  readonly institutionFreezes = new UndoableMap<string, Freeze>();
  /** Customer wallet id → its spending in the current windows (absent: nothing sent yet). */
  readonly spending = new UndoableMap<string, Spending>();
  /** `<currency>:<tier>` → limits set by the currency's central bank (absent: the default). */
  readonly tierLimits = new UndoableMap<string, TierLimits>();
}
