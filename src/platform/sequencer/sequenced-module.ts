import type { QueryRunner } from 'typeorm';
import type { Decision, DomainEvent } from '../decider/decider.js';
import type { Undoable } from '../state/undoable-map.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { EventScope } from '../event-store/event-scope.js';

/** A command as submitted: the sequencer stamps `now` from the service clock when it decides. */
export interface SubmittedCommand {
  readonly type: string;
}

/**
 * What a module hands the sequencer: its state slice, its pure decide/evolve, how its events are
 * written to JSON and read back, and its inline projection (run inside the batch transaction).
 */
export interface SequencedModule {
  readonly name: string;
  readonly commandTypes: readonly string[];
  readonly eventTypes: readonly string[];
  /** The module's live in-memory state; undone when a batch fails to commit. */
  readonly state: Undoable;
  decide(command: SubmittedCommand & { readonly now: bigint }): Decision<DomainEvent, unknown>;
  evolve(event: DomainEvent): void;
  /**
   * Optional: evolves every event of the decision `decide` has just returned, in order, with
   * nothing else decided or evolved in between; the state must then be what `evolve` of each
   * event would have made it. A module may apply what its decide already worked out instead of
   * redoing it event by event. Replays and undo still go through `evolve`.
   */
  evolveDecided?(events: readonly DomainEvent[]): void;
  /**
   * Whom the event concerns (the audit trail's access rule, event-scope.ts). Called when the
   * batch is prepared, with memory at the batch's end. Without it, only the operator reads the
   * module's events.
   */
  scopeOf?(event: DomainEvent): EventScope;
  /** JSON-safe form of the event's data (bigint → string, …). */
  encode(event: DomainEvent): unknown;
  /**
   * The inverse of `encode`. `data` is the JSON just parsed for this one event and the caller
   * keeps nothing of it: a module may revive it in place and keep its objects.
   */
  decode(type: string, streamId: string, data: unknown): DomainEvent;
  /**
   * Called synchronously when a batch is sent to commit, while memory holds exactly the state
   * after that batch: the sequencer decides the next batch while this one commits, so by the time
   * `project` runs, memory may already hold later, uncommitted changes. Whatever `project` needs
   * from in-memory state is captured here (state values are immutable, so references will do) and
   * handed to `project`. A module with `project` but neither `capture` nor `projectionSql` is
   * assumed to read memory in `project`: nothing is decided on top of a batch holding its events
   * until that batch has committed (no pipelining for it, always correct).
   */
  capture?(events: readonly RecordedEvent[]): unknown;
  /** Writes the read models for a committed batch's events of this module, in its transaction. */
  project(tx: QueryRunner, events: readonly RecordedEvent[], captured?: unknown): Promise<void>;
  /**
   * Optional, in place of `project`: the same writes as SQL statements with their values inlined
   * (sql-arrays.ts: sqlLiteral and the array builders), executed in order. The sequencer sends a
   * batch's whole commit as ONE message when every module involved provides this, so PostgreSQL
   * runs it without waiting for Node between statements (Node is busy deciding the next batch).
   * Each statement sees the effects of the ones before it.
   */
  projectionSql?(events: readonly RecordedEvent[], captured?: unknown): string[];
  /** A v8-serializable copy of the state, and its inverse. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Back to the initial state (before a rebuild). */
  reset(): void;
  /**
   * Loads into memory whatever the batch's commands need that memory does not hold (TigerBeetle's
   * prefetch phase). Runs before deciding, outside the transaction, possibly while the previous
   * batch commits: anything a batch still in flight changed is in memory (afterCommit, which may
   * evict, runs only while nothing is in flight), so what is missing from memory is unchanged by
   * it and the read models hold it exactly.
   */
  prefetch?(commands: readonly SubmittedCommand[]): Promise<void>;
  /**
   * After batches committed (or a page of the log was replayed): e.g. trim caches. Called only
   * while memory equals the database (no decided batch is uncommitted; the sequencer pipelines
   * batches, so not necessarily after every commit).
   */
  afterCommit?(): void;
}
