import { UndoableMap, type Undoable } from '../../platform/state/undoable-map.js';
import type { Corridor } from './corridor.js';

export class CorridorsState implements Undoable {
  readonly corridors = new UndoableMap<string, Corridor>();
  /** `<corridor>|<jurisdiction>|<local date>` → minor units that left that side that day. */
  readonly outflows = new UndoableMap<string, bigint>();

  begin(): void {
    this.corridors.begin();
    this.outflows.begin();
  }

  commit(): void {
    this.corridors.commit();
    this.outflows.commit();
  }

  rollback(): void {
    this.corridors.rollback();
    this.outflows.rollback();
  }
}

export function outflowKey(corridorId: string, jurisdiction: string, date: string): string {
  return `${corridorId}|${jurisdiction}|${date}`;
}
