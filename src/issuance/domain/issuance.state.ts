import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { CurrencySupply, IssuanceRequest } from './issuance.js';

/**
 * Every issuance request (open ones must be at hand to approve; closed ones answer a second
 * approval with `issuance_request_not_open`) and each currency's supply. Requests are rare next to
 * payments (a bank asks a few times a day), so keeping them all in memory stays small.
 */
export class IssuanceState extends UndoableState {
  readonly requests = new UndoableMap<string, IssuanceRequest>();
  readonly supplies = new UndoableMap<string, CurrencySupply>();
  /** Reserve credit ids already used (a credit id names one transfer). */
  readonly reserveCredits = new UndoableMap<string, string>();
}
