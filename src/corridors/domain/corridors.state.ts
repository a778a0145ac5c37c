import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { Corridor } from './corridor.js';

export class CorridorsState extends UndoableState {
  readonly corridors = new UndoableMap<string, Corridor>();
  /** `<corridor>|<jurisdiction>|<local date>` → minor units that left that side that day. */
  readonly outflows = new UndoableMap<string, bigint>();
}

/**
 * Keys by their three parts. Every settled payment records an outflow (a map read and a write
 * under this key) and a new concatenation had to be flattened and hashed each time; the parts
 * are the same few strings (a handful of corridor sides, one local date a day), so the key made
 * once is found again by them, its hash already known.
 */
const KEYS = new Map<string, Map<string, Map<string, string>>>();
const KEYS_MAX = 10_000;
let keysHeld = 0;

export function outflowKey(corridorId: string, jurisdiction: string, date: string): string {
  let byDate = KEYS.get(corridorId)?.get(jurisdiction);
  let key = byDate?.get(date);
  if (key === undefined) {
    if (keysHeld >= KEYS_MAX) {
      KEYS.clear();
      keysHeld = 0;
      byDate = undefined;
    }
    key = `${corridorId}|${jurisdiction}|${date}`;
    if (byDate === undefined) {
      let byJurisdiction = KEYS.get(corridorId);
      if (byJurisdiction === undefined) {
        byJurisdiction = new Map();
        KEYS.set(corridorId, byJurisdiction);
      }
      byDate = new Map();
      byJurisdiction.set(jurisdiction, byDate);
    }
    byDate.set(date, key);
    keysHeld++;
  }
  return key;
}
