import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import { spec } from '../../support/decider-spec.js';
import {
  A,
  AccountFlags,
  B,
  C,
  D,
  NOW,
  T1,
  T2,
  T3,
  T4,
  T5,
  balances,
  balancesOf,
  createTransfers,
  linked,
  openAccounts,
  transferCreated,
  transferFailed,
  transferInput,
  transferResults,
  withCommands,
} from '../../support/ledger-fixtures.js';

/**
 * TigerBeetle's linked-events example: five transfers, of which indexes 1..3 form a chain
 * (1 and 2 carry the linked flag, 3 closes the chain). The chain succeeds or fails as one; 0 and
 * 4 are independent of it and of each other.
 */
describe('linked chains (TigerBeetle linked-events example)', () => {
  // C may only spend what it received: the chain's middle transfer depends on its first.
  const given = openAccounts({ [C]: { flags: AccountFlags.debitsMustNotExceedCredits } });
  const batch = (middleAmount: bigint) => [
    transferInput(T1), // 0: independent
    linked(transferInput(T2, { creditAccountId: C, amount: 10n })), // 1: chain start
    linked(transferInput(T3, { debitAccountId: C, creditAccountId: B, amount: middleAmount })), // 2
    transferInput(T4, { debitAccountId: B, creditAccountId: A, amount: 5n }), // 3: chain end
    transferInput(T5, { creditAccountId: C, amount: 1n }), // 4: independent
  ];

  it('all succeed: each chain item sees the effects of the previous one', () => {
    const then = spec(ledgerDecider)
      .given(given)
      .when(createTransfers(batch(10n)))
      .then(batch(10n).map((input, index) => transferCreated(input, NOW + BigInt(index))))
      .thenReply(transferResults('ok', 'ok', 'ok', 'ok', 'ok'));
    assert.deepEqual(balancesOf(then.stateAfter(), C), balances({ creditsPosted: 11n, debitsPosted: 10n }));
  });

  it('the 2nd of 3 chained transfers fails: the whole chain fails, 0 and 4 still succeed', () => {
    const then = spec(ledgerDecider)
      .given(given)
      .when(createTransfers(batch(11n)))
      // Nothing of the chain is recorded, not even the transient failure of its middle item.
      .then([transferCreated(batch(11n)[0]!, NOW), transferCreated(batch(11n)[4]!, NOW + 1n)])
      .thenReply(
        transferResults('ok', 'linked_event_failed', 'exceeds_credits', 'linked_event_failed', 'ok'),
      );
    const state = then.stateAfter();
    assert.deepEqual(balancesOf(state, A), balances({ debitsPosted: 101n }));
    assert.deepEqual(balancesOf(state, B), balances({ creditsPosted: 100n }));
    assert.deepEqual(balancesOf(state, C), balances({ creditsPosted: 1n }));
    assert.equal(state.failedTransfers.size, 0);
  });

  it('a failed chain is invisible to the transfers after it', () => {
    spec(ledgerDecider)
      .given(given)
      .when(
        createTransfers([
          linked(transferInput(T1, { creditAccountId: C, amount: 10n })),
          transferInput(T2, { amount: 0n }),
          // Would pass if T1 had happened: C received nothing after all.
          transferInput(T3, { debitAccountId: C, creditAccountId: B, amount: 10n }),
        ]),
      )
      .then([transferFailed(T3, 'exceeds_credits', NOW)])
      .thenReply(transferResults('linked_event_failed', 'amount_must_not_be_zero', 'exceeds_credits'));
  });

  it('a batch ending with an open chain: its last item gets linked_event_chain_open, the rest linked_event_failed', () => {
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T1), linked(transferInput(T2)), linked(transferInput(T3))]))
      .then([transferCreated(transferInput(T1), NOW)])
      .thenReply(transferResults('ok', 'linked_event_failed', 'linked_event_chain_open'));
  });

  it('an open chain whose first item fails on its own keeps that item’s result', () => {
    spec(ledgerDecider)
      .given(given)
      .when(
        createTransfers([
          linked(transferInput(T1, { amount: 0n })),
          linked(transferInput(T2)),
          linked(transferInput(T3)),
        ]),
      )
      .then([])
      .thenReply(
        transferResults('amount_must_not_be_zero', 'linked_event_failed', 'linked_event_chain_open'),
      );
  });

  it('a chain after an independent failure is not affected by it', () => {
    spec(ledgerDecider)
      .given(given)
      .when(
        createTransfers([
          transferInput(T1, { debitAccountId: D }),
          linked(transferInput(T2)),
          transferInput(T3, { debitAccountId: B, creditAccountId: C }),
        ]),
      )
      .then([
        transferFailed(T1, 'debit_account_not_found', NOW),
        transferCreated(linked(transferInput(T2)), NOW + 1n),
        transferCreated(transferInput(T3, { debitAccountId: B, creditAccountId: C }), NOW + 2n),
      ])
      .thenReply(transferResults('debit_account_not_found', 'ok', 'ok'));
  });

  it('several chains in one batch succeed or fail independently', () => {
    spec(ledgerDecider)
      .given(given)
      .when(
        createTransfers([
          linked(transferInput(T1)),
          transferInput(T2, { creditAccountId: A }),
          linked(transferInput(T3)),
          transferInput(T4),
        ]),
      )
      .then([transferCreated(linked(transferInput(T3)), NOW), transferCreated(transferInput(T4), NOW + 1n)])
      .thenReply(transferResults('linked_event_failed', 'accounts_must_be_different', 'ok', 'ok'));
  });

  it('a transient failure inside a chain is not kept: the id can be used again', () => {
    const first = createTransfers([linked(transferInput(T1, { debitAccountId: D })), transferInput(T2)]);
    spec(ledgerDecider)
      .given(given)
      .when(first)
      .then([])
      .thenReply(transferResults('debit_account_not_found', 'linked_event_failed'));
    spec(ledgerDecider)
      .given(withCommands(given, first))
      .when(createTransfers([linked(transferInput(T1)), transferInput(T2)]))
      .thenReply(transferResults('ok', 'ok'));
  });

  it('retrying a chain that was created: exists breaks the chain, as in TigerBeetle', () => {
    const chain = [linked(transferInput(T1)), transferInput(T2)];
    spec(ledgerDecider)
      .given(withCommands(given, createTransfers(chain)))
      .when(createTransfers(chain))
      .then([])
      .thenReply(transferResults('exists', 'linked_event_failed'));
  });
});
