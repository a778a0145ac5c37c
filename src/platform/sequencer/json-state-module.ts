import type { QueryRunner } from 'typeorm';
import type { Decision, DomainEvent } from '../decider/decider.js';
import { decodeBigints, encodeBigints } from '../event-store/json-codec.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import type { UndoableState } from '../state/undoable-state.js';
import type { SequencedModule, SubmittedCommand } from './sequenced-module.js';

/**
 * `projectionSql` of a module without a read model. A module that has neither `projectionSql` nor
 * `capture` is assumed to read memory in `project`, which costs a round trip before the commit
 * and stops the sequencer deciding the next batch until this one committed (ADR 0008); saying
 * there is nothing to write keeps its batches in the one commit message and pipelined.
 */
export function writesNothing(): string[] {
  return [];
}

/**
 * The common shape of a module whose events are JSON with bigint fields named in one set, and
 * whose state is an UndoableState: it encodes, decodes, snapshots, restores and resets the same
 * way. A module adds its name, its command and event types, and its decide and evolve (which
 * read other modules' state at call time: a rebuild replaces state objects); a module with a
 * read model overrides `project`.
 */
export abstract class JsonStateModule<S extends UndoableState> implements SequencedModule {
  abstract readonly name: string;
  abstract readonly commandTypes: readonly string[];
  abstract readonly eventTypes: readonly string[];
  state: S;

  protected constructor(
    private readonly createState: () => S,
    private readonly bigintFields: ReadonlySet<string>,
  ) {
    this.state = createState();
  }

  abstract decide(command: SubmittedCommand & { readonly now: bigint }): Decision<DomainEvent, unknown>;
  abstract evolve(event: DomainEvent): void;

  encode(event: DomainEvent): unknown {
    return encodeBigints(event.data);
  }

  decode(type: string, streamId: string, data: unknown): DomainEvent {
    return { type, streamId, data: decodeBigints(data, this.bigintFields) };
  }

  /** No read model by default: the state is served from memory. */
  project(_tx: QueryRunner, _events: readonly RecordedEvent[]): Promise<void> {
    return Promise.resolve();
  }

  snapshot(): unknown {
    return this.state.toSnapshot();
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot !== undefined) this.state.restoreFrom(snapshot as Record<string, unknown>);
  }

  reset(): void {
    this.state = this.createState();
  }
}
