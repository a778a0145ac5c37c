import type { Account, Transfer } from './model.js';
import type { LedgerEvent } from './ledger.events.js';

/**
 * Ledger events as JSON: bigint fields travel as decimal strings (JSON has no 64-bit integers)
 * and are read back by name. This is the form stored in `events.data`, so it is also the form
 * the audit trail hashes: keep it stable.
 */
type Json = Record<string, unknown>;

const ACCOUNT_BIGINTS = [
  'userData64',
  'debitsPending',
  'debitsPosted',
  'creditsPending',
  'creditsPosted',
  'timestamp',
] as const;
const TRANSFER_BIGINTS = ['amount', 'userData64', 'timestamp'] as const;

function withStrings<T extends object>(value: T, fields: readonly string[]): Json {
  const out: Json = { ...(value as Json) };
  for (const field of fields) out[field] = String(out[field]);
  return out;
}

/**
 * The named fields as bigints, revived in place: `value` is the JSON just parsed for this event
 * and nothing else holds it, so copying it first (as the object the state keeps) would only add
 * an allocation per event on the replay path (1,000,000 transfers at a restart).
 */
function withBigints<T>(value: unknown, fields: readonly string[]): T {
  const out = value as Json;
  for (const field of fields) out[field] = BigInt(out[field] as string);
  return out as T;
}

export function encodeLedgerEvent(event: LedgerEvent): Json {
  switch (event.type) {
    case 'AccountCreated':
      return { account: withStrings(event.data.account, ACCOUNT_BIGINTS) };
    case 'TransferCreated':
      return { transfer: withStrings(event.data.transfer, TRANSFER_BIGINTS) };
    case 'TransferFailed':
      return { ...event.data, timestamp: String(event.data.timestamp) };
    case 'PendingTransferExpired':
      return { ...event.data, amount: String(event.data.amount), timestamp: String(event.data.timestamp) };
  }
}

/** Reads an event's stored JSON back; takes `data` over (its objects become the event's). */
export function decodeLedgerEvent(type: string, streamId: string, data: unknown): LedgerEvent {
  const json = data as Json;
  switch (type) {
    case 'AccountCreated':
      return { type, streamId, data: { account: withBigints<Account>(json.account, ACCOUNT_BIGINTS) } };
    case 'TransferCreated':
      return { type, streamId, data: { transfer: withBigints<Transfer>(json.transfer, TRANSFER_BIGINTS) } };
    case 'TransferFailed':
      return { type, streamId, data: withBigints(json, ['timestamp']) };
    case 'PendingTransferExpired':
      return { type, streamId, data: withBigints(json, ['amount', 'timestamp']) };
    default:
      throw new Error(`not a ledger event: ${type}`);
  }
}
