import { UndoableCell, UndoableMap, type Undoable } from '../../platform/state/undoable-map.js';
import type { Id } from './id.js';
import type { Account, CreateTransferResult, PendingStatus, Transfer } from './model.js';

/**
 * The ledger's in-memory state: everything `decide` needs, nothing it does not.
 * All parts are undoable so the sequencer can roll back a batch whose commit failed.
 */
export class LedgerState implements Undoable {
  readonly accounts = new UndoableMap<Id, Account>();
  readonly transfers = new UndoableMap<Id, Transfer>();
  /** Ids whose creation failed transiently: they stay failed. */
  readonly failedTransfers = new UndoableMap<Id, CreateTransferResult>();
  /** Status of every pending transfer (absent for non-pending transfers). */
  readonly pendingStatus = new UndoableMap<Id, PendingStatus>();
  /** Pending transfers still open with a timeout: id → expiry (ns). Scanned by the expiry timer. */
  readonly pendingExpiries = new UndoableMap<Id, bigint>();
  /** Last timestamp handed out; the next is max(now, last + 1). */
  readonly lastTimestamp = new UndoableCell<bigint>(0n);

  begin(): void {
    for (const part of this.parts()) part.begin();
  }

  commit(): void {
    for (const part of this.parts()) part.commit();
  }

  rollback(): void {
    for (const part of this.parts()) part.rollback();
  }

  private parts(): Undoable[] {
    return [
      this.accounts,
      this.transfers,
      this.failedTransfers,
      this.pendingStatus,
      this.pendingExpiries,
      this.lastTimestamp,
    ];
  }
}
