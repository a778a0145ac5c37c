import { assertNever } from '../../platform/decider/decider.js';
import type { WalletsEvent } from './wallets.events.js';
import type { WalletsState } from './wallets.state.js';

/** Applies one wallets event to the state in place (undoable maps). */
export function evolveWallets(state: WalletsState, event: WalletsEvent): WalletsState {
  switch (event.type) {
    case 'WalletOpened':
      state.wallets.set(event.data.wallet.id, event.data.wallet);
      return state;
    default:
      return assertNever(event.type);
  }
}
