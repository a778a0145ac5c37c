import assert from 'node:assert/strict';
import type { Decider, Decision, DomainEvent, Rejection } from '../../src/platform/decider/decider.js';

/**
 * Decider specifications that read as given / when / then:
 *
 *   spec(ledgerDecider).given([accountCreated(...)]).when(createTransfers(...)).then([...events])
 *
 * `given` events are evolved onto the initial state, `when` decides one command against it.
 */
export function spec<C, E extends DomainEvent, S, R>(decider: Decider<C, E, S, R>) {
  return {
    given(events: readonly E[]) {
      let state = decider.initialState();
      for (const event of events) state = decider.evolve(state, event);
      return {
        state,
        when(command: C) {
          const decision = decider.decide(command, state);
          return new Then(decider, state, decision);
        },
      };
    },
  };
}

export class Then<C, E extends DomainEvent, S, R> {
  constructor(
    private readonly decider: Decider<C, E, S, R>,
    private readonly state: S,
    readonly decision: Decision<E, R>,
  ) {}

  /** The command is accepted and causes exactly these events. */
  then(expected: readonly E[]): this {
    assert.equal(this.decision.kind, 'accepted', `expected acceptance, got ${describe(this.decision)}`);
    if (this.decision.kind === 'accepted') assert.deepStrictEqual(this.decision.events, expected);
    return this;
  }

  /** The command is accepted with this reply (events not checked). */
  thenReply(expected: R): this {
    assert.equal(this.decision.kind, 'accepted', `expected acceptance, got ${describe(this.decision)}`);
    if (this.decision.kind === 'accepted') assert.deepStrictEqual(this.decision.reply, expected);
    return this;
  }

  /** The command is refused with this code; nothing happens. */
  thenRejects(code: string, check?: (rejection: Rejection) => void): this {
    assert.equal(
      this.decision.kind,
      'rejected',
      `expected rejection ${code}, got ${describe(this.decision)}`,
    );
    if (this.decision.kind === 'rejected') {
      assert.equal(this.decision.rejection.code, code);
      check?.(this.decision.rejection);
    }
    return this;
  }

  /** The state after evolving the decided events, for assertions on balances. */
  stateAfter(): S {
    let state = this.state;
    if (this.decision.kind === 'accepted') {
      for (const event of this.decision.events) state = this.decider.evolve(state, event);
    }
    return state;
  }
}

function describe(decision: Decision<DomainEvent, unknown>): string {
  return decision.kind === 'rejected'
    ? `rejection ${decision.rejection.code}: ${decision.rejection.detail}`
    : `acceptance with ${decision.events.length} event(s)`;
}
