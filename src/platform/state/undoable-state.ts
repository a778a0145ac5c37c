import { UndoableCell, UndoableMap, type Undoable } from './undoable-map.js';

/**
 * A module's in-memory state, made of undoable maps and cells held in its own properties. The
 * sequencer's begin/commit/rollback reach every one of them, and a snapshot copies each by its
 * property name: a new map added to a state class is covered by both without another line.
 */
export abstract class UndoableState implements Undoable {
  begin(): void {
    for (const [, part] of this.parts()) part.begin();
  }

  commit(): void {
    for (const [, part] of this.parts()) part.commit();
  }

  rollback(): void {
    for (const [, part] of this.parts()) part.rollback();
  }

  /** Map entries and cell values by property name: v8-serializable (bigints included). */
  toSnapshot(): Record<string, unknown> {
    return Object.fromEntries(
      this.parts().map(([name, part]) => [
        name,
        part instanceof UndoableMap ? [...part.entries()] : (part as UndoableCell<unknown>).value,
      ]),
    );
  }

  /** Loads a snapshot into this (fresh) state; parts the snapshot lacks stay empty. */
  restoreFrom(snapshot: Record<string, unknown>): void {
    for (const [name, part] of this.parts()) {
      if (!(name in snapshot)) continue;
      if (part instanceof UndoableMap) {
        for (const [key, value] of snapshot[name] as Array<[unknown, unknown]>) part.set(key, value);
      } else {
        (part as UndoableCell<unknown>).value = snapshot[name];
      }
    }
  }

  private parts(): Array<[string, UndoableMap<unknown, unknown> | UndoableCell<unknown>]> {
    return Object.entries(this).filter(
      (entry): entry is [string, UndoableMap<unknown, unknown> | UndoableCell<unknown>] =>
        entry[1] instanceof UndoableMap || entry[1] instanceof UndoableCell,
    );
  }
}
