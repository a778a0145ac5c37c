import type { Id } from './id.js';

/**
 * The ledger's data model, after TigerBeetle's: accounts and transfers with flags, amounts as
 * bigint minor units, timestamps in nanoseconds assigned by the ledger (unique, increasing).
 * See docs/ledger.md for worked examples.
 */

export const AccountFlags = {
  linked: 1 << 0,
  debitsMustNotExceedCredits: 1 << 1,
  creditsMustNotExceedDebits: 1 << 2,
} as const;
export type AccountFlagName = keyof typeof AccountFlags;

export const TransferFlags = {
  linked: 1 << 0,
  pending: 1 << 1,
  postPendingTransfer: 1 << 2,
  voidPendingTransfer: 1 << 3,
} as const;
export type TransferFlagName = keyof typeof TransferFlags;

/** What a client asks to create. Balances start at zero; the ledger assigns the timestamp. */
export interface AccountInput {
  readonly id: Id;
  /** ISO 4217 code: the account's ledger. */
  readonly currency: string;
  /** Application-defined account kind, 1..65535 (TigerBeetle's `code`). */
  readonly code: number;
  readonly flags: number;
  readonly userData128: Id | null;
  readonly userData64: bigint;
  readonly userData32: number;
}

export interface Account extends AccountInput {
  readonly debitsPending: bigint;
  readonly debitsPosted: bigint;
  readonly creditsPending: bigint;
  readonly creditsPosted: bigint;
  readonly timestamp: bigint;
}

/**
 * What a client asks to transfer. For post/void of a pending transfer, debit/credit account,
 * currency and code may be left null (inherited from the pending transfer) and amount may be
 * null (post: the full pending amount; void: the pending amount).
 */
export interface TransferInput {
  readonly id: Id;
  readonly debitAccountId: Id | null;
  readonly creditAccountId: Id | null;
  readonly amount: bigint | null;
  readonly pendingId: Id | null;
  readonly userData128: Id | null;
  readonly userData64: bigint;
  readonly userData32: number;
  /** Seconds until a pending transfer expires; 0 = never. Only for pending transfers. */
  readonly timeout: number;
  readonly currency: string | null;
  readonly code: number | null;
  readonly flags: number;
}

/** A transfer as stored: inherited fields resolved, amount the amount actually moved/reserved. */
export interface Transfer {
  readonly id: Id;
  readonly debitAccountId: Id;
  readonly creditAccountId: Id;
  readonly amount: bigint;
  readonly pendingId: Id | null;
  readonly userData128: Id | null;
  readonly userData64: bigint;
  readonly userData32: number;
  readonly timeout: number;
  readonly currency: string;
  readonly code: number;
  readonly flags: number;
  readonly timestamp: bigint;
}

/** What became of a pending transfer. */
export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired';

export const CREATE_ACCOUNT_RESULTS = [
  'ok',
  'linked_event_failed',
  'linked_event_chain_open',
  'id_must_not_be_zero',
  'id_must_not_be_int_max',
  'exists_with_different_flags',
  'exists_with_different_user_data_128',
  'exists_with_different_user_data_64',
  'exists_with_different_user_data_32',
  'exists_with_different_ledger',
  'exists_with_different_code',
  'exists',
  'flags_are_mutually_exclusive',
  'code_must_not_be_zero',
] as const;
/** Results in TigerBeetle's names and precedence order (first applicable wins). */
export type CreateAccountResult = (typeof CREATE_ACCOUNT_RESULTS)[number];

export const CREATE_TRANSFER_RESULTS = [
  'ok',
  'linked_event_failed',
  'linked_event_chain_open',
  'id_must_not_be_zero',
  'id_must_not_be_int_max',
  'exists_with_different_flags',
  'exists_with_different_pending_id',
  'exists_with_different_timeout',
  'exists_with_different_debit_account_id',
  'exists_with_different_credit_account_id',
  'exists_with_different_amount',
  'exists_with_different_user_data_128',
  'exists_with_different_user_data_64',
  'exists_with_different_user_data_32',
  'exists_with_different_ledger',
  'exists_with_different_code',
  'exists',
  'id_already_failed',
  'flags_are_mutually_exclusive',
  'debit_account_id_must_not_be_zero',
  'debit_account_id_must_not_be_int_max',
  'credit_account_id_must_not_be_zero',
  'credit_account_id_must_not_be_int_max',
  'accounts_must_be_different',
  'pending_id_must_be_zero',
  'pending_id_must_not_be_zero',
  'pending_id_must_not_be_int_max',
  'pending_id_must_be_different',
  'timeout_reserved_for_pending_transfer',
  'amount_must_not_be_zero',
  'ledger_must_not_be_zero',
  'code_must_not_be_zero',
  'debit_account_not_found',
  'credit_account_not_found',
  'accounts_must_have_the_same_ledger',
  'transfer_must_have_the_same_ledger_as_accounts',
  'pending_transfer_not_found',
  'pending_transfer_not_pending',
  'pending_transfer_has_different_debit_account_id',
  'pending_transfer_has_different_credit_account_id',
  'pending_transfer_has_different_ledger',
  'pending_transfer_has_different_code',
  'exceeds_pending_transfer_amount',
  'pending_transfer_has_different_amount',
  'pending_transfer_already_posted',
  'pending_transfer_already_voided',
  'pending_transfer_expired',
  'overflows_debits_pending',
  'overflows_credits_pending',
  'overflows_debits_posted',
  'overflows_credits_posted',
  'overflows_debits',
  'overflows_credits',
  'overflows_timeout',
  'exceeds_credits',
  'exceeds_debits',
] as const;
/** Results in TigerBeetle's names and precedence order (first applicable wins). */
export type CreateTransferResult = (typeof CREATE_TRANSFER_RESULTS)[number];

/**
 * Failures that depend on the moment (balances, existence) rather than on the request itself.
 * As in TigerBeetle, an id that failed this way stays failed (`id_already_failed`), so a retry
 * cannot succeed later with a different outcome than the client first saw.
 */
export const TRANSIENT_TRANSFER_RESULTS: ReadonlySet<CreateTransferResult> = new Set([
  'debit_account_not_found',
  'credit_account_not_found',
  'pending_transfer_not_found',
  'exceeds_credits',
  'exceeds_debits',
]);

/**
 * Outcomes a well-formed request can meet because of the ledger's state at that moment. In
 * strict mode (the REST API) any other failure is bad input: the whole batch is refused with a
 * 422 problem detail and nothing is written.
 */
export const STATE_DEPENDENT_TRANSFER_RESULTS: ReadonlySet<CreateTransferResult> = new Set([
  'ok',
  'exists',
  'linked_event_failed',
  'id_already_failed',
  'pending_transfer_already_posted',
  'pending_transfer_already_voided',
  'pending_transfer_expired',
  'overflows_debits_pending',
  'overflows_credits_pending',
  'overflows_debits_posted',
  'overflows_credits_posted',
  'overflows_debits',
  'overflows_credits',
  'exceeds_credits',
  'exceeds_debits',
]);

export const STATE_DEPENDENT_ACCOUNT_RESULTS: ReadonlySet<CreateAccountResult> = new Set([
  'ok',
  'exists',
  'linked_event_failed',
]);

/** Largest number of accounts or transfers in one batch. */
export const BATCH_MAX = 8_000;
