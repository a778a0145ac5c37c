import { accepted, type Decision } from '../../platform/decider/decider.js';
import type { Id } from './id.js';
import type { ExpirePendingTransfers } from './ledger.commands.js';
import type { LedgerReply } from './ledger.decider.js';
import { ledgerStreamId, type LedgerEvent, type PendingTransferExpired } from './ledger.events.js';
import type { LedgerState } from './ledger.state.js';

/**
 * Expires every open pending transfer whose timeout has passed at `now`, releasing its
 * reservation. Driven by the service clock through a timer command (TigerBeetle expires on its
 * cluster time), so deciding stays pure and replays give the same result.
 */
export function decideExpirePendingTransfers(
  command: ExpirePendingTransfers,
  state: LedgerState,
): Decision<LedgerEvent, LedgerReply> {
  const due: [Id, bigint][] = [];
  for (const [id, expiry] of state.pendingExpiries.entries()) {
    if (expiry <= command.now) due.push([id, expiry]);
  }
  // Expiry order, ties by id: map iteration order depends on history, this does not.
  due.sort(([idA, a], [idB, b]) => (a !== b ? (a < b ? -1 : 1) : idA < idB ? -1 : idA > idB ? 1 : 0));

  const events: LedgerEvent[] = [];
  let last = state.lastTimestamp.value;
  for (const [id] of due) {
    const pending = state.transfers.get(id);
    // Evolve removes the expiry when a transfer is resolved; this guards a corrupted state only.
    if (pending === undefined || state.pendingStatus.get(id) !== 'pending') continue;
    const timestamp = command.now > last ? command.now : last + 1n;
    last = timestamp;
    const event: PendingTransferExpired = {
      type: 'PendingTransferExpired',
      streamId: ledgerStreamId(pending.currency),
      data: {
        pendingId: id,
        debitAccountId: pending.debitAccountId,
        creditAccountId: pending.creditAccountId,
        amount: pending.amount,
        timestamp,
      },
    };
    events.push(event);
  }
  return accepted(events, { kind: 'ExpirePendingTransfers', expired: events.length });
}
