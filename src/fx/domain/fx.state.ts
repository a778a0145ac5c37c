import { UndoableMap, type Undoable } from '../../platform/state/undoable-map.js';
import type { Quote } from './quote.js';
import type { RateSheet } from './rate-sheet.js';

export class FxState implements Undoable {
  /** `<provider>:<from>:<to>` → the provider's current sheet for that pair. */
  readonly sheets = new UndoableMap<string, RateSheet>();
  readonly quotes = new UndoableMap<string, Quote>();

  begin(): void {
    for (const part of this.parts()) part.begin();
  }

  commit(): void {
    for (const part of this.parts()) part.commit();
  }

  rollback(): void {
    for (const part of this.parts()) part.rollback();
  }

  private parts(): Undoable[] {
    return [this.sheets, this.quotes];
  }
}
