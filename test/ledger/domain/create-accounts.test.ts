import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ID_INT_MAX, ID_ZERO } from '../../../src/ledger/domain/id.js';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import type { LedgerEvent } from '../../../src/ledger/domain/ledger.events.js';
import type { AccountInput, CreateAccountResult } from '../../../src/ledger/domain/model.js';
import { spec } from '../../support/decider-spec.js';
import {
  A,
  AccountFlags,
  B,
  C,
  NOW,
  accountCreated,
  accountId,
  accountInput,
  accountResults,
  createAccounts,
  history,
  linked,
} from '../../support/ledger-fixtures.js';

interface Case {
  readonly given: readonly LedgerEvent[];
  readonly accounts: readonly AccountInput[];
  readonly results: readonly CreateAccountResult[];
}

const withA = history(accountCreated(accountInput(A)));
const bothLimits = AccountFlags.debitsMustNotExceedCredits | AccountFlags.creditsMustNotExceedDebits;

/** A batch that produces each account result code; a record over every code, checked by tsc. */
const CASES: { readonly [R in CreateAccountResult]: Case } = {
  ok: { given: [], accounts: [accountInput(A)], results: ['ok'] },
  linked_event_failed: {
    given: [],
    accounts: [linked(accountInput(A)), accountInput(B, { code: 0 })],
    results: ['linked_event_failed', 'code_must_not_be_zero'],
  },
  linked_event_chain_open: {
    given: [],
    accounts: [accountInput(A), linked(accountInput(B))],
    results: ['ok', 'linked_event_chain_open'],
  },
  id_must_not_be_zero: { given: [], accounts: [accountInput(ID_ZERO)], results: ['id_must_not_be_zero'] },
  id_must_not_be_int_max: {
    given: [],
    accounts: [accountInput(ID_INT_MAX)],
    results: ['id_must_not_be_int_max'],
  },
  exists_with_different_flags: {
    given: withA,
    accounts: [accountInput(A, { flags: AccountFlags.debitsMustNotExceedCredits })],
    results: ['exists_with_different_flags'],
  },
  exists_with_different_user_data_128: {
    given: withA,
    accounts: [accountInput(A, { userData128: accountId(99) })],
    results: ['exists_with_different_user_data_128'],
  },
  exists_with_different_user_data_64: {
    given: withA,
    accounts: [accountInput(A, { userData64: 1n })],
    results: ['exists_with_different_user_data_64'],
  },
  exists_with_different_user_data_32: {
    given: withA,
    accounts: [accountInput(A, { userData32: 1 })],
    results: ['exists_with_different_user_data_32'],
  },
  exists_with_different_ledger: {
    given: withA,
    accounts: [accountInput(A, { currency: 'HKD' })],
    results: ['exists_with_different_ledger'],
  },
  exists_with_different_code: {
    given: withA,
    accounts: [accountInput(A, { code: 2 })],
    results: ['exists_with_different_code'],
  },
  exists: { given: withA, accounts: [accountInput(A)], results: ['exists'] },
  flags_are_mutually_exclusive: {
    given: [],
    accounts: [accountInput(A, { flags: bothLimits })],
    results: ['flags_are_mutually_exclusive'],
  },
  code_must_not_be_zero: {
    given: [],
    accounts: [accountInput(A, { code: 0 })],
    results: ['code_must_not_be_zero'],
  },
};

describe('create accounts: every result code', () => {
  for (const [code, c] of Object.entries(CASES)) {
    it(code, () => {
      spec(ledgerDecider)
        .given(c.given)
        .when(createAccounts(c.accounts))
        .thenReply(accountResults(...c.results));
    });
  }
});

describe('create accounts: precedence', () => {
  it('a reserved id wins over invalid flags and code', () => {
    spec(ledgerDecider)
      .given([])
      .when(createAccounts([accountInput(ID_ZERO, { flags: bothLimits, code: 0 })]))
      .thenReply(accountResults('id_must_not_be_zero'));
  });

  it('an existing id is compared before the input is validated', () => {
    spec(ledgerDecider)
      .given(withA)
      .when(createAccounts([accountInput(A, { flags: bothLimits, code: 0 })]))
      .thenReply(accountResults('exists_with_different_flags'));
  });

  it('of several differing fields, the earliest in precedence is reported', () => {
    spec(ledgerDecider)
      .given(withA)
      .when(createAccounts([accountInput(A, { userData64: 1n, currency: 'USD', code: 3 })]))
      .thenReply(accountResults('exists_with_different_user_data_64'));
  });

  it('mutually exclusive flags win over a zero code', () => {
    spec(ledgerDecider)
      .given([])
      .when(createAccounts([accountInput(A, { flags: bothLimits, code: 0 })]))
      .thenReply(accountResults('flags_are_mutually_exclusive'));
  });
});

describe('create accounts: events', () => {
  it('creates accounts with zero balances, the ledger stream of their currency and increasing timestamps', () => {
    const input = accountInput(B, {
      currency: 'HKD',
      code: 65535,
      flags: AccountFlags.debitsMustNotExceedCredits,
      userData128: accountId(50),
      userData64: 64n,
      userData32: 32,
    });
    const then = spec(ledgerDecider)
      .given([])
      .when(createAccounts([accountInput(A), input]))
      .then([accountCreated(accountInput(A), NOW), accountCreated(input, NOW + 1n)])
      .thenReply(accountResults('ok', 'ok'));
    assert.equal(then.decision.kind === 'accepted' && then.decision.events[1]?.streamId, 'ledger-HKD');
    const state = then.stateAfter();
    assert.equal(state.accounts.size, 2);
    assert.equal(state.lastTimestamp.value, NOW + 1n);
  });

  it('a retried identical batch is idempotent: exists, and nothing happens', () => {
    spec(ledgerDecider)
      .given(history(accountCreated(accountInput(A)), accountCreated(accountInput(B))))
      .when(createAccounts([accountInput(A), accountInput(B), accountInput(C)]))
      .then([accountCreated(accountInput(C), NOW)])
      .thenReply(accountResults('exists', 'exists', 'ok'));
  });

  it('a later account of the batch sees an earlier one with the same id', () => {
    spec(ledgerDecider)
      .given([])
      .when(createAccounts([accountInput(A), accountInput(A), accountInput(A, { code: 7 })]))
      .then([accountCreated(accountInput(A), NOW)])
      .thenReply(accountResults('ok', 'exists', 'exists_with_different_code'));
  });

  it('a failed linked chain of accounts creates none of them', () => {
    spec(ledgerDecider)
      .given([])
      .when(
        createAccounts([
          linked(accountInput(A)),
          linked(accountInput(B)),
          accountInput(C, { flags: bothLimits }),
          accountInput(accountId(9)),
        ]),
      )
      .then([accountCreated(accountInput(accountId(9)), NOW)])
      .thenReply(
        accountResults('linked_event_failed', 'linked_event_failed', 'flags_are_mutually_exclusive', 'ok'),
      );
  });

  it('a linked chain of accounts that holds is created whole, keeping the linked flag as submitted', () => {
    spec(ledgerDecider)
      .given([])
      .when(createAccounts([linked(accountInput(A)), accountInput(B)]))
      .then([accountCreated(linked(accountInput(A)), NOW), accountCreated(accountInput(B), NOW + 1n)])
      .thenReply(accountResults('ok', 'ok'));
  });

  it('an empty batch is accepted with no results', () => {
    spec(ledgerDecider).given([]).when(createAccounts([])).then([]).thenReply(accountResults());
  });
});
