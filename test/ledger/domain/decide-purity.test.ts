import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import type { LedgerEvent } from '../../../src/ledger/domain/ledger.events.js';
import type { LedgerState } from '../../../src/ledger/domain/ledger.state.js';
import { captureLedger } from '../../../src/ledger/projection/ledger.projection.js';
import type { RecordedEvent } from '../../../src/platform/event-store/recorded-event.js';
import { spec } from '../../support/decider-spec.js';
import {
  A,
  AccountFlags,
  B,
  C,
  NOW,
  T1,
  T2,
  T3,
  T4,
  T5,
  T6,
  balances,
  balancesOf,
  createTransfers,
  eventsOf,
  linked,
  openAccounts,
  pendingInput,
  postInput,
  transferCreated,
  transferInput,
  transferResults,
  stateOf,
} from '../../support/ledger-fixtures.js';

/**
 * Decide works on scratch copies of the accounts it changes (changed in place within one decision)
 * and evolve replaces accounts instead of changing them. These specs pin down what the rest of the
 * code relies on: the state and every object read from it stay as they were.
 */

/** A deep copy of the values (not the references), to tell whether anything was changed in place. */
function valuesOf(state: LedgerState): unknown {
  return structuredClone({
    accounts: [...state.accounts.entries()],
    transfers: [...state.transfers.entries()],
    failedTransfers: [...state.failedTransfers.entries()],
    pendingStatus: [...state.pendingStatus.entries()],
    pendingExpiries: [...state.pendingExpiries.entries()],
    lastTimestamp: state.lastTimestamp.value,
  });
}

describe('decide and evolve leave what they read unchanged', () => {
  // C may only spend what it received.
  const given = openAccounts({ [C]: { flags: AccountFlags.debitsMustNotExceedCredits } });

  it('deciding a batch that touches accounts again and again changes neither the state nor its accounts', () => {
    const state = stateOf(given);
    const before = valuesOf(state);
    const accountA = state.accounts.get(A)!;
    const decision = ledgerDecider.decide(
      createTransfers([
        transferInput(T1, { amount: 10n }), // A → B
        linked(transferInput(T2, { debitAccountId: B, creditAccountId: C, amount: 7n })),
        transferInput(T3, { debitAccountId: C, creditAccountId: A, amount: 7n }),
        transferInput(T4, { amount: 3n }),
        linked(transferInput(T5, { debitAccountId: B, creditAccountId: C, amount: 1n })),
        transferInput(T6, { debitAccountId: C, creditAccountId: A, amount: 5n }), // exceeds C's credits
      ]),
      state,
    );
    assert.equal(decision.kind, 'accepted');
    assert.deepEqual(valuesOf(state), before);
    assert.equal(state.accounts.get(A), accountA);
    assert.deepEqual(balancesOf(state, A), balances());
  });

  it('a chain that ends the batch and fails after its first leg succeeded leaves nothing; the items before it stand', () => {
    const then = spec(ledgerDecider)
      .given(given)
      .when(
        createTransfers([
          transferInput(T1, { amount: 10n }),
          linked(transferInput(T2, { debitAccountId: B, creditAccountId: C, amount: 7n })),
          transferInput(T3, { debitAccountId: C, creditAccountId: A, amount: 8n }), // C holds 7
        ]),
      )
      .then([transferCreated(transferInput(T1, { amount: 10n }), NOW)])
      .thenReply(transferResults('ok', 'linked_event_failed', 'exceeds_credits'));
    const state = then.stateAfter();
    assert.deepEqual(balancesOf(state, B), balances({ creditsPosted: 10n }));
    assert.deepEqual(balancesOf(state, C), balances());
    assert.equal(state.transfers.has(T2), false);
  });

  it('a later item of the same decision sees what the earlier ones did to an account, also across a chain', () => {
    spec(ledgerDecider)
      .given(given)
      .when(
        createTransfers([
          transferInput(T1, { creditAccountId: C, amount: 4n }),
          linked(transferInput(T2, { creditAccountId: C, amount: 3n })),
          transferInput(T3, { debitAccountId: C, creditAccountId: B, amount: 7n }), // exactly what C holds
          transferInput(T4, { debitAccountId: C, creditAccountId: B, amount: 1n }), // nothing left
        ]),
      )
      .thenReply(transferResults('ok', 'ok', 'ok', 'exceeds_credits'));
  });

  it('evolve replaces an account: an account read before, and the account of its AccountCreated event, keep their balances', () => {
    const state = stateOf(given);
    const created = given.find((e) => e.type === 'AccountCreated' && e.data.account.id === A)!;
    const readBefore = state.accounts.get(A)!;
    const decision = ledgerDecider.decide(
      createTransfers([pendingInput(T1, { amount: 5n }), postInput(T2, T1, { amount: 2n })]),
      state,
    );
    for (const event of eventsOf(decision)) ledgerDecider.evolve(state, event);
    assert.deepEqual(balancesOf(state, A), balances({ debitsPosted: 2n }));
    assert.equal(readBefore.debitsPending, 0n);
    assert.equal(readBefore.debitsPosted, 0n);
    assert.equal(created.type === 'AccountCreated' && created.data.account.debitsPosted, 0n);
  });

  it('a capture keeps the balances at its batch’s end while the next batch is evolved, and rollback undoes that batch', () => {
    const state = stateOf(given);
    const record = (events: readonly LedgerEvent[], from: bigint): RecordedEvent[] =>
      events.map((event, i) => ({
        position: from + BigInt(i),
        streamVersion: 1,
        recordedAt: new Date(0),
        event,
        metadata: { actor: 'test' },
      }));
    state.begin();
    const first = eventsOf(
      ledgerDecider.decide(createTransfers([transferInput(T1, { amount: 10n })]), state),
    );
    for (const event of first) ledgerDecider.evolve(state, event);
    const captured = captureLedger(record(first, 100n), state);
    const second = eventsOf(
      ledgerDecider.decide(createTransfers([transferInput(T2, { amount: 5n })], { now: NOW + 10n }), state),
    );
    for (const event of second) ledgerDecider.evolve(state, event);
    const a = captured.accounts[captured.index.get(A)!]!;
    assert.equal(a.debitsPosted, 10n);
    assert.deepEqual(captured.positions, [100n, 100n]);
    assert.deepEqual(balancesOf(state, A), balances({ debitsPosted: 15n }));
    state.rollback();
    assert.deepEqual(balancesOf(state, A), balances());
    assert.equal(state.transfers.has(T1), false);
  });
});
