import type { DomainEvent } from '../platform/decider/decider.js';

/** An event as the in-memory log holds it: its position and the virtual time it was written at. */
export interface StoredEvent {
  readonly position: number;
  readonly at: bigint;
  readonly event: DomainEvent;
}

/**
 * The engine's event store: an append-only log with positions, in memory, and subscribers that
 * see each event as it is appended (the metrics collector is one; projections are built the same
 * way from the log). Retaining the log is optional: a million-payment run writes some ten million
 * events, and what a researcher reads afterwards is the metrics, not the log — tests and small
 * runs keep it to inspect the audit trail.
 */
export class InMemoryEventStore {
  private readonly log: StoredEvent[] = [];
  private readonly subscribers: Array<(event: DomainEvent, at: bigint) => void> = [];
  private position = 0;

  constructor(private readonly retain: boolean) {}

  get length(): number {
    return this.position;
  }

  subscribe(subscriber: (event: DomainEvent, at: bigint) => void): void {
    this.subscribers.push(subscriber);
  }

  append(events: readonly DomainEvent[], at: bigint): void {
    for (const event of events) {
      this.position++;
      if (this.retain) this.log.push({ position: this.position, at, event });
      for (const subscriber of this.subscribers) subscriber(event, at);
    }
  }

  /** The retained log (empty when not retaining). */
  read(): readonly StoredEvent[] {
    return this.log;
  }
}
