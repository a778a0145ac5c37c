import type { QueryRunner } from 'typeorm';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import type { Id } from '../domain/id.js';
import type { LedgerEvent } from '../domain/ledger.events.js';
import type { LedgerState } from '../domain/ledger.state.js';
import { TransferFlags, type Transfer } from '../domain/model.js';

/**
 * Writes the ledger's read models for one committed batch, inside the batch's transaction.
 * Bulk statements (unnest) keep it to four round trips whatever the batch size. Account balances
 * are written from in-memory state, which at this point already includes the whole batch.
 */
export async function projectLedger(
  tx: QueryRunner,
  batch: readonly RecordedEvent[],
  state: LedgerState,
): Promise<void> {
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

  if (newAccounts.length > 0) {
    const accounts = newAccounts.map((a) => state.accounts.get(a.id)!);
    await tx.query(
      `insert into ledger_accounts (id, currency, code, flags, user_data_128, user_data_64, user_data_32,
         debits_pending, debits_posted, credits_pending, credits_posted, timestamp, created_position, updated_position)
       select id, currency, code, flags, u128, u64, u32, 0, 0, 0, 0, ts, pos, pos
       from unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::uuid[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
         as a(id, currency, code, flags, u128, u64, u32, ts, pos)`,
      [
        accounts.map((a) => a.id),
        accounts.map((a) => a.currency),
        accounts.map((a) => a.code),
        accounts.map((a) => a.flags),
        accounts.map((a) => a.userData128),
        accounts.map((a) => a.userData64.toString()),
        accounts.map((a) => a.userData32),
        accounts.map((a) => a.timestamp.toString()),
        newAccounts.map((a) => a.position.toString()),
      ],
    );
  }

  if (transfers.length > 0) {
    // One json document of rows (see the sequencer's appendEvents for why not unnest arrays).
    const rows = transfers.map(({ transfer: t, position }) => [
      t.id,
      t.debitAccountId,
      t.creditAccountId,
      t.amount.toString(),
      t.pendingId,
      t.userData128,
      t.userData64.toString(),
      t.userData32,
      t.timeout,
      t.currency,
      t.code,
      t.flags,
      t.timestamp.toString(),
      position.toString(),
      t.flags & TransferFlags.pending ? 'pending' : null,
    ]);
    await tx.query(
      `insert into ledger_transfers (id, debit_account_id, credit_account_id, amount, pending_id, user_data_128,
         user_data_64, user_data_32, timeout, currency, code, flags, timestamp, global_position, pending_status)
       select (r->>0)::uuid, (r->>1)::uuid, (r->>2)::uuid, (r->>3)::bigint, (r->>4)::uuid, (r->>5)::uuid,
         (r->>6)::bigint, (r->>7)::bigint, (r->>8)::int, r->>9, (r->>10)::int, (r->>11)::int, (r->>12)::bigint,
         (r->>13)::bigint, r->>14
       from json_array_elements($1::json) as r`,
      [JSON.stringify(rows)],
    );
  }

  if (resolutions.length > 0) {
    await tx.query(
      `update ledger_transfers t set pending_status = r.status, resolved_position = r.pos
       from unnest($1::uuid[], $2::text[], $3::bigint[]) as r(id, status, pos) where t.id = r.id`,
      [
        resolutions.map((r) => r.id),
        resolutions.map((r) => r.status),
        resolutions.map((r) => r.position.toString()),
      ],
    );
  }

  if (touched.size > 0) {
    const rows = [...touched].map(([id, position]) => {
      const a = state.accounts.get(id)!;
      return [
        id,
        a.debitsPending.toString(),
        a.debitsPosted.toString(),
        a.creditsPending.toString(),
        a.creditsPosted.toString(),
        position.toString(),
      ];
    });
    await tx.query(
      `update ledger_accounts a set debits_pending = (b->>1)::bigint, debits_posted = (b->>2)::bigint,
         credits_pending = (b->>3)::bigint, credits_posted = (b->>4)::bigint, updated_position = (b->>5)::bigint
       from json_array_elements($1::json) as b where a.id = (b->>0)::uuid`,
      [JSON.stringify(rows)],
    );
  }
}
