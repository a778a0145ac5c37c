import { LEDGER_EVENT_TYPES } from '../../src/ledger/domain/ledger.events.js';
import assert from 'node:assert/strict';
import type { TestApp } from './test-app.js';

/**
 * An auditor that knows only the stored formats (tables and event JSON), not the ledger's code:
 * it recomputes every balance twice — from the event log and from ledger_transfers — and checks
 * them against ledger_accounts, along with the ledger's invariants. The flag bits below are part
 * of the storage format (integers in the `flags` columns and in event data).
 */

const ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1;
const ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2;
const TRANSFER_PENDING = 1 << 1;
const TRANSFER_POST = 1 << 2;
const TRANSFER_VOID = 1 << 3;

export interface AuditedBalances {
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

export interface AuditReport {
  /** Ledger events in the log. */
  readonly events: number;
  /** Events of other modules (the operator's registration, ...), which the ledger auditor skips. */
  readonly otherEvents: number;
  readonly accounts: ReadonlyMap<string, AuditedBalances & { currency: string; flags: number }>;
  /** Status of every pending transfer as recorded in ledger_transfers. */
  readonly pendingStatus: ReadonlyMap<string, string>;
  readonly transfers: number;
  readonly failedIds: ReadonlySet<string>;
}

const zero = (): AuditedBalances => ({
  debitsPending: 0n,
  debitsPosted: 0n,
  creditsPending: 0n,
  creditsPosted: 0n,
});

/** Event data as stored (bigints as decimal strings); which fields are set depends on the type. */
interface AccountJson {
  id: string;
  currency: string;
  flags: number;
  timestamp: string;
}

interface TransferJson {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  pendingId: string | null;
  currency: string;
  flags: number;
  timestamp: string;
}

interface EventData {
  account: AccountJson; // AccountCreated
  transfer: TransferJson; // TransferCreated
  id: string; // TransferFailed
  pendingId: string; // PendingTransferExpired
  amount: string; // PendingTransferExpired
  timestamp: string; // TransferFailed, PendingTransferExpired
}

interface EventRow {
  global_position: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: EventData;
}

interface TransferRow {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  pending_id: string | null;
  currency: string;
  flags: number;
  timestamp: string;
  global_position: string;
  pending_status: string | null;
  resolved_position: string | null;
}

interface AccountRow {
  id: string;
  currency: string;
  flags: number;
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
  created_position: string;
}

/** Runs every check; throws an assertion error (prefixed with `context`) on the first failure. */
export async function auditLedger(app: TestApp, context = ''): Promise<AuditReport> {
  const say = (message: string) => (context ? `${context}: ${message}` : message);

  const events = await app.db.query<EventRow>(
    'select global_position, stream_id, stream_version, type, data from events order by global_position',
  );
  const accountRows = await app.db.query<AccountRow>(
    `select id, currency, flags, debits_pending, debits_posted, credits_pending, credits_posted, created_position
     from ledger_accounts`,
  );
  const transferRows = await app.db.query<TransferRow>(
    `select id, debit_account_id, credit_account_id, amount, pending_id, currency, flags, timestamp, global_position,
            pending_status, resolved_position
     from ledger_transfers`,
  );
  const head = await app.db.scalar('select position from event_log_head where id = 1');

  // 1. The log: positions 1..N without a gap, the head at N, each stream's versions 1..n in order.
  events.forEach((e, i) => assert.equal(BigInt(e.global_position), BigInt(i + 1), say('the log has a gap')));
  assert.equal(head, BigInt(events.length), say('event_log_head.position = number of events'));
  const streamVersions = new Map<string, number>();
  for (const e of events) {
    const expected = (streamVersions.get(e.stream_id) ?? 0) + 1;
    assert.equal(
      e.stream_version,
      expected,
      say(`stream ${e.stream_id} version at position ${e.global_position}`),
    );
    streamVersions.set(e.stream_id, expected);
  }

  // 2. Replay the log with nothing but its JSON.
  const fromLog = new Map<string, AuditedBalances & { currency: string; flags: number }>();
  const logTransfers = new Map<string, { data: TransferJson; position: string }>();
  const logStatus = new Map<string, string>();
  const failedIds = new Set<string>();
  const account = (id: string) => {
    const found = fromLog.get(id);
    assert.ok(found, say(`an event refers to unknown account ${id}`));
    return found;
  };
  let lastTimestamp = 0n;
  for (const e of events) {
    // Other modules' events (institutions, issuance, ...) are theirs to audit: what they do to the
    // ledger arrives as ledger events of its own.
    if (!LEDGER_EVENT_TYPES.has(e.type)) continue;
    let timestamp: bigint;
    switch (e.type) {
      case 'AccountCreated': {
        const a = e.data.account;
        assert.ok(!fromLog.has(a.id), say(`account ${a.id} created twice`));
        assert.equal(e.stream_id, `ledger-${a.currency}`, say('an account event is in its currency stream'));
        fromLog.set(a.id, { ...zero(), currency: a.currency, flags: a.flags });
        timestamp = BigInt(a.timestamp);
        break;
      }
      case 'TransferCreated': {
        const t = e.data.transfer;
        assert.ok(!logTransfers.has(t.id), say(`transfer ${t.id} created twice`));
        assert.ok(!failedIds.has(t.id), say(`transfer ${t.id} created after it failed`));
        assert.equal(e.stream_id, `ledger-${t.currency}`, say('a transfer event is in its currency stream'));
        logTransfers.set(t.id, { data: t, position: e.global_position });
        const amount = BigInt(t.amount);
        assert.ok(amount > 0n, say(`transfer ${t.id} moves a positive amount`));
        const dr = account(t.debitAccountId);
        const cr = account(t.creditAccountId);
        assert.notEqual(t.debitAccountId, t.creditAccountId, say('accounts differ'));
        assert.equal(dr.currency, t.currency, say(`transfer ${t.id}: debit account currency`));
        assert.equal(cr.currency, t.currency, say(`transfer ${t.id}: credit account currency`));
        if (t.flags & (TRANSFER_POST | TRANSFER_VOID)) {
          const pending = logTransfers.get(t.pendingId!);
          assert.ok(pending, say(`transfer ${t.id} resolves unknown pending ${t.pendingId}`));
          assert.ok(pending.data.flags & TRANSFER_PENDING, say(`${t.pendingId} is a pending transfer`));
          assert.equal(logStatus.get(t.pendingId!), 'pending', say(`${t.pendingId} is resolved once only`));
          assert.equal(t.debitAccountId, pending.data.debitAccountId, say('post/void debit account'));
          assert.equal(t.creditAccountId, pending.data.creditAccountId, say('post/void credit account'));
          const reserved = BigInt(pending.data.amount);
          dr.debitsPending -= reserved;
          cr.creditsPending -= reserved;
          if (t.flags & TRANSFER_POST) {
            assert.ok(amount <= reserved, say(`post ${t.id} moves no more than was reserved`));
            dr.debitsPosted += amount;
            cr.creditsPosted += amount;
            logStatus.set(t.pendingId!, 'posted');
          } else {
            assert.equal(amount, reserved, say(`void ${t.id} releases the reserved amount`));
            logStatus.set(t.pendingId!, 'voided');
          }
        } else if (t.flags & TRANSFER_PENDING) {
          dr.debitsPending += amount;
          cr.creditsPending += amount;
          logStatus.set(t.id, 'pending');
        } else {
          dr.debitsPosted += amount;
          cr.creditsPosted += amount;
        }
        timestamp = BigInt(t.timestamp);
        break;
      }
      case 'TransferFailed': {
        assert.ok(!logTransfers.has(e.data.id), say(`transfer ${e.data.id} failed after it was created`));
        assert.ok(!failedIds.has(e.data.id), say(`transfer ${e.data.id} failed twice`));
        failedIds.add(e.data.id);
        timestamp = BigInt(e.data.timestamp);
        break;
      }
      case 'PendingTransferExpired': {
        const pending = logTransfers.get(e.data.pendingId);
        assert.ok(pending, say(`expiry of unknown pending ${e.data.pendingId}`));
        assert.equal(
          logStatus.get(e.data.pendingId),
          'pending',
          say(`${e.data.pendingId} expires while pending only`),
        );
        assert.equal(e.data.amount, pending.data.amount, say('an expiry releases the reserved amount'));
        account(pending.data.debitAccountId).debitsPending -= BigInt(pending.data.amount);
        account(pending.data.creditAccountId).creditsPending -= BigInt(pending.data.amount);
        logStatus.set(e.data.pendingId, 'expired');
        timestamp = BigInt(e.data.timestamp);
        break;
      }
      default:
        assert.fail(say(`unknown event type ${e.type} at ${e.global_position}`));
    }
    assert.ok(timestamp > lastTimestamp, say(`timestamps increase strictly (position ${e.global_position})`));
    lastTimestamp = timestamp;
  }

  // 3. Recompute balances from ledger_transfers alone.
  const fromRows = new Map<string, AuditedBalances>();
  const rowBalances = (id: string) => {
    let found = fromRows.get(id);
    if (!found) fromRows.set(id, (found = zero()));
    return found;
  };
  const rowsById = new Map(transferRows.map((t) => [t.id, t]));
  const resolutions = new Map<string, TransferRow[]>();
  for (const t of transferRows) {
    const amount = BigInt(t.amount);
    const dr = rowBalances(t.debit_account_id);
    const cr = rowBalances(t.credit_account_id);
    if (t.flags & TRANSFER_PENDING) {
      assert.ok(t.pending_status !== null, say(`pending ${t.id} has a status`));
      if (t.pending_status === 'pending') {
        dr.debitsPending += amount;
        cr.creditsPending += amount;
        assert.equal(t.resolved_position, null, say(`open pending ${t.id} is not resolved`));
      } else {
        assert.ok(t.resolved_position !== null, say(`resolved pending ${t.id} has a resolved position`));
      }
    } else {
      assert.equal(t.pending_status, null, say(`non-pending ${t.id} has no pending status`));
      if (t.flags & (TRANSFER_POST | TRANSFER_VOID)) {
        const list = resolutions.get(t.pending_id!) ?? [];
        list.push(t);
        resolutions.set(t.pending_id!, list);
      }
      if (!(t.flags & TRANSFER_VOID)) {
        dr.debitsPosted += amount;
        cr.creditsPosted += amount;
      }
    }
  }
  // Each pending transfer's status agrees with what resolved it.
  const expiredInLog = new Map(
    events
      .filter((e) => e.type === 'PendingTransferExpired')
      .map((e) => [e.data.pendingId, e.global_position]),
  );
  for (const t of transferRows) {
    if (!(t.flags & TRANSFER_PENDING)) continue;
    const resolvedBy = resolutions.get(t.id) ?? [];
    assert.ok(resolvedBy.length <= 1, say(`pending ${t.id} resolved ${resolvedBy.length} times`));
    const by = resolvedBy[0];
    const expected = by
      ? by.flags & TRANSFER_POST
        ? 'posted'
        : 'voided'
      : expiredInLog.has(t.id)
        ? 'expired'
        : 'pending';
    assert.equal(t.pending_status, expected, say(`status of pending ${t.id}`));
    assert.equal(logStatus.get(t.id), expected, say(`status of pending ${t.id} in the log`));
    if (by) {
      assert.equal(t.resolved_position, by.global_position, say(`resolved position of ${t.id}`));
      assert.equal(by.debit_account_id, t.debit_account_id);
      assert.equal(by.credit_account_id, t.credit_account_id);
    } else if (expected === 'expired') {
      assert.equal(t.resolved_position, expiredInLog.get(t.id), say(`expiry position of ${t.id}`));
    }
  }
  for (const pendingId of resolutions.keys())
    assert.ok(rowsById.has(pendingId), say(`resolved ${pendingId} exists`));

  // 4. ledger_transfers = the TransferCreated events, one for one.
  assert.equal(
    transferRows.length,
    logTransfers.size,
    say('one ledger_transfers row per TransferCreated event'),
  );
  for (const t of transferRows) {
    const logged = logTransfers.get(t.id);
    assert.ok(logged, say(`transfer ${t.id} has its event`));
    assert.equal(t.global_position, logged.position, say(`position of transfer ${t.id}`));
    assert.equal(t.amount, logged.data.amount, say(`amount of transfer ${t.id}`));
    assert.equal(t.debit_account_id, logged.data.debitAccountId);
    assert.equal(t.credit_account_id, logged.data.creditAccountId);
    assert.equal(t.flags, logged.data.flags);
    assert.equal(t.timestamp, logged.data.timestamp);
    assert.equal(t.pending_id, logged.data.pendingId);
    assert.equal(t.currency, logged.data.currency);
  }

  // 5. ledger_accounts = both recomputations; flags hold; per currency debits = credits.
  assert.equal(accountRows.length, fromLog.size, say('one ledger_accounts row per AccountCreated event'));
  const totals = new Map<string, AuditedBalances>();
  for (const row of accountRows) {
    const stored: AuditedBalances = {
      debitsPending: BigInt(row.debits_pending),
      debitsPosted: BigInt(row.debits_posted),
      creditsPending: BigInt(row.credits_pending),
      creditsPosted: BigInt(row.credits_posted),
    };
    const logged = fromLog.get(row.id);
    assert.ok(logged, say(`account ${row.id} has its event`));
    assert.equal(row.currency, logged.currency);
    assert.equal(row.flags, logged.flags);
    const { currency: _c, flags: _f, ...loggedBalances } = logged;
    assert.deepEqual(stored, loggedBalances, say(`balances of ${row.id} = replay of the log`));
    assert.deepEqual(
      stored,
      fromRows.get(row.id) ?? zero(),
      say(`balances of ${row.id} = sum of ledger_transfers`),
    );
    for (const value of Object.values(stored))
      assert.ok(value >= 0n, say(`balances of ${row.id} are not negative`));
    if (row.flags & ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) {
      assert.ok(
        stored.debitsPending + stored.debitsPosted <= stored.creditsPosted,
        say(`${row.id} debits_must_not_exceed_credits: ${JSON.stringify(stored, (_, v) => String(v))}`),
      );
    }
    if (row.flags & ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) {
      assert.ok(
        stored.creditsPending + stored.creditsPosted <= stored.debitsPosted,
        say(`${row.id} credits_must_not_exceed_debits: ${JSON.stringify(stored, (_, v) => String(v))}`),
      );
    }
    const total = totals.get(row.currency) ?? zero();
    total.debitsPending += stored.debitsPending;
    total.debitsPosted += stored.debitsPosted;
    total.creditsPending += stored.creditsPending;
    total.creditsPosted += stored.creditsPosted;
    totals.set(row.currency, total);
  }
  for (const id of fromRows.keys()) assert.ok(fromLog.has(id), say(`transfers refer to known account ${id}`));
  for (const [currency, total] of totals) {
    assert.equal(
      total.debitsPosted,
      total.creditsPosted,
      say(`${currency}: sum of debits_posted = sum of credits_posted`),
    );
    assert.equal(
      total.debitsPending,
      total.creditsPending,
      say(`${currency}: sum of debits_pending = sum of credits_pending`),
    );
  }

  const statuses = new Map<string, string>();
  for (const t of transferRows) if (t.pending_status !== null) statuses.set(t.id, t.pending_status);
  const ledgerEvents = events.filter((e) => LEDGER_EVENT_TYPES.has(e.type)).length;
  return {
    events: ledgerEvents,
    otherEvents: events.length - ledgerEvents,
    accounts: fromLog,
    pendingStatus: statuses,
    transfers: transferRows.length,
    failedIds,
  };
}
