import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
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
  balances,
  balancesOf,
  createTransfers,
  history,
  openAccounts,
  pendingInput,
  postInput,
  transferCreated,
  transferFailed,
  transferInput,
  transferResults,
} from '../../support/ledger-fixtures.js';

describe('debits_must_not_exceed_credits (exceeds_credits) at the edge', () => {
  // A received 100 from C and has 40 of it reserved by a pending transfer: 60 is left to spend.
  const given = history(
    ...openAccounts({ [A]: { flags: AccountFlags.debitsMustNotExceedCredits } }),
    transferCreated(transferInput(T1, { debitAccountId: C, creditAccountId: A, amount: 100n })),
    transferCreated(pendingInput(T2, { amount: 40n })),
  );

  it('exactly the available balance passes', () => {
    const state = spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T3, { amount: 60n })]))
      .then([transferCreated(transferInput(T3, { amount: 60n }), NOW)])
      .stateAfter();
    assert.deepEqual(
      balancesOf(state, A),
      balances({ creditsPosted: 100n, debitsPending: 40n, debitsPosted: 60n }),
    );
  });

  it('one minor unit more fails, and the failure is kept', () => {
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T3, { amount: 61n })]))
      .then([transferFailed(T3, 'exceeds_credits', NOW)])
      .thenReply(transferResults('exceeds_credits'));
  });

  it('the balance is consumed by earlier transfers of the same batch', () => {
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T3, { amount: 60n }), transferInput(T4, { amount: 1n })]))
      .thenReply(transferResults('ok', 'exceeds_credits'));
  });

  it('posting a reservation is not re-checked: its funds were set aside already', () => {
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T3, { amount: 60n }), postInput(T4, T2)]))
      .thenReply(transferResults('ok', 'ok'));
  });
});

describe('credits_must_not_exceed_debits (exceeds_debits) at the edge', () => {
  // B paid 100 to C, so it may receive up to 100.
  const given = history(
    ...openAccounts({ [B]: { flags: AccountFlags.creditsMustNotExceedDebits } }),
    transferCreated(transferInput(T1, { debitAccountId: B, creditAccountId: C, amount: 100n })),
  );

  it('exactly up to the debits passes', () => {
    const state = spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T2, { amount: 100n })]))
      .then([transferCreated(transferInput(T2, { amount: 100n }), NOW)])
      .stateAfter();
    assert.deepEqual(balancesOf(state, B), balances({ debitsPosted: 100n, creditsPosted: 100n }));
  });

  it('one minor unit more fails', () => {
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T2, { amount: 101n })]))
      .then([transferFailed(T2, 'exceeds_debits', NOW)])
      .thenReply(transferResults('exceeds_debits'));
  });

  it('pending credits count too', () => {
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([pendingInput(T2, { amount: 50n }), transferInput(T3, { amount: 51n })]))
      .thenReply(transferResults('ok', 'exceeds_debits'));
  });
});
