import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ID_INT_MAX, ID_ZERO } from '../../../src/ledger/domain/id.js';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import type { LedgerEvent } from '../../../src/ledger/domain/ledger.events.js';
import type { CreateTransferResult, TransferInput } from '../../../src/ledger/domain/model.js';
import { spec } from '../../support/decider-spec.js';
import {
  A,
  AccountFlags,
  AMOUNT_MAX,
  B,
  C,
  D,
  NOW,
  SECOND,
  T1,
  T2,
  T3,
  T9,
  TransferFlags,
  U,
  accountId,
  balances,
  balancesOf,
  createTransfers,
  history,
  linked,
  openAccounts,
  pendingExpired,
  pendingInput,
  postInput,
  storedTransfer,
  transferCreated,
  transferFailed,
  transferInput,
  transferResults,
  voidInput,
  withCommands,
} from '../../support/ledger-fixtures.js';

/** One batch and the results it must get. */
interface Case {
  readonly given: readonly LedgerEvent[];
  readonly transfers: readonly TransferInput[];
  readonly now?: bigint;
  readonly results: readonly CreateTransferResult[];
}

const accounts = openAccounts();
const withT1 = history(...accounts, transferCreated(transferInput(T1)));
const withPendingT1 = history(...accounts, transferCreated(pendingInput(T1)));
const limited = (flags: number, id = A) => openAccounts({ [id]: { flags } });

/**
 * A batch that produces each result code. Typed as a record over every code, so adding a code
 * to the model without a case here does not compile.
 */
const CASES: { readonly [R in CreateTransferResult]: Case } = {
  ok: { given: accounts, transfers: [transferInput(T1)], results: ['ok'] },
  linked_event_failed: {
    given: accounts,
    transfers: [linked(transferInput(T1)), transferInput(T2, { amount: 0n })],
    results: ['linked_event_failed', 'amount_must_not_be_zero'],
  },
  linked_event_chain_open: {
    given: accounts,
    transfers: [linked(transferInput(T1))],
    results: ['linked_event_chain_open'],
  },
  id_must_not_be_zero: {
    given: accounts,
    transfers: [transferInput(ID_ZERO)],
    results: ['id_must_not_be_zero'],
  },
  id_must_not_be_int_max: {
    given: accounts,
    transfers: [transferInput(ID_INT_MAX)],
    results: ['id_must_not_be_int_max'],
  },
  exists_with_different_flags: {
    given: withT1,
    transfers: [transferInput(T1, { flags: TransferFlags.pending })],
    results: ['exists_with_different_flags'],
  },
  exists_with_different_pending_id: {
    given: withT1,
    transfers: [transferInput(T1, { pendingId: T9 })],
    results: ['exists_with_different_pending_id'],
  },
  exists_with_different_timeout: {
    given: history(...accounts, transferCreated(pendingInput(T1, { timeout: 60 }))),
    transfers: [pendingInput(T1, { timeout: 30 })],
    results: ['exists_with_different_timeout'],
  },
  exists_with_different_debit_account_id: {
    given: withT1,
    transfers: [transferInput(T1, { debitAccountId: C })],
    results: ['exists_with_different_debit_account_id'],
  },
  exists_with_different_credit_account_id: {
    given: withT1,
    transfers: [transferInput(T1, { creditAccountId: C })],
    results: ['exists_with_different_credit_account_id'],
  },
  exists_with_different_amount: {
    given: withT1,
    transfers: [transferInput(T1, { amount: 200n })],
    results: ['exists_with_different_amount'],
  },
  exists_with_different_user_data_128: {
    given: withT1,
    transfers: [transferInput(T1, { userData128: accountId(99) })],
    results: ['exists_with_different_user_data_128'],
  },
  exists_with_different_user_data_64: {
    given: withT1,
    transfers: [transferInput(T1, { userData64: 7n })],
    results: ['exists_with_different_user_data_64'],
  },
  exists_with_different_user_data_32: {
    given: withT1,
    transfers: [transferInput(T1, { userData32: 7 })],
    results: ['exists_with_different_user_data_32'],
  },
  exists_with_different_ledger: {
    given: withT1,
    transfers: [transferInput(T1, { currency: 'USD' })],
    results: ['exists_with_different_ledger'],
  },
  exists_with_different_code: {
    given: withT1,
    transfers: [transferInput(T1, { code: 2 })],
    results: ['exists_with_different_code'],
  },
  exists: { given: withT1, transfers: [transferInput(T1)], results: ['exists'] },
  id_already_failed: {
    given: history(...accounts, transferFailed(T1, 'debit_account_not_found')),
    transfers: [transferInput(T1)],
    results: ['id_already_failed'],
  },
  flags_are_mutually_exclusive: {
    given: accounts,
    transfers: [
      transferInput(T1, { flags: TransferFlags.pending | TransferFlags.postPendingTransfer }),
      postInput(T2, T9, { flags: TransferFlags.postPendingTransfer | TransferFlags.voidPendingTransfer }),
    ],
    results: ['flags_are_mutually_exclusive', 'flags_are_mutually_exclusive'],
  },
  debit_account_id_must_not_be_zero: {
    given: accounts,
    transfers: [transferInput(T1, { debitAccountId: null }), transferInput(T2, { debitAccountId: ID_ZERO })],
    results: ['debit_account_id_must_not_be_zero', 'debit_account_id_must_not_be_zero'],
  },
  debit_account_id_must_not_be_int_max: {
    given: accounts,
    transfers: [transferInput(T1, { debitAccountId: ID_INT_MAX })],
    results: ['debit_account_id_must_not_be_int_max'],
  },
  credit_account_id_must_not_be_zero: {
    given: accounts,
    transfers: [
      transferInput(T1, { creditAccountId: null }),
      transferInput(T2, { creditAccountId: ID_ZERO }),
    ],
    results: ['credit_account_id_must_not_be_zero', 'credit_account_id_must_not_be_zero'],
  },
  credit_account_id_must_not_be_int_max: {
    given: accounts,
    transfers: [transferInput(T1, { creditAccountId: ID_INT_MAX })],
    results: ['credit_account_id_must_not_be_int_max'],
  },
  accounts_must_be_different: {
    given: accounts,
    transfers: [transferInput(T1, { creditAccountId: A })],
    results: ['accounts_must_be_different'],
  },
  pending_id_must_be_zero: {
    given: accounts,
    transfers: [transferInput(T1, { pendingId: T9 }), pendingInput(T2, { pendingId: T9 })],
    results: ['pending_id_must_be_zero', 'pending_id_must_be_zero'],
  },
  pending_id_must_not_be_zero: {
    given: withPendingT1,
    transfers: [postInput(T2, null), voidInput(T3, ID_ZERO)],
    results: ['pending_id_must_not_be_zero', 'pending_id_must_not_be_zero'],
  },
  pending_id_must_not_be_int_max: {
    given: withPendingT1,
    transfers: [postInput(T2, ID_INT_MAX)],
    results: ['pending_id_must_not_be_int_max'],
  },
  pending_id_must_be_different: {
    given: withPendingT1,
    transfers: [postInput(T2, T2)],
    results: ['pending_id_must_be_different'],
  },
  timeout_reserved_for_pending_transfer: {
    given: withPendingT1,
    transfers: [transferInput(T2, { timeout: 10 }), postInput(T3, T1, { timeout: 10 })],
    results: ['timeout_reserved_for_pending_transfer', 'timeout_reserved_for_pending_transfer'],
  },
  amount_must_not_be_zero: {
    given: withPendingT1,
    transfers: [
      transferInput(T2, { amount: 0n }),
      pendingInput(T3, { amount: null }),
      postInput(T9, T1, { amount: 0n }),
    ],
    results: ['amount_must_not_be_zero', 'amount_must_not_be_zero', 'amount_must_not_be_zero'],
  },
  ledger_must_not_be_zero: {
    given: accounts,
    transfers: [transferInput(T1, { currency: null })],
    results: ['ledger_must_not_be_zero'],
  },
  code_must_not_be_zero: {
    given: accounts,
    transfers: [transferInput(T1, { code: 0 }), transferInput(T2, { code: null })],
    results: ['code_must_not_be_zero', 'code_must_not_be_zero'],
  },
  debit_account_not_found: {
    given: accounts,
    transfers: [transferInput(T1, { debitAccountId: D })],
    results: ['debit_account_not_found'],
  },
  credit_account_not_found: {
    given: accounts,
    transfers: [transferInput(T1, { creditAccountId: D })],
    results: ['credit_account_not_found'],
  },
  accounts_must_have_the_same_ledger: {
    given: accounts,
    transfers: [transferInput(T1, { creditAccountId: U })],
    results: ['accounts_must_have_the_same_ledger'],
  },
  transfer_must_have_the_same_ledger_as_accounts: {
    given: accounts,
    transfers: [transferInput(T1, { currency: 'USD' })],
    results: ['transfer_must_have_the_same_ledger_as_accounts'],
  },
  pending_transfer_not_found: {
    given: accounts,
    transfers: [postInput(T2, T9)],
    results: ['pending_transfer_not_found'],
  },
  pending_transfer_not_pending: {
    given: withT1,
    transfers: [postInput(T2, T1)],
    results: ['pending_transfer_not_pending'],
  },
  pending_transfer_has_different_debit_account_id: {
    given: withPendingT1,
    transfers: [postInput(T2, T1, { debitAccountId: C })],
    results: ['pending_transfer_has_different_debit_account_id'],
  },
  pending_transfer_has_different_credit_account_id: {
    given: withPendingT1,
    transfers: [voidInput(T2, T1, { creditAccountId: C })],
    results: ['pending_transfer_has_different_credit_account_id'],
  },
  pending_transfer_has_different_ledger: {
    given: withPendingT1,
    transfers: [postInput(T2, T1, { currency: 'USD' })],
    results: ['pending_transfer_has_different_ledger'],
  },
  pending_transfer_has_different_code: {
    given: withPendingT1,
    transfers: [postInput(T2, T1, { code: 2 })],
    results: ['pending_transfer_has_different_code'],
  },
  exceeds_pending_transfer_amount: {
    given: withPendingT1,
    transfers: [postInput(T2, T1, { amount: 101n })],
    results: ['exceeds_pending_transfer_amount'],
  },
  pending_transfer_has_different_amount: {
    given: withPendingT1,
    transfers: [voidInput(T2, T1, { amount: 50n })],
    results: ['pending_transfer_has_different_amount'],
  },
  pending_transfer_already_posted: {
    given: withCommands(withPendingT1, createTransfers([postInput(T2, T1)])),
    transfers: [postInput(T3, T1), voidInput(T9, T1)],
    results: ['pending_transfer_already_posted', 'pending_transfer_already_posted'],
  },
  pending_transfer_already_voided: {
    given: withCommands(withPendingT1, createTransfers([voidInput(T2, T1)])),
    transfers: [postInput(T3, T1), voidInput(T9, T1)],
    results: ['pending_transfer_already_voided', 'pending_transfer_already_voided'],
  },
  pending_transfer_expired: {
    given: history(
      ...accounts,
      transferCreated(pendingInput(T1, { timeout: 1 })),
      pendingExpired(storedTransfer(pendingInput(T1, { timeout: 1 }))),
    ),
    transfers: [postInput(T2, T1), voidInput(T3, T1)],
    now: 2n * SECOND,
    results: ['pending_transfer_expired', 'pending_transfer_expired'],
  },
  overflows_debits_pending: {
    given: history(...accounts, transferCreated(pendingInput(T1, { amount: AMOUNT_MAX }))),
    transfers: [pendingInput(T2, { creditAccountId: C, amount: 1n })],
    results: ['overflows_debits_pending'],
  },
  overflows_credits_pending: {
    given: history(...accounts, transferCreated(pendingInput(T1, { amount: AMOUNT_MAX }))),
    transfers: [pendingInput(T2, { debitAccountId: C, amount: 1n })],
    results: ['overflows_credits_pending'],
  },
  overflows_debits_posted: {
    given: history(...accounts, transferCreated(transferInput(T1, { amount: AMOUNT_MAX }))),
    transfers: [transferInput(T2, { creditAccountId: C, amount: 1n })],
    results: ['overflows_debits_posted'],
  },
  overflows_credits_posted: {
    given: history(...accounts, transferCreated(transferInput(T1, { amount: AMOUNT_MAX }))),
    transfers: [transferInput(T2, { debitAccountId: C, amount: 1n })],
    results: ['overflows_credits_posted'],
  },
  overflows_debits: {
    // Neither the pending nor the posted debits overflow alone; their sum would.
    given: history(...accounts, transferCreated(pendingInput(T1, { amount: 10n }))),
    transfers: [transferInput(T2, { creditAccountId: C, amount: AMOUNT_MAX - 5n })],
    results: ['overflows_debits'],
  },
  overflows_credits: {
    given: history(...accounts, transferCreated(pendingInput(T1, { amount: 10n }))),
    transfers: [transferInput(T2, { debitAccountId: C, amount: AMOUNT_MAX - 5n })],
    results: ['overflows_credits'],
  },
  overflows_timeout: {
    given: accounts,
    transfers: [pendingInput(T1, { timeout: 1 })],
    now: AMOUNT_MAX - SECOND + 1n,
    results: ['overflows_timeout'],
  },
  exceeds_credits: {
    given: limited(AccountFlags.debitsMustNotExceedCredits, A),
    transfers: [transferInput(T1, { amount: 1n })],
    results: ['exceeds_credits'],
  },
  exceeds_debits: {
    given: limited(AccountFlags.creditsMustNotExceedDebits, B),
    transfers: [transferInput(T1, { amount: 1n })],
    results: ['exceeds_debits'],
  },
};

describe('create transfers: every result code', () => {
  for (const [code, c] of Object.entries(CASES)) {
    it(`${code}`, () => {
      spec(ledgerDecider)
        .given(c.given)
        .when(createTransfers(c.transfers, { now: c.now ?? NOW }))
        .thenReply(transferResults(...c.results));
    });
  }
});

describe('create transfers: precedence (first applicable result wins)', () => {
  it('a reserved id wins over every other problem', () => {
    spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers([transferInput(ID_ZERO, { amount: 0n, debitAccountId: null })]))
      .thenReply(transferResults('id_must_not_be_zero'));
  });

  it('of two differing fields of an existing transfer, the earlier in precedence is reported', () => {
    spec(ledgerDecider)
      .given(withT1)
      .when(
        createTransfers([
          transferInput(T1, { flags: TransferFlags.pending, amount: 1n }),
          transferInput(T1, { amount: 1n, code: 9 }),
        ]),
      )
      .thenReply(transferResults('exists_with_different_flags', 'exists_with_different_amount'));
  });

  it('exists wins over balance checks: a retry is not re-judged against the balance it changed', () => {
    const given = withCommands(
      openAccounts({ [A]: { flags: AccountFlags.debitsMustNotExceedCredits } }),
      createTransfers([transferInput(T1, { debitAccountId: C, creditAccountId: A })]),
      createTransfers([transferInput(T2)]),
    );
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T2), transferInput(T3)]))
      .thenReply(transferResults('exists', 'exceeds_credits'));
  });

  it('id_already_failed wins over validation of the retried input', () => {
    spec(ledgerDecider)
      .given(history(...accounts, transferFailed(T1, 'exceeds_credits')))
      .when(createTransfers([transferInput(T1, { amount: 0n })]))
      .thenReply(transferResults('id_already_failed'));
  });

  it('a missing debit account id wins over a zero amount, and debit_account_not_found over credit', () => {
    spec(ledgerDecider)
      .given(accounts)
      .when(
        createTransfers([
          transferInput(T1, { debitAccountId: null, amount: 0n }),
          transferInput(T2, { debitAccountId: D, creditAccountId: accountId(5) }),
        ]),
      )
      .thenReply(transferResults('debit_account_id_must_not_be_zero', 'debit_account_not_found'));
  });

  it('accounts in different currencies win over the transfer currency mismatch', () => {
    spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers([transferInput(T1, { creditAccountId: U, currency: 'EUR' })]))
      .thenReply(transferResults('accounts_must_have_the_same_ledger'));
  });

  it('exceeds_pending_transfer_amount wins over pending_transfer_already_posted', () => {
    spec(ledgerDecider)
      .given(withCommands(withPendingT1, createTransfers([postInput(T2, T1)])))
      .when(createTransfers([postInput(T3, T1, { amount: 101n })]))
      .thenReply(transferResults('exceeds_pending_transfer_amount'));
  });

  it('already posted wins over expired once the timeout has passed', () => {
    const given = withCommands(
      history(...accounts, transferCreated(pendingInput(T1, { timeout: 1 }))),
      createTransfers([postInput(T2, T1)]),
    );
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([postInput(T3, T1)], { now: 5n * SECOND }))
      .thenReply(transferResults('pending_transfer_already_posted'));
  });

  it('a single-phase transfer is not checked against pending overflow but against the total', () => {
    spec(ledgerDecider)
      .given(history(...accounts, transferCreated(pendingInput(T1, { amount: AMOUNT_MAX }))))
      .when(createTransfers([transferInput(T2, { creditAccountId: C, amount: 1n })]))
      .thenReply(transferResults('overflows_debits'));
  });

  it('an overflow wins over exceeds_credits', () => {
    const given = history(
      ...openAccounts({ [A]: { flags: AccountFlags.debitsMustNotExceedCredits } }),
      transferCreated(transferInput(T1, { debitAccountId: C, creditAccountId: A, amount: AMOUNT_MAX })),
      transferCreated(transferInput(T2, { amount: 10n })),
    );
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T3, { amount: AMOUNT_MAX - 5n })]))
      .thenReply(transferResults('overflows_debits_posted'));
  });

  it('exceeds_credits wins over exceeds_debits', () => {
    const given = openAccounts({
      [A]: { flags: AccountFlags.debitsMustNotExceedCredits },
      [B]: { flags: AccountFlags.creditsMustNotExceedDebits },
    });
    spec(ledgerDecider)
      .given(given)
      .when(createTransfers([transferInput(T1, { amount: 1n })]))
      .thenReply(transferResults('exceeds_credits'));
  });
});

describe('create transfers: events and balances', () => {
  it('a single-phase transfer posts its amount on both accounts', () => {
    const then = spec(ledgerDecider)
      .given(accounts)
      .when(
        createTransfers([
          transferInput(T1, { userData128: accountId(77), userData64: 5n, userData32: 6, code: 42 }),
        ]),
      )
      .then([
        transferCreated(
          transferInput(T1, { userData128: accountId(77), userData64: 5n, userData32: 6, code: 42 }),
          NOW,
        ),
      ])
      .thenReply(transferResults('ok'));
    const state = then.stateAfter();
    assert.deepEqual(balancesOf(state, A), balances({ debitsPosted: 100n }));
    assert.deepEqual(balancesOf(state, B), balances({ creditsPosted: 100n }));
  });

  it('stores a zero pending id as none', () => {
    spec(ledgerDecider)
      .given(accounts)
      .when(createTransfers([transferInput(T1, { pendingId: ID_ZERO })]))
      .then([transferCreated(transferInput(T1), NOW)]);
  });

  it('later transfers of a batch see the balances earlier ones left', () => {
    const then = spec(ledgerDecider)
      .given(openAccounts({ [B]: { flags: AccountFlags.debitsMustNotExceedCredits } }))
      .when(
        createTransfers([
          transferInput(T1, { debitAccountId: B, creditAccountId: C }),
          transferInput(T2),
          transferInput(T3, { debitAccountId: B, creditAccountId: C }),
          transferInput(T3, { debitAccountId: B, creditAccountId: C }),
        ]),
      )
      .thenReply(transferResults('exceeds_credits', 'ok', 'ok', 'exists'));
    assert.deepEqual(balancesOf(then.stateAfter(), B), balances({ creditsPosted: 100n, debitsPosted: 100n }));
  });
});
