import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { PaymentInstruction } from './payment.js';

/**
 * The queue: payments waiting for funds or liquidity, in arrival order. Settled, rejected, expired
 * and cancelled payments leave memory (the read model and the log keep them).
 */
export class PaymentsState extends UndoableState {
  readonly queue = new UndoableMap<string, PaymentInstruction>();
  /** The providers a queued payment was priced through: told when it ends, as when it queued. */
  readonly queuedProviders = new UndoableMap<string, readonly string[]>();
}
