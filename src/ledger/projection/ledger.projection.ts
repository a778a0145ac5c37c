import type { QueryRunner } from 'typeorm';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import type { Id } from '../domain/id.js';
import type { LedgerEvent } from '../domain/ledger.events.js';
import type { LedgerState } from '../domain/ledger.state.js';
import {
  numberArray,
  numberColumn,
  repeatedTextColumn,
  sqlLiteral,
  textArray,
  textColumn,
} from '../../platform/sequencer/sql-arrays.js';
import { TransferFlags, type Account, type Transfer } from '../domain/model.js';

/** What the projection reads from memory: each touched account as it is at the batch's end. */
export interface LedgerCapture {
  readonly accounts: ReadonlyMap<Id, Account>;
}

/**
 * Called when the batch is sent to commit, while memory holds exactly its end state (the
 * sequencer decides the next batch while this one commits). Accounts are immutable values, so
 * keeping the references is a copy.
 */
export function captureLedger(batch: readonly RecordedEvent[], state: LedgerState): LedgerCapture {
  const accounts = new Map<Id, Account>();
  const keep = (id: Id) => {
    if (!accounts.has(id)) accounts.set(id, state.accounts.get(id)!);
  };
  for (const recorded of batch) {
    const event = recorded.event as LedgerEvent;
    switch (event.type) {
      case 'AccountCreated':
        keep(event.data.account.id);
        break;
      case 'TransferCreated':
        keep(event.data.transfer.debitAccountId);
        keep(event.data.transfer.creditAccountId);
        break;
      case 'PendingTransferExpired':
        keep(event.data.debitAccountId);
        keep(event.data.creditAccountId);
        break;
      case 'TransferFailed':
        break;
    }
  }
  return { accounts };
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
 * The ledger's read-model writes for one batch as SQL statements with their values inlined
 * (typed array literals, sql-arrays.ts), at most four whatever the batch size. Measured per
 * 16,000 transfers (docs/benchmarks.md): ledger_transfers from array literals ~200 ms, where one
 * json document read with `r->>n` took ~440 ms. Account balances come from `captured`, the
 * accounts as they were at the end of the batch.
 */
export function ledgerProjectionSql(batch: readonly RecordedEvent[], captured: LedgerCapture): string[] {
  const newAccounts: Array<{ id: Id; position: bigint }> = [];
  const transfers: Array<{ transfer: Transfer; position: bigint }> = [];
  const resolutions: Array<{ id: Id; status: string; position: bigint }> = [];
  const touched = new Map<Id, bigint>();

  for (const recorded of batch) {
    const event = recorded.event as LedgerEvent;
    switch (event.type) {
      case 'AccountCreated':
        newAccounts.push({ id: event.data.account.id, position: recorded.position });
        touched.set(event.data.account.id, recorded.position);
        break;
      case 'TransferCreated': {
        const t = event.data.transfer;
        transfers.push({ transfer: t, position: recorded.position });
        touched.set(t.debitAccountId, recorded.position);
        touched.set(t.creditAccountId, recorded.position);
        if (t.pendingId !== null && t.flags & TransferFlags.postPendingTransfer) {
          resolutions.push({ id: t.pendingId, status: 'posted', position: recorded.position });
        } else if (t.pendingId !== null && t.flags & TransferFlags.voidPendingTransfer) {
          resolutions.push({ id: t.pendingId, status: 'voided', position: recorded.position });
        }
        break;
      }
      case 'PendingTransferExpired':
        resolutions.push({ id: event.data.pendingId, status: 'expired', position: recorded.position });
        touched.set(event.data.debitAccountId, recorded.position);
        touched.set(event.data.creditAccountId, recorded.position);
        break;
      case 'TransferFailed':
        break; // only the in-memory state needs it (id_already_failed)
    }
  }

  const statements: string[] = [];
  const array = (literal: string, type: string) => `${sqlLiteral(literal)}::${type}[]`;

  if (newAccounts.length > 0) {
    const accounts = newAccounts.map((a) => captured.accounts.get(a.id)!);
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
                   ${array(numberArray(newAccounts.map((a) => a.position)), 'bigint')})
         as a(id, currency, code, flags, u128, u64, u32, ts, pos)`,
    );
  }

  if (transfers.length > 0) {
    type Row = { transfer: Transfer; position: bigint };
    const column = (get: (t: Transfer) => string | null, type: string) =>
      array(
        textColumn(transfers, (r: Row) => get(r.transfer)),
        type,
      );
    const numbers = (get: (t: Transfer) => number | bigint, type: string) =>
      array(
        numberColumn(transfers, (r: Row) => get(r.transfer)),
        type,
      );
    statements.push(
      `insert into ledger_transfers (id, debit_account_id, credit_account_id, amount, pending_id, user_data_128,
         user_data_64, user_data_32, timeout, currency, code, flags, timestamp, global_position, pending_status)
       select * from unnest(${column((t) => t.id, 'uuid')}, ${column((t) => t.debitAccountId, 'uuid')},
         ${column((t) => t.creditAccountId, 'uuid')}, ${numbers((t) => t.amount, 'bigint')},
         ${column((t) => t.pendingId, 'uuid')}, ${column((t) => t.userData128, 'uuid')},
         ${numbers((t) => t.userData64, 'bigint')}, ${numbers((t) => t.userData32, 'bigint')},
         ${numbers((t) => t.timeout, 'int')}, ${array(
           repeatedTextColumn(transfers, (r: Row) => r.transfer.currency),
           'text',
         )},
         ${numbers((t) => t.code, 'int')}, ${numbers((t) => t.flags, 'int')},
         ${numbers((t) => t.timestamp, 'bigint')}, ${array(
           numberColumn(transfers, (r: Row) => r.position),
           'bigint',
         )},
         ${column((t) => (t.flags & TransferFlags.pending ? 'pending' : null), 'text')})`,
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

  if (touched.size > 0) {
    // ledger_accounts has fillfactor 50 (migration 1764000000009), so these updates are HOT:
    // no new primary-key entry per updated row.
    const rows = [...touched].map(([id, position]) => ({ account: captured.accounts.get(id)!, position }));
    type Row = (typeof rows)[number];
    const balance = (get: (a: Account) => bigint) =>
      array(
        numberColumn(rows, (r: Row) => get(r.account)),
        'bigint',
      );
    statements.push(
      `update ledger_accounts a set debits_pending = b.dp, debits_posted = b.dpo, credits_pending = b.cp,
         credits_posted = b.cpo, updated_position = b.pos
       from unnest(${array(
         textColumn(rows, (r: Row) => r.account.id),
         'uuid',
       )}, ${balance((a) => a.debitsPending)}, ${balance((a) => a.debitsPosted)},
                   ${balance((a) => a.creditsPending)}, ${balance((a) => a.creditsPosted)},
                   ${array(
                     numberColumn(rows, (r: Row) => r.position),
                     'bigint',
                   )}) as b(id, dp, dpo, cp, cpo, pos)
       where a.id = b.id`,
    );
  }
  return statements;
}
