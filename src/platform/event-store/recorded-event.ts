import type { DomainEvent } from '../decider/decider.js';

/** Who caused an event and why; stored beside it in `events.metadata`. */
export interface EventMetadata {
  /** Institution or key id that issued the command; 'system' for timers. */
  readonly actor: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /** The key that signed the request (RFC 9421 keyid). */
  readonly keyId?: string;
  /** The request's Signature-Input and Signature values, verbatim: who authorised the event. */
  readonly signature?: { readonly input: string; readonly value: string };
}

/** An event as the log holds it: its global position, stream version and record time. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  readonly position: bigint;
  readonly streamVersion: number;
  readonly recordedAt: Date;
  readonly event: E;
  readonly metadata: EventMetadata;
}
