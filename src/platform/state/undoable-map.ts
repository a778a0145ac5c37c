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
  private map = new Map<K, V>();
  /**
   * Keys and the values they held before each change since begin(), in order (key, old, key,
   * old, …; ABSENT for a key that was not there); null when not recording. Rolled back from the
   * end, so the entry of a key's first change is applied last and restores its value at begin().
   * An append-only array costs no hashing per change: a Map of first old values did (one lookup
   * to test and one to insert per change), which the ledger pays for every transfer.
   */
  private journal: unknown[] | null = null;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** `undefined` is refused as a value: to the undo journal it means "absent". */
  set(key: K, value: V): this {
    if (value === undefined) throw new TypeError('an UndoableMap holds no undefined values');
    if (this.journal !== null) this.remember(key);
    this.map.set(key, value);
    return this;
  }

  /**
   * `set`, for a caller that has just read the key's value (`previous`, from `get`, undefined if
   * absent) and replaces it: the undo journal takes `previous` instead of looking the key up again.
   */
  replace(key: K, previous: V | undefined, value: V): this {
    if (value === undefined) throw new TypeError('an UndoableMap holds no undefined values');
    if (this.journal !== null) this.journal.push(key, previous === undefined ? ABSENT : previous);
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (this.journal !== null) this.remember(key);
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

  /**
   * Empties the map (not undoable: for rebuilding state from scratch, and the scenario engine's
   * eviction of settled transfers after every settlement cycle).
   *
   * A new Map, not `Map.prototype.clear`: V8 keeps a cleared (or rehashed) table alive behind a
   * forwarding pointer to its successor, for iterators still walking it. On a map emptied and
   * refilled thousands of times, once one of those obsolete tables had been promoted to the old
   * generation, every later table and the entries in it stayed reachable from it at each young
   * collection until the next full one: the engine's ledger transfer map made 7.5% of each young
   * generation survive (against 0.7%), which cost a replication 17.7–20.3 CPU s instead of 14.2 on
   * stress-1m, depending only on whether the chain started early in the process (docs/benchmarks.md).
   */
  clear(): void {
    this.map = new Map<K, V>();
    this.journal = null;
  }

  /** Start recording changes. */
  begin(): void {
    this.journal = [];
  }

  /** Keep every change since begin() and stop recording. */
  commit(): void {
    this.journal = null;
  }

  /** Restore every key touched since begin() and stop recording. */
  rollback(): void {
    const journal = this.journal;
    if (journal === null) return;
    this.journal = null;
    for (let i = journal.length - 2; i >= 0; i -= 2) {
      const key = journal[i] as K;
      const old = journal[i + 1];
      if (old === ABSENT) this.map.delete(key);
      else this.map.set(key, old as V);
    }
  }

  private remember(key: K): void {
    const old = this.map.get(key);
    this.journal!.push(key, old === undefined ? ABSENT : old);
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
