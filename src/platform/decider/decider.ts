/**
 * The decider pattern (see docs/adr/0003-deciders-and-the-sequencer.md).
 *
 * `decide(command, state)` reads state and returns either the events that the command causes
 * plus the reply for its caller, or a rejection. It never mutates state.
 * `evolve(state, event)` applies one event. State is built from undoable maps
 * (see ../state/undoable-map.ts), so evolve mutates in place and the sequencer can roll a whole
 * batch back when its commit fails.
 */

/** A fact that happened. `streamId` names the aggregate the event belongs to. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly streamId: string;
  readonly data: TData;
}

/** A refusal that changes nothing; becomes an RFC 9457 problem detail at the HTTP edge. */
export interface Rejection {
  /** Stable, machine-readable code (snake_case), e.g. `transfer_batch_invalid`. */
  readonly code: string;
  /** HTTP status the edge should answer with (4xx). */
  readonly status: number;
  /** Short, human-readable summary that does not change between occurrences. */
  readonly title: string;
  /** Human-readable explanation of this occurrence. */
  readonly detail: string;
  /** Optional per-item or per-field errors. */
  readonly errors?: readonly RejectionItem[];
}

export interface RejectionItem {
  readonly index?: number;
  readonly field?: string;
  readonly code: string;
  readonly detail: string;
}

export type Decision<TEvent extends DomainEvent, TReply> =
  | {
      readonly kind: 'accepted';
      readonly events: readonly TEvent[];
      readonly reply: TReply;
      /**
       * What deciding some of these events already worked out for another module's state (the
       * ledger's DecidedEffects of a payment's legs), for a caller that evolves the decision at
       * once and may apply it instead of evolving those events one by one. Absent: evolve them all.
       */
      readonly workedOut?: WorkedOutEffects;
    }
  | { readonly kind: 'rejected'; readonly rejection: Rejection };

/**
 * Effects of exactly `events` (a subset of a decision's events, all of one module) as decide
 * computed them, to apply to that module's state in place of evolving each event. Only valid on
 * the state decided against, right after the decision, once.
 */
export interface WorkedOutEffects {
  readonly events: readonly DomainEvent[];
  applyTo(state: unknown): void;
}

export function accepted<TEvent extends DomainEvent, TReply>(
  events: readonly TEvent[],
  reply: TReply,
  workedOut?: WorkedOutEffects,
): Decision<TEvent, TReply> {
  return workedOut === undefined
    ? { kind: 'accepted', events, reply }
    : { kind: 'accepted', events, reply, workedOut };
}

export function rejected(rejection: Rejection): { readonly kind: 'rejected'; readonly rejection: Rejection } {
  return { kind: 'rejected', rejection };
}

/** Compile-time exhaustiveness check for `switch` statements over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** A decider bundles the three pure functions of one aggregate or module. */
export interface Decider<TCommand, TEvent extends DomainEvent, TState, TReply> {
  initialState(): TState;
  decide(command: TCommand, state: TState): Decision<TEvent, TReply>;
  evolve(state: TState, event: TEvent): TState;
}
