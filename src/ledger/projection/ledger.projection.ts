import type { QueryRunner } from 'typeorm';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import type { Id } from '../domain/id.js';
import type { LedgerEvent } from '../domain/ledger.events.js';
import type { LedgerState } from '../domain/ledger.state.js';
import { BatchRows, numberArray, sqlLiteral, textArray } from '../../platform/sequencer/sql-arrays.js';
import { TransferFlags, type Account, type Transfer } from '../domain/model.js';

/**
 * What the projection reads from memory: each account the batch touched, in the order of its
 * first touch, as it is at the batch's end, and the position of the batch's last event that
 * touched it.
 */
export interface LedgerCapture {
  readonly accounts: readonly Account[];
  readonly positions: readonly bigint[];
  /** Index into `accounts` and `positions` by account id. */
  readonly index: ReadonlyMap<Id, number>;
}

/**
 * Called when the batch is sent to commit, while memory holds exactly its end state (the
 * sequencer decides the next batch while this one commits). Accounts are immutable values, so
 * keeping the references is a copy.
 */
export function captureLedger(batch: readonly RecordedEvent[], state: LedgerState): LedgerCapture {
  const accounts: Account[] = [];
  const positions: bigint[] = [];
  const index = new Map<Id, number>();
  const touch = (id: Id, position: bigint) => {
    const at = index.get(id);
    if (at !== undefined) {
      positions[at] = position;
      return;
    }
    const account = state.accounts.get(id);
    if (account === undefined) throw new Error(`the batch touched account ${id}, which is not in memory`);
    index.set(id, accounts.length);
    accounts.push(account);
    positions.push(position);
  };
  for (let i = 0; i < batch.length; i++) {
    const { event, position } = batch[i] as { event: LedgerEvent; position: bigint };
    switch (event.type) {
      case 'AccountCreated':
        touch(event.data.account.id, position);
        break;
      case 'TransferCreated':
        touch(event.data.transfer.debitAccountId, position);
        touch(event.data.transfer.creditAccountId, position);
        break;
      case 'PendingTransferExpired':
        touch(event.data.debitAccountId, position);
        touch(event.data.creditAccountId, position);
        break;
      case 'TransferFailed':
        break;
    }
  }
  return { accounts, positions, index };
}

/**
 * Writes the ledger's read models for one committed batch, inside the batch's transaction: the
 * statements of `ledgerProjectionSql`, one after the other. (The sequencer normally sends them
 * itself, in the same message as the events.)
 */
export async function projectLedger(
  tx: QueryRunner,
  batch: readonly RecordedEvent[],
  captured: LedgerCapture,
): Promise<void> {
  for (const statement of ledgerProjectionSql(batch, captured)) await tx.query(statement);
}

/**
 * The ledger's read-model writes for one batch as SQL statements with their values inlined, at
 * most four whatever the batch size. Measured per 16,000 transfers (docs/benchmarks.md):
 * ledger_transfers from array literals ~200 ms, where one json document read with `r->>n` took
 * ~440 ms; the transfers and balances now travel in BatchRows' forms (packed ids, constants,
 * counts), which PostgreSQL parses in a fraction of an array literal's time. Account balances
 * come from `captured`, the accounts as they were at the end of the batch.
 */
export function ledgerProjectionSql(batch: readonly RecordedEvent[], captured: LedgerCapture): string[] {
  const newAccounts: Account[] = [];
  const newAccountPositions: bigint[] = [];
  const transfers: Transfer[] = [];
  const transferPositions: bigint[] = [];
  const resolutions: Array<{ id: Id; status: string; position: bigint }> = [];

  for (let i = 0; i < batch.length; i++) {
    const { event, position } = batch[i] as { event: LedgerEvent; position: bigint };
    switch (event.type) {
      case 'AccountCreated':
        newAccounts.push(captured.accounts[captured.index.get(event.data.account.id)!]!);
        newAccountPositions.push(position);
        break;
      case 'TransferCreated': {
        const t = event.data.transfer;
        transfers.push(t);
        transferPositions.push(position);
        if (t.pendingId !== null && t.flags & TransferFlags.postPendingTransfer) {
          resolutions.push({ id: t.pendingId, status: 'posted', position });
        } else if (t.pendingId !== null && t.flags & TransferFlags.voidPendingTransfer) {
          resolutions.push({ id: t.pendingId, status: 'voided', position });
        }
        break;
      }
      case 'PendingTransferExpired':
        resolutions.push({ id: event.data.pendingId, status: 'expired', position });
        break;
      case 'TransferFailed':
        break; // only the in-memory state needs it (id_already_failed)
    }
  }

  const statements: string[] = [];
  const array = (literal: string, type: string) => `${sqlLiteral(literal)}::${type}[]`;

  if (newAccounts.length > 0) {
    const accounts = newAccounts;
    statements.push(
      `insert into ledger_accounts (id, currency, code, flags, user_data_128, user_data_64, user_data_32,
         debits_pending, debits_posted, credits_pending, credits_posted, timestamp, created_position, updated_position)
       select id, currency, code, flags, u128, u64, u32, 0, 0, 0, 0, ts, pos, pos
       from unnest(${array(textArray(accounts.map((a) => a.id)), 'uuid')},
                   ${array(textArray(accounts.map((a) => a.currency)), 'text')},
                   ${array(numberArray(accounts.map((a) => a.code)), 'int')},
                   ${array(numberArray(accounts.map((a) => a.flags)), 'int')},
                   ${array(textArray(accounts.map((a) => a.userData128)), 'uuid')},
                   ${array(numberArray(accounts.map((a) => a.userData64)), 'bigint')},
                   ${array(numberArray(accounts.map((a) => a.userData32)), 'bigint')},
                   ${array(numberArray(accounts.map((a) => a.timestamp)), 'bigint')},
                   ${array(numberArray(newAccountPositions), 'bigint')})
         as a(id, currency, code, flags, u128, u64, u32, ts, pos)`,
    );
  }

  if (transfers.length > 0) {
    // Each column in the form PostgreSQL parses fastest (BatchRows, sql-arrays.ts): the three ids
    // packed, constant and counting columns (currency, code, timestamps, positions) without an
    // array.
    const rows = transfers.map((t, i) => ({ t, position: transferPositions[i]! }));
    const b = new BatchRows(rows);
    const values = [
      b.uuids(({ t }) => t.id),
      b.uuids(({ t }) => t.debitAccountId),
      b.uuids(({ t }) => t.creditAccountId),
      b.numbers(({ t }) => t.amount, 'bigint'),
      b.texts(({ t }) => t.pendingId, 'uuid'),
      b.texts(({ t }) => t.userData128, 'uuid'),
      b.numbers(({ t }) => t.userData64, 'bigint'),
      b.numbers(({ t }) => t.userData32, 'bigint'),
      b.numbers(({ t }) => t.timeout, 'int'),
      b.texts(({ t }) => t.currency, 'text'),
      b.numbers(({ t }) => t.code, 'int'),
      b.numbers(({ t }) => t.flags, 'int'),
      b.numbers(({ t }) => t.timestamp, 'bigint'),
      b.numbers(({ position }) => position, 'bigint'),
      b.texts(({ t }) => (t.flags & TransferFlags.pending ? 'pending' : null), 'text'),
    ];
    statements.push(
      `insert into ledger_transfers (id, debit_account_id, credit_account_id, amount, pending_id, user_data_128,
         user_data_64, user_data_32, timeout, currency, code, flags, timestamp, global_position, pending_status)
       select ${values.join(', ')}
       from ${b.from()}`,
    );
  }

  if (resolutions.length > 0) {
    statements.push(
      `update ledger_transfers t set pending_status = r.status, resolved_position = r.pos
       from unnest(${array(textArray(resolutions.map((r) => r.id)), 'uuid')},
                   ${array(textArray(resolutions.map((r) => r.status)), 'text')},
                   ${array(numberArray(resolutions.map((r) => r.position)), 'bigint')}) as r(id, status, pos)
       where t.id = r.id`,
    );
  }

  if (captured.accounts.length > 0) {
    // ledger_accounts has fillfactor 50 (migration 1764000000009), so these updates are HOT:
    // no new primary-key entry per updated row. Columns as in the transfers insert above.
    const accounts = captured.accounts;
    const b = new BatchRows(accounts.map((account, i) => ({ account, position: captured.positions[i]! })));
    const id = b.uuids(({ account }) => account.id);
    const dp = b.numbers(({ account }) => account.debitsPending, 'bigint');
    const dpo = b.numbers(({ account }) => account.debitsPosted, 'bigint');
    const cp = b.numbers(({ account }) => account.creditsPending, 'bigint');
    const cpo = b.numbers(({ account }) => account.creditsPosted, 'bigint');
    const pos = b.numbers(({ position }) => position, 'bigint');
    statements.push(
      `update ledger_accounts a set debits_pending = b.dp, debits_posted = b.dpo, credits_pending = b.cp,
         credits_posted = b.cpo, updated_position = b.pos
       from (select ${id} as id, ${dp} as dp, ${dpo} as dpo, ${cp} as cp, ${cpo} as cpo, ${pos} as pos
             from ${b.from()}) b
       where a.id = b.id`,
    );
  }
  return statements;
}
