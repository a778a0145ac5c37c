import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { Corridor } from './corridor.js';

export class CorridorsState extends UndoableState {
  readonly corridors = new UndoableMap<string, Corridor>();
  /** `<corridor>|<jurisdiction>|<local date>` → minor units that left that side that day. */
  readonly outflows = new UndoableMap<string, bigint>();
}

export function outflowKey(corridorId: string, jurisdiction: string, date: string): string {
  return `${corridorId}|${jurisdiction}|${date}`;
}
