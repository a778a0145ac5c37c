import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { Quote } from './quote.js';
import type { RateSheet } from './rate-sheet.js';

export class FxState extends UndoableState {
  /** `<provider>:<from>:<to>` → the provider's current sheet for that pair. */
  readonly sheets = new UndoableMap<string, RateSheet>();
  readonly quotes = new UndoableMap<string, Quote>();
}
