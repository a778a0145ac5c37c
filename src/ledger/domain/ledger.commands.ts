import type { AccountInput, TransferInput } from './model.js';

/**
 * Commands the ledger decides. `now` is the service clock's reading (ns) when the sequencer
 * decides the command; timestamps are derived from it so deciding stays pure and replayable.
 */
export interface CreateAccounts {
  readonly type: 'CreateAccounts';
  readonly accounts: readonly AccountInput[];
  /** Strict (REST): any result other than a state-dependent outcome rejects the whole batch. */
  readonly strict: boolean;
  readonly now: bigint;
}

export interface CreateTransfers {
  readonly type: 'CreateTransfers';
  readonly transfers: readonly TransferInput[];
  readonly strict: boolean;
  readonly now: bigint;
}

/** Expire every pending transfer whose timeout has passed at `now`. Issued by a timer. */
export interface ExpirePendingTransfers {
  readonly type: 'ExpirePendingTransfers';
  readonly now: bigint;
}

export type LedgerCommand = CreateAccounts | CreateTransfers | ExpirePendingTransfers;
