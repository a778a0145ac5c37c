import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { Quote } from './quote.js';
import type { RateSheet } from './rate-sheet.js';

/**
 * The current rate sheets, with a count of their changes. Routing keeps what it derives from the
 * sheets (which are live, and which serve a currency pair) for as long as `version` stays the
 * same: every way the map's contents can change (set, replace, delete, clear, and a rollback that
 * restores them) passes through here and moves it on, so nothing has to be invalidated by hand.
 * A version is never reused by the same map, so a stale entry can only miss, never match.
 */
export class RateSheets extends UndoableMap<string, RateSheet> {
  private changes = 0;

  /** Differs from every earlier value whenever the contents may have changed. */
  get version(): number {
    return this.changes;
  }

  override set(key: string, value: RateSheet): this {
    this.changes++;
    return super.set(key, value);
  }

  override replace(key: string, previous: RateSheet | undefined, value: RateSheet): this {
    this.changes++;
    return super.replace(key, previous, value);
  }

  override delete(key: string): boolean {
    this.changes++;
    return super.delete(key);
  }

  override clear(): void {
    this.changes++;
    super.clear();
  }

  override rollback(): void {
    this.changes++;
    super.rollback();
  }
}

export class FxState extends UndoableState {
  /** `<provider>:<from>:<to>` → the provider's current sheet for that pair. */
  readonly sheets = new RateSheets();
  readonly quotes = new UndoableMap<string, Quote>();
}
