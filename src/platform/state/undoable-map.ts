/**
 * A Map that can undo every change made since `begin()`.
 *
 * The sequencer evolves in-memory state while it decides a batch (later commands in the batch
 * must see earlier ones), before the batch is committed. If the commit fails, memory must not run
 * ahead of the database: `rollback()` restores each touched key to its value at `begin()`.
 * Values are treated as immutable: evolve replaces them instead of mutating them, so remembering
 * the old reference is enough to undo.
 */
export class UndoableMap<K, V> {
  private readonly map = new Map<K, V>();
  /** Old value (or ABSENT) per key touched since begin(); null when not recording. */
  private undo: Map<K, V | typeof ABSENT> | null = null;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    this.remember(key);
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    this.remember(key);
    return this.map.delete(key);
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  /** Empties the map (not undoable: for rebuilding state from scratch). */
  clear(): void {
    this.map.clear();
    this.undo = null;
  }

  /** Start recording changes. */
  begin(): void {
    this.undo = new Map();
  }

  /** Keep every change since begin() and stop recording. */
  commit(): void {
    this.undo = null;
  }

  /** Restore every key touched since begin() and stop recording. */
  rollback(): void {
    if (this.undo === null) return;
    for (const [key, old] of this.undo) {
      if (old === ABSENT) this.map.delete(key);
      else this.map.set(key, old);
    }
    this.undo = null;
  }

  private remember(key: K): void {
    if (this.undo === null || this.undo.has(key)) return;
    this.undo.set(key, this.map.has(key) ? (this.map.get(key) as V) : ABSENT);
  }
}

/** A single undoable value, for counters such as the last assigned timestamp. */
export class UndoableCell<V> {
  private saved: { value: V } | null = null;

  constructor(private current: V) {}

  get value(): V {
    return this.current;
  }

  set value(next: V) {
    if (this.recording && this.saved === null) this.saved = { value: this.current };
    this.current = next;
  }

  private recording = false;

  begin(): void {
    this.recording = true;
    this.saved = null;
  }

  commit(): void {
    this.recording = false;
    this.saved = null;
  }

  rollback(): void {
    if (this.saved !== null) this.current = this.saved.value;
    this.recording = false;
    this.saved = null;
  }
}

const ABSENT: unique symbol = Symbol('absent');

/** Something whose changes can be recorded and undone as one unit. */
export interface Undoable {
  begin(): void;
  commit(): void;
  rollback(): void;
}
