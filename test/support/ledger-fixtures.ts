import assert from 'node:assert/strict';
import type { Decision } from '../../src/platform/decider/decider.js';
import { AMOUNT_MAX } from '../../src/ledger/domain/amount.js';
import type { Id } from '../../src/ledger/domain/id.js';
import type {
  CreateAccounts,
  CreateTransfers,
  ExpirePendingTransfers,
  LedgerCommand,
} from '../../src/ledger/domain/ledger.commands.js';
import { ledgerDecider, type LedgerReply } from '../../src/ledger/domain/ledger.decider.js';
import {
  ledgerStreamId,
  type AccountCreated,
  type LedgerEvent,
  type PendingTransferExpired,
  type TransferCreated,
  type TransferFailed,
} from '../../src/ledger/domain/ledger.events.js';
import type { LedgerState } from '../../src/ledger/domain/ledger.state.js';
import {
  AccountFlags,
  TransferFlags,
  type Account,
  type AccountInput,
  type CreateAccountResult,
  type CreateTransferResult,
  type Transfer,
  type TransferInput,
} from '../../src/ledger/domain/model.js';

/**
 * Builders for ledger specs: readable ids, inputs with sensible defaults, the events the ledger
 * records, and commands. Given events built here carry timestamp 0 until history() stamps them.
 */

export { AMOUNT_MAX, AccountFlags, TransferFlags };

/** The service clock in the specs (ns). Small, so that timeouts (in seconds) lie far beyond it. */
export const NOW = 1_000n;
export const SECOND = 1_000_000_000n;

function uuid(prefix: string, n: number): Id {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export const accountId = (n: number): Id => uuid('aaaaaaaa', n);
export const transferId = (n: number): Id => uuid('bbbbbbbb', n);

/** CNY accounts A, B, C; D is never created; U and V are USD accounts. */
export const A = accountId(1);
export const B = accountId(2);
export const C = accountId(3);
export const D = accountId(4);
export const U = accountId(21);
export const V = accountId(22);

export const T1 = transferId(1);
export const T2 = transferId(2);
export const T3 = transferId(3);
export const T4 = transferId(4);
export const T5 = transferId(5);
export const T6 = transferId(6);
export const T9 = transferId(9);

// ---------------------------------------------------------------------------------------------
// Inputs

export function accountInput(id: Id, overrides: Partial<AccountInput> = {}): AccountInput {
  return {
    id,
    currency: 'CNY',
    code: 1,
    flags: 0,
    userData128: null,
    userData64: 0n,
    userData32: 0,
    ...overrides,
  };
}

/** A single-phase transfer of 100 minor units from A to B, unless overridden. */
export function transferInput(id: Id, overrides: Partial<TransferInput> = {}): TransferInput {
  return {
    id,
    debitAccountId: A,
    creditAccountId: B,
    amount: 100n,
    pendingId: null,
    userData128: null,
    userData64: 0n,
    userData32: 0,
    timeout: 0,
    currency: 'CNY',
    code: 1,
    flags: 0,
    ...overrides,
  };
}

/** A pending transfer of 100 from A to B, unless overridden. */
export function pendingInput(id: Id, overrides: Partial<TransferInput> = {}): TransferInput {
  return transferInput(id, { flags: TransferFlags.pending, ...overrides });
}

/** Posts `pendingId`, inheriting everything (the full amount), unless overridden. */
export function postInput(
  id: Id,
  pendingId: Id | null,
  overrides: Partial<TransferInput> = {},
): TransferInput {
  return transferInput(id, {
    debitAccountId: null,
    creditAccountId: null,
    amount: null,
    currency: null,
    code: null,
    pendingId,
    flags: TransferFlags.postPendingTransfer,
    ...overrides,
  });
}

/** Voids `pendingId`, inheriting everything, unless overridden. */
export function voidInput(
  id: Id,
  pendingId: Id | null,
  overrides: Partial<TransferInput> = {},
): TransferInput {
  return postInput(id, pendingId, { flags: TransferFlags.voidPendingTransfer, ...overrides });
}

/** Adds the linked flag (the same bit for accounts and transfers). */
export function linked<T extends { readonly flags: number }>(item: T): T {
  return { ...item, flags: item.flags | TransferFlags.linked };
}

// ---------------------------------------------------------------------------------------------
// Stored records and events

export function account(input: AccountInput, timestamp = 0n, balances: Partial<Account> = {}): Account {
  return {
    ...input,
    debitsPending: 0n,
    debitsPosted: 0n,
    creditsPending: 0n,
    creditsPosted: 0n,
    timestamp,
    ...balances,
  };
}

export function accountCreated(input: AccountInput, timestamp = 0n): AccountCreated {
  const data = account(input, timestamp);
  return { type: 'AccountCreated', streamId: ledgerStreamId(data.currency), data: { account: data } };
}

/**
 * The stored form of a single-phase or pending input. For post/void pass the resolved fields
 * (accounts, amount, currency, code) in `resolved`.
 */
export function storedTransfer(
  input: TransferInput,
  timestamp = 0n,
  resolved: Partial<Transfer> = {},
): Transfer {
  const transfer: Transfer = {
    id: input.id,
    debitAccountId: input.debitAccountId ?? '',
    creditAccountId: input.creditAccountId ?? '',
    amount: input.amount ?? 0n,
    pendingId: input.pendingId,
    userData128: input.userData128,
    userData64: input.userData64,
    userData32: input.userData32,
    timeout: input.timeout,
    currency: input.currency ?? '',
    code: input.code ?? 0,
    flags: input.flags,
    timestamp,
    ...resolved,
  };
  return transfer;
}

export function transferCreated(
  input: TransferInput,
  timestamp = 0n,
  resolved: Partial<Transfer> = {},
): TransferCreated {
  const transfer = storedTransfer(input, timestamp, resolved);
  return { type: 'TransferCreated', streamId: ledgerStreamId(transfer.currency), data: { transfer } };
}

export function transferFailed(
  id: Id,
  result: CreateTransferResult,
  timestamp = 0n,
  currency = 'CNY',
): TransferFailed {
  return { type: 'TransferFailed', streamId: ledgerStreamId(currency), data: { id, result, timestamp } };
}

export function pendingExpired(pending: Transfer, timestamp = 0n): PendingTransferExpired {
  return {
    type: 'PendingTransferExpired',
    streamId: ledgerStreamId(pending.currency),
    data: {
      pendingId: pending.id,
      debitAccountId: pending.debitAccountId,
      creditAccountId: pending.creditAccountId,
      amount: pending.amount,
      timestamp,
    },
  };
}

function timestampOf(event: LedgerEvent): bigint {
  switch (event.type) {
    case 'AccountCreated':
      return event.data.account.timestamp;
    case 'TransferCreated':
      return event.data.transfer.timestamp;
    case 'TransferFailed':
    case 'PendingTransferExpired':
      return event.data.timestamp;
  }
}

function withTimestamp(event: LedgerEvent, timestamp: bigint): LedgerEvent {
  switch (event.type) {
    case 'AccountCreated':
      return { ...event, data: { account: { ...event.data.account, timestamp } } };
    case 'TransferCreated':
      return { ...event, data: { transfer: { ...event.data.transfer, timestamp } } };
    case 'TransferFailed':
      return { ...event, data: { ...event.data, timestamp } };
    case 'PendingTransferExpired':
      return { ...event, data: { ...event.data, timestamp } };
  }
}

/** The state the ledger reaches by evolving these events from the start. */
export function stateOf(events: readonly LedgerEvent[]): LedgerState {
  let state = ledgerDecider.initialState();
  for (const event of events) state = ledgerDecider.evolve(state, event);
  return state;
}

/**
 * A history as the ledger would have recorded it: events without a timestamp (0) get the next
 * one after their predecessor, 1, 2, 3… from the start.
 */
export function history(...events: LedgerEvent[]): LedgerEvent[] {
  let last = 0n;
  return events.map((event) => {
    const own = timestampOf(event);
    const stamped = own === 0n ? withTimestamp(event, last + 1n) : event;
    last = timestampOf(stamped);
    return stamped;
  });
}

/** Accounts A, B, C (CNY) and U, V (USD), plain unless overridden, created at timestamps 1..5. */
export function openAccounts(overrides: { readonly [id: Id]: Partial<AccountInput> } = {}): LedgerEvent[] {
  const currency = (id: Id): string => (id === U || id === V ? 'USD' : 'CNY');
  return history(
    ...[A, B, C, U, V].map((id) =>
      accountCreated(accountInput(id, { currency: currency(id), ...overrides[id] })),
    ),
  );
}

/** `given` followed by the events the decider records for `commands`, each decided in turn. */
export function withCommands(given: readonly LedgerEvent[], ...commands: LedgerCommand[]): LedgerEvent[] {
  let state = ledgerDecider.initialState();
  for (const event of given) state = ledgerDecider.evolve(state, event);
  const events = [...given];
  for (const command of commands) {
    const recorded = eventsOf(ledgerDecider.decide(command, state));
    for (const event of recorded) state = ledgerDecider.evolve(state, event);
    events.push(...recorded);
  }
  return events;
}

export function eventsOf(decision: Decision<LedgerEvent, LedgerReply>): readonly LedgerEvent[] {
  if (decision.kind !== 'accepted')
    assert.fail(`expected acceptance, got rejection ${decision.rejection.code}`);
  return decision.events;
}

// ---------------------------------------------------------------------------------------------
// Commands and replies

export function createAccounts(
  accounts: readonly AccountInput[],
  options: { strict?: boolean; now?: bigint } = {},
): CreateAccounts {
  return { type: 'CreateAccounts', accounts, strict: options.strict ?? false, now: options.now ?? NOW };
}

export function createTransfers(
  transfers: readonly TransferInput[],
  options: { strict?: boolean; now?: bigint } = {},
): CreateTransfers {
  return { type: 'CreateTransfers', transfers, strict: options.strict ?? false, now: options.now ?? NOW };
}

export function expirePendingTransfers(now: bigint): ExpirePendingTransfers {
  return { type: 'ExpirePendingTransfers', now };
}

export function accountResults(...results: CreateAccountResult[]): LedgerReply {
  return { kind: 'CreateAccounts', results };
}

export function transferResults(...results: CreateTransferResult[]): LedgerReply {
  return { kind: 'CreateTransfers', results };
}

// ---------------------------------------------------------------------------------------------
// State inspection

export interface Balances {
  readonly debitsPending: bigint;
  readonly debitsPosted: bigint;
  readonly creditsPending: bigint;
  readonly creditsPosted: bigint;
}

export function balancesOf(state: LedgerState, id: Id): Balances {
  const found = state.accounts.get(id);
  assert.ok(found, `account ${id} exists`);
  const { debitsPending, debitsPosted, creditsPending, creditsPosted } = found;
  return { debitsPending, debitsPosted, creditsPending, creditsPosted };
}

export function balances(partial: Partial<Balances> = {}): Balances {
  return { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n, ...partial };
}

/** Every entry of every part of the state, for comparing before and after (as Maps: order-free). */
export function snapshot(state: LedgerState): unknown {
  return {
    accounts: new Map(state.accounts.entries()),
    transfers: new Map(state.transfers.entries()),
    failedTransfers: new Map(state.failedTransfers.entries()),
    pendingStatus: new Map(state.pendingStatus.entries()),
    pendingExpiries: new Map(state.pendingExpiries.entries()),
    lastTimestamp: state.lastTimestamp.value,
  };
}
