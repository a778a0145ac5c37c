import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { LedgerSequencedModule } from '../../src/ledger/index.js';
import type { TestApp, TestResponse } from './test-app.js';

/**
 * Small helpers over the ledger's REST API and its tables for the integration tests.
 * Nothing here uses the ledger's domain code to compute an expectation.
 */

export const newId = (): string => randomUUID();

export interface AccountBody {
  readonly id: string;
  readonly currency: string;
  readonly code?: number;
  readonly flags?: string[];
  readonly userData128?: string;
  readonly userData64?: string;
  readonly userData32?: number;
}

export interface TransferBody {
  readonly id: string;
  readonly debitAccountId?: string;
  readonly creditAccountId?: string;
  readonly amount?: string;
  readonly amountMinor?: string;
  readonly currency?: string;
  readonly code?: number;
  readonly flags?: string[];
  readonly pendingId?: string;
  readonly timeout?: number;
  readonly userData128?: string;
  readonly userData64?: string;
  readonly userData32?: number;
}

export interface ItemResult {
  readonly index: number;
  readonly id: string;
  readonly result: string;
}

export interface Amount {
  readonly amount: string;
  readonly amountMinor: string;
}

export interface AccountView {
  readonly id: string;
  readonly currency: string;
  readonly code: number;
  readonly flags: string[];
  readonly debitsPending: Amount;
  readonly debitsPosted: Amount;
  readonly creditsPending: Amount;
  readonly creditsPosted: Amount;
  readonly timestamp: string;
  readonly asOfPosition?: string;
}

export interface TransferView {
  readonly id: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amount: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly code: number;
  readonly flags: string[];
  readonly pendingId: string | null;
  readonly timeout: number;
  readonly timestamp: string;
  readonly position: string;
  readonly pendingStatus?: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: Array<{ index?: number; field?: string; code: string; detail: string }>;
}

export function postAccounts(
  app: TestApp,
  accounts: readonly AccountBody[],
  headers?: Record<string, string>,
): Promise<TestResponse<{ results: ItemResult[] }>> {
  return app.request('POST', '/v1/ledger/accounts', { accounts }, headers);
}

export function postTransfers(
  app: TestApp,
  transfers: readonly TransferBody[],
  headers?: Record<string, string>,
): Promise<TestResponse<{ results: ItemResult[] }>> {
  return app.request('POST', '/v1/ledger/transfers', { transfers }, headers);
}

/** Creates the accounts and asserts every one was created. */
export async function createAccounts(app: TestApp, accounts: readonly AccountBody[]): Promise<void> {
  const response = await postAccounts(
    app,
    accounts.map((a) => ({ code: 1, ...a })),
  );
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(
    response.body.results.map((r) => r.result),
    accounts.map(() => 'ok'),
  );
}

/** Posts the transfers (200 expected) and returns the result codes in order. */
export async function transfer(app: TestApp, transfers: readonly TransferBody[]): Promise<string[]> {
  const response = await postTransfers(app, transfers);
  assert.equal(response.status, 200, response.text);
  return response.body.results.map((r) => r.result);
}

export async function getAccount(
  app: TestApp,
  id: string,
  asOfPosition?: bigint | string,
): Promise<AccountView> {
  const query = asOfPosition === undefined ? '' : `?asOfPosition=${asOfPosition}`;
  const response = await app.request<AccountView>('GET', `/v1/ledger/accounts/${id}${query}`);
  assert.equal(response.status, 200, response.text);
  return response.body;
}

export async function getTransfer(app: TestApp, id: string): Promise<TransferView> {
  const response = await app.request<TransferView>('GET', `/v1/ledger/transfers/${id}`);
  assert.equal(response.status, 200, response.text);
  return response.body;
}

export interface MinorBalances {
  readonly debitsPending: bigint;
  readonly debitsPosted: bigint;
  readonly creditsPending: bigint;
  readonly creditsPosted: bigint;
}

export function minorBalances(view: AccountView): MinorBalances {
  return {
    debitsPending: BigInt(view.debitsPending.amountMinor),
    debitsPosted: BigInt(view.debitsPosted.amountMinor),
    creditsPending: BigInt(view.creditsPending.amountMinor),
    creditsPosted: BigInt(view.creditsPosted.amountMinor),
  };
}

export function balances(partial: Partial<MinorBalances> = {}): MinorBalances {
  return { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n, ...partial };
}

export async function balancesOf(
  app: TestApp,
  id: string,
  asOfPosition?: bigint | string,
): Promise<MinorBalances> {
  return minorBalances(await getAccount(app, id, asOfPosition));
}

/** Asserts a 4xx/5xx problem detail with the given status and code; returns it. */
export function assertProblem(response: TestResponse, status: number, code: string): Problem {
  assert.equal(
    response.status,
    status,
    `expected ${status} ${code}, got ${response.status}: ${response.text}`,
  );
  const contentType = response.headers.get('content-type') ?? '';
  assert.match(contentType, /^application\/problem\+json/, `content-type was ${contentType}`);
  const problem = response.body as Problem;
  assert.equal(problem.code, code, response.text);
  assert.equal(problem.status, status);
  assert.equal(typeof problem.title, 'string');
  assert.equal(typeof problem.detail, 'string');
  assert.equal(problem.type, `urn:problem-type:yuanbridge:${code}`);
  return problem;
}

/** What must not change when a request is refused: the log, its head and the read models. */
export interface WriteMark {
  readonly events: bigint;
  readonly head: bigint;
  readonly transfers: bigint;
  readonly accounts: bigint;
  readonly idempotencyKeys: bigint;
}

export async function writeMark(app: TestApp): Promise<WriteMark> {
  const [row] = await app.db.query<Record<string, string>>(
    `select (select count(*) from events) as events,
            (select position from event_log_head where id = 1) as head,
            (select count(*) from ledger_transfers) as transfers,
            (select count(*) from ledger_accounts) as accounts,
            (select count(*) from idempotency_keys) as "idempotencyKeys"`,
  );
  return {
    events: BigInt(row!.events!),
    head: BigInt(row!.head!),
    transfers: BigInt(row!.transfers!),
    accounts: BigInt(row!.accounts!),
    idempotencyKeys: BigInt(row!.idempotencyKeys!),
  };
}

/** The event log is gap-free and its head is its last position. */
export async function assertLogConsistent(app: TestApp): Promise<bigint> {
  const [row] = await app.db.query<Record<string, string | null>>(
    `select count(*) as count, coalesce(max(global_position), 0) as max, coalesce(min(global_position), 1) as min,
            (select position from event_log_head where id = 1) as head
     from events`,
  );
  const count = BigInt(row!.count!);
  assert.equal(BigInt(row!.min!), 1n, 'the log starts at position 1');
  assert.equal(BigInt(row!.max!), count, 'the log is gap-free: count(*) = max(global_position)');
  assert.equal(BigInt(row!.head!), count, 'event_log_head.position = max(global_position)');
  assert.equal(app.app.sequencer.committedPosition, count, "the sequencer's position = the log's");
  return count;
}

/** Every account and transfer as the read API shows them, for comparing across a restart. */
export async function readEverything(app: TestApp): Promise<{ accounts: unknown[]; transfers: unknown[] }> {
  const accountIds = await app.db.query<{ id: string }>('select id from ledger_accounts order by id');
  const transferIds = await app.db.query<{ id: string }>('select id from ledger_transfers order by id');
  const accounts: unknown[] = [];
  for (const { id } of accountIds) accounts.push(await getAccount(app, id));
  const transfers: unknown[] = [];
  for (const { id } of transferIds) transfers.push(await getTransfer(app, id));
  return { accounts, transfers };
}

/**
 * The writer's in-memory ledger state equals what the database holds: every account's balances,
 * every transfer, every pending transfer's status and every id that stays failed.
 */
export async function assertMemoryMatchesDatabase(app: TestApp): Promise<void> {
  const ledger = app.app.app.get(LedgerSequencedModule);
  const state = ledger.state;

  const accountRows = await app.db.query<Record<string, string | number>>(
    `select id, currency, code, flags, debits_pending, debits_posted, credits_pending, credits_posted, timestamp
     from ledger_accounts order by id`,
  );
  const memoryAccounts = [...state.accounts.values()]
    .map((a) => ({
      id: a.id,
      currency: a.currency,
      code: a.code,
      flags: a.flags,
      debits_pending: a.debitsPending.toString(),
      debits_posted: a.debitsPosted.toString(),
      credits_pending: a.creditsPending.toString(),
      credits_posted: a.creditsPosted.toString(),
      timestamp: a.timestamp.toString(),
    }))
    .sort((x, y) => (x.id < y.id ? -1 : 1));
  sameRows(
    'accounts',
    memoryAccounts,
    accountRows.map((r) => ({ ...r, timestamp: String(r.timestamp) })),
  );

  const transferRows = await app.db.query<Record<string, string | number | null>>(
    `select id, debit_account_id, credit_account_id, amount, pending_id, currency, code, flags, timestamp,
            pending_status
     from ledger_transfers order by id`,
  );
  const memoryTransfers = [...state.transfers.values()]
    .map((t) => ({
      id: t.id,
      debit_account_id: t.debitAccountId,
      credit_account_id: t.creditAccountId,
      amount: t.amount.toString(),
      pending_id: t.pendingId,
      currency: t.currency,
      code: t.code,
      flags: t.flags,
      timestamp: t.timestamp.toString(),
      pending_status: state.pendingStatus.get(t.id) ?? null,
    }))
    .sort((x, y) => (x.id < y.id ? -1 : 1));
  // Settled transfers may have left memory (the cache is bounded; they are prefetched when named);
  // open pending ones never do, and before the first eviction memory holds them all.
  sameRows(
    'transfers',
    memoryTransfers,
    transferRows,
    (row) => !ledger.holdsAllTransfers && row.pending_status !== 'pending',
  );

  const failedRows = await app.db.query<{ id: string; result: string }>(
    `select data->>'id' as id, data->>'result' as result from events where type = 'TransferFailed' order by 1`,
  );
  const memoryFailed = [...state.failedTransfers.entries()]
    .map(([id, result]) => ({ id, result }))
    .sort((x, y) => (x.id < y.id ? -1 : 1));
  sameRows('failed transfer ids (TransferFailed events)', memoryFailed, failedRows);

  const expiryRows = await app.db.query<{ id: string; expiry: string }>(
    `select id, (timestamp + timeout::bigint * 1000000000)::text as expiry from ledger_transfers
     where pending_status = 'pending' and timeout > 0 order by id`,
  );
  const memoryExpiries = [...state.pendingExpiries.entries()]
    .map(([id, expiry]) => ({ id, expiry: expiry.toString() }))
    .sort((x, y) => (x.id < y.id ? -1 : 1));
  sameRows('pending expiries (open pending transfers with a timeout)', memoryExpiries, expiryRows);

  // The last timestamp handed out is the newest one recorded anywhere.
  const lastTimestamp = await app.db.scalar(
    `select greatest(
       (select coalesce(max(timestamp), 0) from ledger_accounts),
       (select coalesce(max(timestamp), 0) from ledger_transfers),
       (select coalesce(max((data->>'timestamp')::bigint), 0) from events
         where type in ('TransferFailed', 'PendingTransferExpired')))`,
  );
  assert.equal(
    state.lastTimestamp.value,
    lastTimestamp,
    'in-memory last timestamp = newest recorded timestamp',
  );

  const head = await app.db.scalar('select position from event_log_head where id = 1');
  assert.equal(app.app.sequencer.committedPosition, head, 'in-memory position = event_log_head.position');
}

/** Compares two lists of rows sorted by id, reporting the first difference only (not thousands of rows). */
function sameRows(
  what: string,
  memory: ReadonlyArray<{ id: string }>,
  database: ReadonlyArray<Record<string, unknown>>,
  mayBeEvicted: (row: Record<string, unknown>) => boolean = () => false,
): void {
  const inDatabase = new Map(database.map((row) => [row.id as string, row]));
  const inMemory = new Map(memory.map((row) => [row.id, row]));
  for (const row of memory) {
    const stored = inDatabase.get(row.id);
    assert.ok(stored, `in-memory ${what}: ${row.id} is in memory but not in the database`);
    assert.deepEqual(row, stored, `in-memory ${what} = database: ${row.id} differs`);
  }
  for (const row of database) {
    if (mayBeEvicted(row)) continue;
    assert.ok(
      inMemory.has(row.id as string),
      `in-memory ${what}: ${String(row.id)} is in the database but not in memory`,
    );
  }
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
