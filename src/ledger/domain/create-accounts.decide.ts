import { ID_INT_MAX, ID_ZERO } from './id.js';
import type { ItemOutcome, LedgerView } from './ledger.decider.js';
import { ledgerStreamId, type AccountCreated } from './ledger.events.js';
import { AccountFlags, type Account, type AccountInput, type CreateAccountResult } from './model.js';

/**
 * The rules for creating one account, checked in the precedence order of
 * CREATE_ACCOUNT_RESULTS: the first rule that applies gives the result. Batch concerns (linked
 * chains, strict mode) are in ledger.decider.ts.
 */

type Outcome = ItemOutcome<CreateAccountResult>;

function fail(result: CreateAccountResult): Outcome {
  return result;
}

/** Decides one account against the ledger as the batch has left it so far. */
export function decideAccount(input: AccountInput, view: LedgerView, now: bigint): Outcome {
  if (input.id === ID_ZERO) return fail('id_must_not_be_zero');
  if (input.id === ID_INT_MAX) return fail('id_must_not_be_int_max');

  const existing = view.account(input.id);
  if (existing !== undefined) return fail(compareWithExisting(input, existing));

  const limits = AccountFlags.debitsMustNotExceedCredits | AccountFlags.creditsMustNotExceedDebits;
  if ((input.flags & limits) === limits) return fail('flags_are_mutually_exclusive');
  if (input.code === 0) return fail('code_must_not_be_zero');

  // Copy field by field: the input may be a wider object from the HTTP layer.
  const account: Account = {
    id: input.id,
    currency: input.currency,
    code: input.code,
    flags: input.flags,
    userData128: input.userData128,
    userData64: input.userData64,
    userData32: input.userData32,
    debitsPending: 0n,
    debitsPosted: 0n,
    creditsPending: 0n,
    creditsPosted: 0n,
    timestamp: view.nextTimestamp(now),
  };
  const event: AccountCreated = {
    type: 'AccountCreated',
    streamId: ledgerStreamId(account.currency),
    data: { account },
  };
  return event;
}

/** Same id: `exists` when every field matches (a safe retry), else the first field that differs. */
function compareWithExisting(input: AccountInput, existing: Account): CreateAccountResult {
  if (input.flags !== existing.flags) return 'exists_with_different_flags';
  if (input.userData128 !== existing.userData128) return 'exists_with_different_user_data_128';
  if (input.userData64 !== existing.userData64) return 'exists_with_different_user_data_64';
  if (input.userData32 !== existing.userData32) return 'exists_with_different_user_data_32';
  if (input.currency !== existing.currency) return 'exists_with_different_ledger';
  if (input.code !== existing.code) return 'exists_with_different_code';
  return 'exists';
}

const ACCOUNT_RESULT_DESCRIPTIONS: { readonly [R in CreateAccountResult]: string } = {
  ok: 'The account was created.',
  linked_event_failed: 'The account was not created because another account in its linked chain failed.',
  linked_event_chain_open:
    'The account was not created: it is the last of the batch but has the linked flag, which leaves its chain open.',
  id_must_not_be_zero: 'The account id must not be the all-zero UUID, which is reserved.',
  id_must_not_be_int_max: 'The account id must not be the all-ones UUID (ffffffff-…), which is reserved.',
  exists_with_different_flags: 'An account with this id already exists with different flags.',
  exists_with_different_user_data_128: 'An account with this id already exists with different user_data_128.',
  exists_with_different_user_data_64: 'An account with this id already exists with different user_data_64.',
  exists_with_different_user_data_32: 'An account with this id already exists with different user_data_32.',
  exists_with_different_ledger: 'An account with this id already exists in a different currency.',
  exists_with_different_code: 'An account with this id already exists with a different code.',
  exists: 'An account with this id and these fields already exists; nothing new was created.',
  flags_are_mutually_exclusive:
    'An account cannot have both debits_must_not_exceed_credits and credits_must_not_exceed_debits.',
  code_must_not_be_zero: 'The code is required and must be between 1 and 65535.',
};

/** A human sentence for an account result, for problem details and UIs. */
export function describeAccountResult(result: CreateAccountResult): string {
  return ACCOUNT_RESULT_DESCRIPTIONS[result];
}
