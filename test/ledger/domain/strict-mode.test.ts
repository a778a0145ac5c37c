import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeAccountResult } from '../../../src/ledger/domain/create-accounts.decide.js';
import { describeTransferResult } from '../../../src/ledger/domain/create-transfers.decide.js';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import { CREATE_ACCOUNT_RESULTS, CREATE_TRANSFER_RESULTS } from '../../../src/ledger/domain/model.js';
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
  accountCreated,
  accountInput,
  accountResults,
  createAccounts,
  createTransfers,
  history,
  linked,
  openAccounts,
  transferCreated,
  transferFailed,
  transferInput,
  transferResults,
} from '../../support/ledger-fixtures.js';

describe('strict mode: bad input refuses the whole batch', () => {
  const accounts = openAccounts();
  const batch = [
    transferInput(T1),
    transferInput(T2, { amount: 0n }),
    transferInput(T3, { debitAccountId: D }),
    transferInput(T4, { creditAccountId: A }),
  ];

  it('rejects with a 422 listing every invalid item, and records nothing', () => {
    const then = spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers(batch, { strict: true }))
      .thenRejects('transfer_batch_invalid', (rejection) => {
        assert.equal(rejection.status, 422);
        assert.equal(rejection.title, 'Invalid transfer batch');
        assert.match(rejection.detail, /3 of 4 transfers/);
        assert.deepEqual(rejection.errors, [
          {
            index: 1,
            code: 'amount_must_not_be_zero',
            detail: describeTransferResult('amount_must_not_be_zero'),
          },
          // Not an outcome worth recording in strict mode: naming an unknown account is a client error.
          {
            index: 2,
            code: 'debit_account_not_found',
            detail: describeTransferResult('debit_account_not_found'),
          },
          {
            index: 3,
            code: 'accounts_must_be_different',
            detail: describeTransferResult('accounts_must_be_different'),
          },
        ]);
      });
    assert.equal(then.decision.kind, 'rejected');
    assert.equal(then.stateAfter().transfers.size, 0);
  });

  it('the same batch without strict mode is accepted item by item', () => {
    spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers(batch))
      .then([
        transferCreated(transferInput(T1), NOW),
        transferFailed(T3, 'debit_account_not_found', NOW + 1n),
      ])
      .thenReply(
        transferResults(
          'ok',
          'amount_must_not_be_zero',
          'debit_account_not_found',
          'accounts_must_be_different',
        ),
      );
  });

  it('outcomes of the ledger’s state are not bad input: the batch is accepted', () => {
    const given = history(
      ...openAccounts({ [C]: { flags: AccountFlags.debitsMustNotExceedCredits } }),
      transferCreated(transferInput(T1)),
      transferFailed(T2, 'exceeds_credits'),
    );
    spec(ledgerDecider)
      .given(given)
      .when(
        createTransfers(
          [
            transferInput(T1),
            transferInput(T2),
            transferInput(T3, { debitAccountId: C }),
            linked(transferInput(T4)),
            transferInput(T5, { debitAccountId: C }),
          ],
          { strict: true },
        ),
      )
      .then([transferFailed(T3, 'exceeds_credits', NOW)])
      .thenReply(
        transferResults(
          'exists',
          'id_already_failed',
          'exceeds_credits',
          'linked_event_failed',
          'exceeds_credits',
        ),
      );
  });

  it('in a chain, the bad item is listed, not its siblings that failed because of it', () => {
    spec(ledgerDecider)
      .given(accounts)
      .when(
        createTransfers(
          [linked(transferInput(T1)), linked(transferInput(T2, { code: 0 })), transferInput(T3)],
          {
            strict: true,
          },
        ),
      )
      .thenRejects('transfer_batch_invalid', (rejection) => {
        assert.deepEqual(rejection.errors, [
          {
            index: 1,
            code: 'code_must_not_be_zero',
            detail: describeTransferResult('code_must_not_be_zero'),
          },
        ]);
      });
  });

  it('an open chain at the end of the batch is bad input', () => {
    spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers([transferInput(T1), linked(transferInput(T2))], { strict: true }))
      .thenRejects('transfer_batch_invalid', (rejection) => {
        assert.deepEqual(
          rejection.errors?.map((error) => [error.index, error.code]),
          [[1, 'linked_event_chain_open']],
        );
      });
  });

  it('accounts: bad input refuses the batch with account_batch_invalid', () => {
    spec(ledgerDecider)
      .given(history(accountCreated(accountInput(A))))
      .when(
        createAccounts(
          [accountInput(A), accountInput(B, { code: 0 }), accountInput(C, { currency: 'CNY', code: 2 })],
          { strict: true },
        ),
      )
      .thenRejects('account_batch_invalid', (rejection) => {
        assert.equal(rejection.status, 422);
        assert.deepEqual(rejection.errors, [
          { index: 1, code: 'code_must_not_be_zero', detail: describeAccountResult('code_must_not_be_zero') },
        ]);
      });
  });

  it('accounts: exists is a state-dependent outcome, so a retry is accepted', () => {
    spec(ledgerDecider)
      .given(history(accountCreated(accountInput(A))))
      .when(createAccounts([accountInput(A), accountInput(B)], { strict: true }))
      .then([accountCreated(accountInput(B), NOW)])
      .thenReply(accountResults('exists', 'ok'));
  });

  it('accounts: a different account under an existing id is bad input', () => {
    spec(ledgerDecider)
      .given(history(accountCreated(accountInput(A))))
      .when(createAccounts([accountInput(A, { code: 9 })], { strict: true }))
      .thenRejects('account_batch_invalid', (rejection) => {
        assert.equal(rejection.errors?.[0]?.code, 'exists_with_different_code');
      });
  });
});

describe('result descriptions', () => {
  it('every transfer result has its own human sentence', () => {
    const sentences = CREATE_TRANSFER_RESULTS.map(describeTransferResult);
    for (const sentence of sentences) assert.match(sentence, /^[A-Z].*\.$/);
    assert.equal(new Set(sentences).size, sentences.length);
  });

  it('every account result has its own human sentence', () => {
    const sentences = CREATE_ACCOUNT_RESULTS.map(describeAccountResult);
    for (const sentence of sentences) assert.match(sentence, /^[A-Z].*\.$/);
    assert.equal(new Set(sentences).size, sentences.length);
  });
});
