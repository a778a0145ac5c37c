import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Id } from './id.js';
import type { Account, CreateTransferResult, Transfer } from './model.js';

/**
 * The ledger's events. Each belongs to the stream of its currency's ledger (`ledger-CNY`), so a
 * ledger's history reads in order and scoping an event to a jurisdiction is a matter of its
 * currency and accounts.
 */
export type AccountCreated = DomainEvent<'AccountCreated', { readonly account: Account }>;

/** Single-phase, pending, post-pending or void-pending transfer, as stored (fields resolved). */
export type TransferCreated = DomainEvent<'TransferCreated', { readonly transfer: Transfer }>;

/** A transient failure recorded so that the id stays failed (`id_already_failed`). */
export type TransferFailed = DomainEvent<
  'TransferFailed',
  { readonly id: Id; readonly result: CreateTransferResult; readonly timestamp: bigint }
>;

/** A pending transfer's timeout passed on the service clock; its reservation is released. */
export type PendingTransferExpired = DomainEvent<
  'PendingTransferExpired',
  {
    readonly pendingId: Id;
    readonly debitAccountId: Id;
    readonly creditAccountId: Id;
    readonly amount: bigint;
    readonly timestamp: bigint;
  }
>;

export type LedgerEvent = AccountCreated | TransferCreated | TransferFailed | PendingTransferExpired;

export const LEDGER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'AccountCreated',
  'TransferCreated',
  'TransferFailed',
  'PendingTransferExpired',
]);

/**
 * Stream ids made so far, by currency: one string per currency instead of one per event, so the
 * sequencer's per-stream lookups hash it once. A handful of currencies exist; an unknown one
 * (strict mode refuses it, but a non-strict caller may pass anything) is built without being kept.
 */
const streamIds = new Map<string, string>();
const STREAM_IDS_KEPT = 256;

export function ledgerStreamId(currency: string): string {
  let id = streamIds.get(currency);
  if (id === undefined) {
    id = `ledger-${currency}`;
    if (streamIds.size < STREAM_IDS_KEPT) streamIds.set(currency, id);
  }
  return id;
}
