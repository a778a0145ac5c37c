import type { QueryRunner } from 'typeorm';
import type { Decision, DomainEvent } from '../decider/decider.js';
import type { Undoable } from '../state/undoable-map.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';

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
  /** JSON-safe form of the event's data (bigint → string, …). */
  encode(event: DomainEvent): unknown;
  decode(type: string, streamId: string, data: unknown): DomainEvent;
  /** Writes the read models for a committed batch's events of this module, in its transaction. */
  project(tx: QueryRunner, events: readonly RecordedEvent[]): Promise<void>;
  /** A v8-serializable copy of the state, and its inverse. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Back to the initial state (before a rebuild). */
  reset(): void;
  /**
   * Loads into memory whatever the batch's commands need that memory does not hold (TigerBeetle's
   * prefetch phase). Runs before deciding, outside the transaction; with a single writer the read
   * models equal the committed state, so what it loads is exact.
   */
  prefetch?(commands: readonly SubmittedCommand[]): Promise<void>;
  /** After a batch committed (or a page of the log was replayed): e.g. trim caches. */
  afterCommit?(): void;
}
