import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ID_ZERO } from '../../../src/ledger/domain/id.js';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import type { Transfer, TransferInput } from '../../../src/ledger/domain/model.js';
import { spec } from '../../support/decider-spec.js';
import {
  A,
  AccountFlags,
  B,
  C,
  NOW,
  SECOND,
  T1,
  T2,
  T3,
  T4,
  T5,
  T6,
  balances,
  balancesOf,
  createTransfers,
  expirePendingTransfers,
  history,
  openAccounts,
  pendingExpired,
  pendingInput,
  postInput,
  storedTransfer,
  transferCreated,
  transferInput,
  transferResults,
  voidInput,
  withCommands,
} from '../../support/ledger-fixtures.js';

const accounts = openAccounts();

/** The fields a post/void of pending transfer T1 (A → B in CNY, code 1) inherits. */
function resolvedFrom(amount: bigint, pendingId = T1): Partial<Transfer> {
  return { debitAccountId: A, creditAccountId: B, currency: 'CNY', code: 1, amount, pendingId };
}

function pendingOf(amount: bigint, overrides: Partial<TransferInput> = {}) {
  return history(...accounts, transferCreated(pendingInput(T1, { amount, ...overrides })));
}

describe('two-phase transfers: reserve', () => {
  it('a pending transfer reserves its amount as pending debits and credits, and schedules its expiry', () => {
    const input = pendingInput(T1, { timeout: 60 });
    const state = spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers([input]))
      .then([transferCreated(input, NOW)])
      .stateAfter();
    assert.deepEqual(balancesOf(state, A), balances({ debitsPending: 100n }));
    assert.deepEqual(balancesOf(state, B), balances({ creditsPending: 100n }));
    assert.equal(state.pendingStatus.get(T1), 'pending');
    assert.equal(state.pendingExpiries.get(T1), NOW + 60n * SECOND);
  });

  it('a pending transfer without timeout never expires', () => {
    const state = spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers([pendingInput(T1)]))
      .stateAfter();
    assert.equal(state.pendingStatus.get(T1), 'pending');
    assert.equal(state.pendingExpiries.has(T1), false);
  });

  it('reservation is pessimistic: pending debits count against the balance limit at once', () => {
    // TigerBeetle's example: credits posted 100, debits posted 70; a pending 50 fails, 30 fits.
    const given = history(
      ...openAccounts({ [A]: { flags: AccountFlags.debitsMustNotExceedCredits } }),
      transferCreated(transferInput(T1, { debitAccountId: C, creditAccountId: A, amount: 100n })),
      transferCreated(transferInput(T2, { amount: 70n })),
    );
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([pendingInput(T3, { amount: 50n }), pendingInput(T4, { amount: 30n })]))
      .thenReply(transferResults('exceeds_credits', 'ok'));
  });
});

describe('two-phase transfers: post and void (TigerBeetle examples)', () => {
  it('post the full pending amount: inherited fields are resolved in the stored transfer', () => {
    const state = spec(ledgerDecider)
      .given(pendingOf(123n, { timeout: 60 }))
      .when(createTransfers([postInput(T2, T1)]))
      .then([transferCreated(postInput(T2, T1), NOW, resolvedFrom(123n))])
      .thenReply(transferResults('ok'))
      .stateAfter();
    assert.deepEqual(balancesOf(state, A), balances({ debitsPosted: 123n }));
    assert.deepEqual(balancesOf(state, B), balances({ creditsPosted: 123n }));
    assert.equal(state.pendingStatus.get(T1), 'posted');
    assert.equal(state.pendingExpiries.has(T1), false);
  });

  it('post with every field repeated explicitly, or given as zero, is the same post', () => {
    const explicit = postInput(T2, T1, {
      debitAccountId: A,
      creditAccountId: B,
      amount: 123n,
      currency: 'CNY',
      code: 1,
    });
    const zeros = postInput(T3, T1, { debitAccountId: ID_ZERO, creditAccountId: ID_ZERO, code: 0 });
    spec(ledgerDecider)
      .given(pendingOf(123n))
      .when(createTransfers([explicit]))
      .then([transferCreated(explicit, NOW, resolvedFrom(123n))]);
    spec(ledgerDecider)
      .given(pendingOf(123n))
      .when(createTransfers([zeros]))
      .then([transferCreated(zeros, NOW, resolvedFrom(123n))]);
  });

  it('post part of the pending amount: only that posts, the rest of the reservation is released', () => {
    const input = postInput(T2, T1, { amount: 100n });
    const state = spec(ledgerDecider)
      .given(pendingOf(123n))
      .when(createTransfers([input]))
      .then([transferCreated(input, NOW, resolvedFrom(100n))])
      .stateAfter();
    assert.deepEqual(balancesOf(state, A), balances({ debitsPosted: 100n }));
    assert.deepEqual(balancesOf(state, B), balances({ creditsPosted: 100n }));
    assert.equal(state.pendingStatus.get(T1), 'posted');
  });

  it('void: the reservation is released and the void records the pending amount', () => {
    const state = spec(ledgerDecider)
      .given(pendingOf(123n, { timeout: 60 }))
      .when(createTransfers([voidInput(T2, T1)]))
      .then([transferCreated(voidInput(T2, T1), NOW, resolvedFrom(123n))])
      .stateAfter();
    assert.deepEqual(balancesOf(state, A), balances());
    assert.deepEqual(balancesOf(state, B), balances());
    assert.equal(state.pendingStatus.get(T1), 'voided');
    assert.equal(state.pendingExpiries.has(T1), false);
  });

  it('void with the exact pending amount is accepted', () => {
    spec(ledgerDecider)
      .given(pendingOf(123n))
      .when(createTransfers([voidInput(T2, T1, { amount: 123n })]))
      .thenReply(transferResults('ok'));
  });

  it('pending and its post in one batch: the post sees the reservation', () => {
    const state = spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers([pendingInput(T1), postInput(T2, T1, { amount: 40n })]))
      .then([
        transferCreated(pendingInput(T1), NOW),
        transferCreated(postInput(T2, T1, { amount: 40n }), NOW + 1n, resolvedFrom(40n)),
      ])
      .stateAfter();
    assert.deepEqual(balancesOf(state, A), balances({ debitsPosted: 40n }));
  });
});

describe('two-phase transfers: a pending transfer resolves at most once', () => {
  const posted = withCommands(pendingOf(100n), createTransfers([postInput(T2, T1)]));
  const voided = withCommands(pendingOf(100n), createTransfers([voidInput(T2, T1)]));

  it('post after void', () => {
    spec(ledgerDecider)
      .given(voided)
      .when(createTransfers([postInput(T3, T1)]))
      .then([])
      .thenReply(transferResults('pending_transfer_already_voided'));
  });

  it('void after post', () => {
    spec(ledgerDecider)
      .given(posted)
      .when(createTransfers([voidInput(T3, T1)]))
      .then([])
      .thenReply(transferResults('pending_transfer_already_posted'));
  });

  it('post and void of the same pending transfer in one batch: the second is refused', () => {
    spec(ledgerDecider)
      .given(pendingOf(100n))
      .when(createTransfers([postInput(T2, T1), voidInput(T3, T1)]))
      .thenReply(transferResults('ok', 'pending_transfer_already_posted'));
  });

  it('a retried post is idempotent: fields left to inherit are not compared', () => {
    spec(ledgerDecider)
      .given(posted)
      .when(
        createTransfers([
          postInput(T2, T1),
          postInput(T2, T1, { debitAccountId: A, amount: 100n, currency: 'CNY', code: 1 }),
          postInput(T2, T1, { debitAccountId: C }),
          postInput(T2, T1, { amount: 99n }),
          postInput(T2, T3),
        ]),
      )
      .then([])
      .thenReply(
        transferResults(
          'exists',
          'exists',
          'exists_with_different_debit_account_id',
          'exists_with_different_amount',
          'exists_with_different_pending_id',
        ),
      );
  });

  it('after a partial post, a retry asking for the full amount differs', () => {
    spec(ledgerDecider)
      .given(withCommands(pendingOf(100n), createTransfers([postInput(T2, T1, { amount: 60n })])))
      .when(createTransfers([postInput(T2, T1, { amount: 60n }), postInput(T2, T1)]))
      .thenReply(transferResults('exists', 'exists_with_different_amount'));
  });
});

describe('two-phase transfers: expiry', () => {
  // T1 is created at timestamp 6 (after five accounts) with a 1 s timeout.
  const pending = pendingOf(100n, { timeout: 1 });
  const expiry = 6n + SECOND;

  it('posting just before the expiry succeeds', () => {
    spec(ledgerDecider)
      .given(pending)
      .when(createTransfers([postInput(T2, T1)], { now: expiry - 1n }))
      .thenReply(transferResults('ok'));
  });

  it('posting at the expiry fails even if the expiry timer has not swept it yet', () => {
    spec(ledgerDecider)
      .given(pending)
      .when(createTransfers([postInput(T2, T1), voidInput(T3, T1)], { now: expiry }))
      .then([])
      .thenReply(transferResults('pending_transfer_expired', 'pending_transfer_expired'));
  });

  it('the timer expires what is due, in expiry order then id, and releases the reservations', () => {
    const inputs = {
      t3: pendingInput(T3, { amount: 30n, timeout: 1 }),
      t4: pendingInput(T4, { amount: 40n, timeout: 1, creditAccountId: C }),
      t5: pendingInput(T5, { amount: 50n, timeout: 2 }),
      t6: pendingInput(T6, { amount: 60n, timeout: 10 }),
    };
    const given = history(
      ...accounts,
      transferCreated(inputs.t5, 10n), // expires at 10 + 2 s
      transferCreated(inputs.t3, 11n), // expires at 11 + 1 s: first
      transferCreated(inputs.t6, 12n), // expires at 12 + 10 s: not yet
      transferCreated(inputs.t4, SECOND + 10n), // expires at 10 + 2 s too: ties with T5, T4 < T5
    );
    const now = 3n * SECOND;
    const state = spec(ledgerDecider)
      .given(given)
      .when(expirePendingTransfers(now))
      .then([
        pendingExpired(storedTransfer(inputs.t3), now),
        pendingExpired(storedTransfer(inputs.t4), now + 1n),
        pendingExpired(storedTransfer(inputs.t5), now + 2n),
      ])
      .thenReply({ kind: 'ExpirePendingTransfers', expired: 3 })
      .stateAfter();
    assert.deepEqual(balancesOf(state, A), balances({ debitsPending: 60n }));
    assert.deepEqual(balancesOf(state, B), balances({ creditsPending: 60n }));
    assert.deepEqual(balancesOf(state, C), balances());
    assert.deepEqual([...state.pendingExpiries.keys()], [T6]);
    assert.deepEqual(
      [T3, T4, T5, T6].map((id) => state.pendingStatus.get(id)),
      ['expired', 'expired', 'expired', 'pending'],
    );
    assert.equal(state.lastTimestamp.value, now + 2n);
  });

  it('after the sweep: post → pending_transfer_expired, and a second sweep finds nothing', () => {
    const swept = withCommands(pending, expirePendingTransfers(expiry));
    spec(ledgerDecider)
      .given(swept)
      .when(createTransfers([postInput(T2, T1)], { now: expiry + 1n }))
      .then([])
      .thenReply(transferResults('pending_transfer_expired'));
    spec(ledgerDecider)
      .given(swept)
      .when(expirePendingTransfers(expiry + SECOND))
      .then([])
      .thenReply({ kind: 'ExpirePendingTransfers', expired: 0 });
  });

  it('nothing is due before the expiry', () => {
    spec(ledgerDecider)
      .given(pending)
      .when(expirePendingTransfers(expiry - 1n))
      .then([])
      .thenReply({ kind: 'ExpirePendingTransfers', expired: 0 });
  });

  it('a posted or voided transfer is no longer scheduled to expire', () => {
    spec(ledgerDecider)
      .given(withCommands(pending, createTransfers([voidInput(T2, T1)])))
      .when(expirePendingTransfers(expiry + SECOND))
      .then([])
      .thenReply({ kind: 'ExpirePendingTransfers', expired: 0 });
  });
});
