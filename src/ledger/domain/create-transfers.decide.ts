import { AMOUNT_MAX } from './amount.js';
import { ID_INT_MAX, ID_ZERO, type Id } from './id.js';
import type { ItemOutcome, LedgerView } from './ledger.decider.js';
import { ledgerStreamId, type TransferCreated, type TransferFailed } from './ledger.events.js';
import {
  AccountFlags,
  TransferFlags,
  type Account,
  type CreateTransferResult,
  type Transfer,
  type TransferInput,
} from './model.js';

/**
 * The rules for creating one transfer, checked in the precedence order of
 * CREATE_TRANSFER_RESULTS: the first rule that applies gives the result. Batch concerns (linked
 * chains, strict mode, recording transient failures) are in ledger.decider.ts.
 */

const SECOND_NS = 1_000_000_000n;

/**
 * ISO 4217's code for "no currency": the stream of a failure record whose transfer never named
 * a ledger (a post/void of an unknown pending transfer that inherits its currency).
 */
const NO_CURRENCY = 'XXX';

/** When a pending transfer created at `timestamp` with a timeout of `timeoutSeconds` expires (ns). */
export function expiresAt(timestamp: bigint, timeoutSeconds: number): bigint {
  return timestamp + BigInt(timeoutSeconds) * SECOND_NS;
}

type Kind = 'single' | 'pending' | 'post' | 'void';

function kindOf(flags: number): Kind | null {
  const pending = (flags & TransferFlags.pending) !== 0;
  const post = (flags & TransferFlags.postPendingTransfer) !== 0;
  const void_ = (flags & TransferFlags.voidPendingTransfer) !== 0;
  if (Number(pending) + Number(post) + Number(void_) > 1) return null;
  return pending ? 'pending' : post ? 'post' : void_ ? 'void' : 'single';
}

function resolvesPending(flags: number): boolean {
  return (flags & (TransferFlags.postPendingTransfer | TransferFlags.voidPendingTransfer)) !== 0;
}

/** TigerBeetle's zero id means "none"; null is how our API says it. */
function isUnset(id: Id | null): id is null {
  return id === null || id === ID_ZERO;
}

/** For post/void, a null or zero field is inherited from the pending transfer. */
function given<T>(value: T | null, zero: T): value is T {
  return value !== null && value !== zero;
}

type Outcome = ItemOutcome<CreateTransferResult>;

function fail(result: CreateTransferResult): Outcome {
  return result;
}

function created(transfer: Transfer): Outcome {
  const event: TransferCreated = {
    type: 'TransferCreated',
    streamId: ledgerStreamId(transfer.currency),
    data: { transfer },
  };
  return event;
}

/** Decides one transfer against the ledger as the batch has left it so far. */
export function decideTransfer(input: TransferInput, view: LedgerView, now: bigint): Outcome {
  if (input.id === ID_ZERO) return fail('id_must_not_be_zero');
  if (input.id === ID_INT_MAX) return fail('id_must_not_be_int_max');

  const existing = view.transfer(input.id);
  if (existing !== undefined) return fail(compareWithExisting(input, existing, view));
  if (view.failure(input.id) !== undefined) return fail('id_already_failed');

  const kind = kindOf(input.flags);
  if (kind === null) return fail('flags_are_mutually_exclusive');
  return kind === 'post' || kind === 'void'
    ? decidePostOrVoid(input, kind, view, now)
    : decideSingleOrPending(input, kind === 'pending', view, now);
}

/**
 * An id that exists makes the request idempotent: `exists` if it matches what was stored,
 * otherwise the first field that differs. For post/void, fields left to be inherited are not
 * compared; a null amount means "the full pending amount".
 */
function compareWithExisting(
  input: TransferInput,
  existing: Transfer,
  view: LedgerView,
): CreateTransferResult {
  const resolving = resolvesPending(input.flags);
  if (input.flags !== existing.flags) return 'exists_with_different_flags';
  if ((isUnset(input.pendingId) ? null : input.pendingId) !== existing.pendingId) {
    return 'exists_with_different_pending_id';
  }
  if (input.timeout !== existing.timeout) return 'exists_with_different_timeout';
  if (resolving) {
    if (given(input.debitAccountId, ID_ZERO) && input.debitAccountId !== existing.debitAccountId) {
      return 'exists_with_different_debit_account_id';
    }
    if (given(input.creditAccountId, ID_ZERO) && input.creditAccountId !== existing.creditAccountId) {
      return 'exists_with_different_credit_account_id';
    }
    const pending = existing.pendingId === null ? undefined : view.transfer(existing.pendingId);
    const amount = input.amount ?? pending?.amount ?? existing.amount;
    if (amount !== existing.amount) return 'exists_with_different_amount';
  } else {
    if (input.debitAccountId !== existing.debitAccountId) return 'exists_with_different_debit_account_id';
    if (input.creditAccountId !== existing.creditAccountId) return 'exists_with_different_credit_account_id';
    if (input.amount !== existing.amount) return 'exists_with_different_amount';
  }
  if (input.userData128 !== existing.userData128) return 'exists_with_different_user_data_128';
  if (input.userData64 !== existing.userData64) return 'exists_with_different_user_data_64';
  if (input.userData32 !== existing.userData32) return 'exists_with_different_user_data_32';
  if (resolving) {
    if (given(input.currency, '') && input.currency !== existing.currency)
      return 'exists_with_different_ledger';
    if (given(input.code, 0) && input.code !== existing.code) return 'exists_with_different_code';
  } else {
    if (input.currency !== existing.currency) return 'exists_with_different_ledger';
    if (input.code !== existing.code) return 'exists_with_different_code';
  }
  return 'exists';
}

function decideSingleOrPending(
  input: TransferInput,
  pending: boolean,
  view: LedgerView,
  now: bigint,
): Outcome {
  const { debitAccountId, creditAccountId, amount, currency, code, timeout } = input;
  if (isUnset(debitAccountId)) return fail('debit_account_id_must_not_be_zero');
  if (debitAccountId === ID_INT_MAX) return fail('debit_account_id_must_not_be_int_max');
  if (isUnset(creditAccountId)) return fail('credit_account_id_must_not_be_zero');
  if (creditAccountId === ID_INT_MAX) return fail('credit_account_id_must_not_be_int_max');
  if (debitAccountId === creditAccountId) return fail('accounts_must_be_different');
  if (!isUnset(input.pendingId)) return fail('pending_id_must_be_zero');
  if (timeout > 0 && !pending) return fail('timeout_reserved_for_pending_transfer');
  // Deviation from TigerBeetle >= 0.16: every transfer must move value. (A negative amount can
  // only come from a caller bypassing validation; it must never move money backwards.)
  if (amount === null || amount <= 0n) return fail('amount_must_not_be_zero');
  if (currency === null || currency === '') return fail('ledger_must_not_be_zero');
  if (code === null || code === 0) return fail('code_must_not_be_zero');

  const dr = view.account(debitAccountId);
  if (dr === undefined) return fail('debit_account_not_found');
  const cr = view.account(creditAccountId);
  if (cr === undefined) return fail('credit_account_not_found');
  if (dr.currency !== cr.currency) return fail('accounts_must_have_the_same_ledger');
  if (currency !== dr.currency) return fail('transfer_must_have_the_same_ledger_as_accounts');

  const overflow = mayOverflow(amount, dr, cr) ? overflowOf(pending, amount, dr, cr) : null;
  if (overflow !== null) return fail(overflow);

  const timestamp = view.nextTimestamp(now);
  // Expiries are stored as bigint nanoseconds as well.
  if (pending && timeout > 0 && expiresAt(timestamp, timeout) > AMOUNT_MAX) return fail('overflows_timeout');

  // Pending amounts count against the limits too, so that a later post cannot break them.
  if (
    dr.flags & AccountFlags.debitsMustNotExceedCredits &&
    dr.debitsPending + dr.debitsPosted + amount > dr.creditsPosted
  ) {
    return fail('exceeds_credits');
  }
  if (
    cr.flags & AccountFlags.creditsMustNotExceedDebits &&
    cr.creditsPending + cr.creditsPosted + amount > cr.debitsPosted
  ) {
    return fail('exceeds_debits');
  }

  return created({
    id: input.id,
    debitAccountId,
    creditAccountId,
    amount,
    pendingId: null,
    userData128: input.userData128,
    userData64: input.userData64,
    userData32: input.userData32,
    timeout,
    currency,
    code,
    flags: input.flags,
    timestamp,
  });
}

/**
 * No sum of three of these values exceeds AMOUNT_MAX (3 × 2^61 < 2^63 - 1). When the amount and
 * the four balances involved are all at most this, none of the overflow checks can fail, and
 * comparing bigints allocates nothing where each checked sum would allocate one.
 */
const NO_OVERFLOW_BELOW = 2n ** 61n;

function mayOverflow(amount: bigint, dr: Account, cr: Account): boolean {
  return (
    amount > NO_OVERFLOW_BELOW ||
    dr.debitsPending > NO_OVERFLOW_BELOW ||
    dr.debitsPosted > NO_OVERFLOW_BELOW ||
    cr.creditsPending > NO_OVERFLOW_BELOW ||
    cr.creditsPosted > NO_OVERFLOW_BELOW
  );
}

/** The first overflow of a single-phase or pending transfer, in precedence order, or null. */
function overflowOf(pending: boolean, amount: bigint, dr: Account, cr: Account): CreateTransferResult | null {
  // Balances are PostgreSQL bigints, so AMOUNT_MAX (2^63-1) is our ceiling, not u128.
  if (pending && dr.debitsPending + amount > AMOUNT_MAX) return 'overflows_debits_pending';
  if (pending && cr.creditsPending + amount > AMOUNT_MAX) return 'overflows_credits_pending';
  if (dr.debitsPosted + amount > AMOUNT_MAX) return 'overflows_debits_posted';
  if (cr.creditsPosted + amount > AMOUNT_MAX) return 'overflows_credits_posted';
  // Keeping pending + posted within range is what lets a later post never overflow.
  if (dr.debitsPending + dr.debitsPosted + amount > AMOUNT_MAX) return 'overflows_debits';
  if (cr.creditsPending + cr.creditsPosted + amount > AMOUNT_MAX) return 'overflows_credits';
  return null;
}

function decidePostOrVoid(
  input: TransferInput,
  kind: 'post' | 'void',
  view: LedgerView,
  now: bigint,
): Outcome {
  const { pendingId, amount } = input;
  if (isUnset(pendingId)) return fail('pending_id_must_not_be_zero');
  if (pendingId === ID_INT_MAX) return fail('pending_id_must_not_be_int_max');
  if (pendingId === input.id) return fail('pending_id_must_be_different');
  if (input.timeout > 0) return fail('timeout_reserved_for_pending_transfer');
  // Null means "the full pending amount"; an explicit zero is refused like everywhere else.
  if (amount !== null && amount <= 0n) return fail('amount_must_not_be_zero');

  const pending = view.transfer(pendingId);
  if (pending === undefined) return fail('pending_transfer_not_found');
  if ((pending.flags & TransferFlags.pending) === 0) return fail('pending_transfer_not_pending');
  if (given(input.debitAccountId, ID_ZERO) && input.debitAccountId !== pending.debitAccountId) {
    return fail('pending_transfer_has_different_debit_account_id');
  }
  if (given(input.creditAccountId, ID_ZERO) && input.creditAccountId !== pending.creditAccountId) {
    return fail('pending_transfer_has_different_credit_account_id');
  }
  if (given(input.currency, '') && input.currency !== pending.currency) {
    return fail('pending_transfer_has_different_ledger');
  }
  if (given(input.code, 0) && input.code !== pending.code) return fail('pending_transfer_has_different_code');
  if (kind === 'post' && amount !== null && amount > pending.amount) {
    return fail('exceeds_pending_transfer_amount');
  }
  if (kind === 'void' && amount !== null && amount !== pending.amount) {
    return fail('pending_transfer_has_different_amount');
  }

  const status = view.pendingStatus(pending.id);
  if (status === 'posted') return fail('pending_transfer_already_posted');
  if (status === 'voided') return fail('pending_transfer_already_voided');
  if (status === 'expired') return fail('pending_transfer_expired');
  // The expiry timer may not have swept it yet; a timeout that has passed is final all the same.
  const expiry = view.pendingExpiry(pending.id);
  if (expiry !== undefined && expiry <= now) return fail('pending_transfer_expired');

  // No overflow or limit checks: the reservation already passed them, and a post moves at most
  // what was reserved.
  return created({
    id: input.id,
    debitAccountId: pending.debitAccountId,
    creditAccountId: pending.creditAccountId,
    amount: kind === 'post' ? (amount ?? pending.amount) : pending.amount,
    pendingId: pending.id,
    userData128: input.userData128,
    userData64: input.userData64,
    userData32: input.userData32,
    timeout: 0,
    currency: pending.currency,
    code: pending.code,
    flags: input.flags,
    timestamp: view.nextTimestamp(now),
  });
}

/** The record of a transient failure, so that the id stays failed. */
export function transferFailed(
  input: TransferInput,
  result: CreateTransferResult,
  timestamp: bigint,
): TransferFailed {
  return {
    type: 'TransferFailed',
    streamId: ledgerStreamId(input.currency ?? NO_CURRENCY),
    data: { id: input.id, result, timestamp },
  };
}

const TRANSFER_RESULT_DESCRIPTIONS: { readonly [R in CreateTransferResult]: string } = {
  ok: 'The transfer was created.',
  linked_event_failed: 'The transfer was not created because another transfer in its linked chain failed.',
  linked_event_chain_open:
    'The transfer was not created: it is the last of the batch but has the linked flag, which leaves its chain open.',
  id_must_not_be_zero: 'The transfer id must not be the all-zero UUID, which is reserved.',
  id_must_not_be_int_max: 'The transfer id must not be the all-ones UUID (ffffffff-…), which is reserved.',
  exists_with_different_flags: 'A transfer with this id already exists with different flags.',
  exists_with_different_pending_id:
    'A transfer with this id already exists with a different pending transfer id.',
  exists_with_different_timeout: 'A transfer with this id already exists with a different timeout.',
  exists_with_different_debit_account_id:
    'A transfer with this id already exists with a different debit account.',
  exists_with_different_credit_account_id:
    'A transfer with this id already exists with a different credit account.',
  exists_with_different_amount: 'A transfer with this id already exists with a different amount.',
  exists_with_different_user_data_128: 'A transfer with this id already exists with different user_data_128.',
  exists_with_different_user_data_64: 'A transfer with this id already exists with different user_data_64.',
  exists_with_different_user_data_32: 'A transfer with this id already exists with different user_data_32.',
  exists_with_different_ledger: 'A transfer with this id already exists in a different currency.',
  exists_with_different_code: 'A transfer with this id already exists with a different code.',
  exists: 'A transfer with this id and these fields already exists; nothing new was created.',
  id_already_failed:
    'A transfer with this id was already attempted and failed; a failed id cannot be reused, choose a new id.',
  flags_are_mutually_exclusive: 'Only one of the pending, post-pending and void-pending flags may be set.',
  debit_account_id_must_not_be_zero: 'The debit account id is required and must not be the all-zero UUID.',
  debit_account_id_must_not_be_int_max:
    'The debit account id must not be the all-ones UUID, which is reserved.',
  credit_account_id_must_not_be_zero: 'The credit account id is required and must not be the all-zero UUID.',
  credit_account_id_must_not_be_int_max:
    'The credit account id must not be the all-ones UUID, which is reserved.',
  accounts_must_be_different: 'The debit and credit accounts must be different accounts.',
  pending_id_must_be_zero:
    'Only a transfer that posts or voids a pending transfer may name a pending transfer id.',
  pending_id_must_not_be_zero: 'Posting or voiding requires the id of the pending transfer.',
  pending_id_must_not_be_int_max: 'The pending transfer id must not be the all-ones UUID, which is reserved.',
  pending_id_must_be_different:
    'A transfer cannot post or void itself: the pending id must differ from its own id.',
  timeout_reserved_for_pending_transfer: 'Only a pending transfer may have a timeout.',
  amount_must_not_be_zero: 'The amount is required and must be greater than zero.',
  ledger_must_not_be_zero: 'The currency is required.',
  code_must_not_be_zero: 'The code is required and must be between 1 and 65535.',
  debit_account_not_found: 'The debit account does not exist.',
  credit_account_not_found: 'The credit account does not exist.',
  accounts_must_have_the_same_ledger:
    'The debit and credit accounts hold different currencies; exchange needs one transfer per currency.',
  transfer_must_have_the_same_ledger_as_accounts:
    "The transfer's currency differs from its accounts' currency.",
  pending_transfer_not_found: 'The pending transfer to post or void does not exist.',
  pending_transfer_not_pending: 'The transfer to post or void is not a pending transfer.',
  pending_transfer_has_different_debit_account_id:
    'The debit account differs from that of the pending transfer; leave it empty or repeat it.',
  pending_transfer_has_different_credit_account_id:
    'The credit account differs from that of the pending transfer; leave it empty or repeat it.',
  pending_transfer_has_different_ledger:
    'The currency differs from that of the pending transfer; leave it empty or repeat it.',
  pending_transfer_has_different_code:
    'The code differs from that of the pending transfer; leave it empty or repeat it.',
  exceeds_pending_transfer_amount: 'The amount to post is larger than the amount of the pending transfer.',
  pending_transfer_has_different_amount:
    'A void must release the whole pending amount; to release part of it, post the rest instead.',
  pending_transfer_already_posted: 'The pending transfer has already been posted.',
  pending_transfer_already_voided: 'The pending transfer has already been voided.',
  pending_transfer_expired:
    'The pending transfer has expired: its timeout passed and its reservation was released.',
  overflows_debits_pending:
    "The debit account's pending debits would exceed the largest amount the ledger holds.",
  overflows_credits_pending:
    "The credit account's pending credits would exceed the largest amount the ledger holds.",
  overflows_debits_posted:
    "The debit account's posted debits would exceed the largest amount the ledger holds.",
  overflows_credits_posted:
    "The credit account's posted credits would exceed the largest amount the ledger holds.",
  overflows_debits:
    "The debit account's pending plus posted debits would exceed the largest amount the ledger holds.",
  overflows_credits:
    "The credit account's pending plus posted credits would exceed the largest amount the ledger holds.",
  overflows_timeout: 'The timeout is so long that the expiry time would exceed the largest timestamp.',
  exceeds_credits: 'The debit account has insufficient funds: its debits may not exceed its credits.',
  exceeds_debits: 'The credit account would exceed its limit: its credits may not exceed its debits.',
};

/** A human sentence for a transfer result, for problem details and UIs. */
export function describeTransferResult(result: CreateTransferResult): string {
  return TRANSFER_RESULT_DESCRIPTIONS[result];
}
