import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import type { LedgerState } from '../../ledger/domain/ledger.state.js';
import type { WalletsState } from './wallets.state.js';

/** What the wallets decider and the wallet rules read: their own state, the registry, the ledger. */
export interface WalletsWorld {
  readonly wallets: WalletsState;
  readonly institutions: InstitutionsState;
  readonly ledger: LedgerState;
}
