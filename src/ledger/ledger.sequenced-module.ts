import { Inject, Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { RecordedEvent } from '../platform/event-store/recorded-event.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/config.js';
import { Database } from '../platform/database/database.js';
import { IdFilter, type FilterSnapshot } from '../platform/sequencer/id-filter.js';
import type { SequencedModule, SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { textArray } from '../platform/sequencer/sql-arrays.js';
import type { Id } from './domain/id.js';
import type { PendingStatus, Transfer } from './domain/model.js';
import { decodeLedgerEvent, encodeLedgerEvent } from './domain/ledger.codec.js';
import type { LedgerCommand } from './domain/ledger.commands.js';
import { decideLedgerWithEffects, evolveLedger, type DecidedEffects } from './domain/ledger.decider.js';
import { LEDGER_EVENT_TYPES, type LedgerEvent } from './domain/ledger.events.js';
import { LedgerState } from './domain/ledger.state.js';
import {
  captureLedger,
  ledgerProjectionSql,
  projectLedger,
  type LedgerCapture,
} from './projection/ledger.projection.js';
import type { EventScope } from '../platform/event-store/event-scope.js';
import { ledgerScope } from './domain/ledger.scope.js';

interface LedgerSnapshot {
  accounts: Array<[string, unknown]>;
  transfers: Array<[string, unknown]>;
  failedTransfers: Array<[string, unknown]>;
  pendingStatus: Array<[string, unknown]>;
  pendingExpiries: Array<[string, unknown]>;
  lastTimestamp: bigint;
  /** True while every transfer ever created is in memory (nothing evicted yet). */
  complete: boolean;
  /** Ids of the transfers that left memory (absent from snapshots taken before it existed). */
  evicted?: FilterSnapshot;
}

/** The ledger as the sequencer sees it: the pure decider plus its codec, projection and snapshot. */
@Injectable()
export class LedgerSequencedModule implements SequencedModule {
  readonly name = 'ledger';
  readonly commandTypes = ['CreateAccounts', 'CreateTransfers', 'ExpirePendingTransfers'];
  readonly eventTypes = [...LEDGER_EVENT_TYPES];
  state = new LedgerState();
  /** While true, memory holds every transfer and prefetching can be skipped. */
  private complete = true;
  /**
   * Every transfer id that left memory, when known (null after restoring a snapshot taken before
   * the filter existed): an id neither in memory nor perhaps in here was never created.
   */
  private evicted: IdFilter | null = new IdFilter();

  /** Whether every transfer ever created is in memory (no eviction yet). */
  get holdsAllTransfers(): boolean {
    return this.complete;
  }

  constructor(
    private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The effects of the decision last returned, until evolveDecided takes them. */
  private decided: DecidedEffects | null = null;

  decide(command: SubmittedCommand & { now: bigint }) {
    const { decision, effects } = decideLedgerWithEffects(command as LedgerCommand, this.state);
    this.decided = effects;
    return decision;
  }

  evolve(event: DomainEvent): void {
    evolveLedger(this.state, event as LedgerEvent);
  }

  /**
   * The sequencer evolves a decision's events right after deciding it: the decider's batch overlay
   * already holds their effects (each touched account in its final form), so they are applied at
   * once instead of event by event (DecidedEffects). Anything else (events of another decision,
   * effects the decider could not give) is evolved event by event.
   */
  evolveDecided(events: readonly DomainEvent[]): void {
    const decided = this.decided;
    this.decided = null;
    if (decided !== null && decided.events === events) decided.applyTo(this.state);
    else for (const event of events) evolveLedger(this.state, event as LedgerEvent);
  }

  scopeOf(event: DomainEvent): EventScope {
    return ledgerScope(event as LedgerEvent, this.currencyOfAccount);
  }

  /** Made once, not per event; reads the current state when called. */
  private readonly currencyOfAccount = (id: string): string | null =>
    this.state.accounts.get(id)?.currency ?? null;

  encode(event: DomainEvent): unknown {
    return encodeLedgerEvent(event as LedgerEvent);
  }

  decode(type: string, streamId: string, data: unknown): DomainEvent {
    return decodeLedgerEvent(type, streamId, data);
  }

  /** The accounts the batch touched, as they are at its end (see SequencedModule.capture). */
  capture(events: readonly RecordedEvent[]): LedgerCapture {
    return captureLedger(events, this.state);
  }

  projectionSql(events: readonly RecordedEvent[], captured?: unknown): string[] {
    return ledgerProjectionSql(
      events,
      (captured as LedgerCapture | undefined) ?? captureLedger(events, this.state),
    );
  }

  project(tx: QueryRunner, events: readonly RecordedEvent[], captured?: unknown): Promise<void> {
    return projectLedger(
      tx,
      events,
      (captured as LedgerCapture | undefined) ?? captureLedger(events, this.state),
    );
  }

  snapshot(): LedgerSnapshot {
    const s = this.state;
    return {
      accounts: [...s.accounts.entries()],
      transfers: [...s.transfers.entries()],
      failedTransfers: [...s.failedTransfers.entries()],
      pendingStatus: [...s.pendingStatus.entries()],
      pendingExpiries: [...s.pendingExpiries.entries()],
      lastTimestamp: s.lastTimestamp.value,
      complete: this.complete,
      ...(this.evicted !== null ? { evicted: this.evicted.toSnapshot() } : {}),
    };
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot === undefined) return;
    const data = snapshot as LedgerSnapshot;
    const s = this.state;
    for (const [k, v] of data.accounts) s.accounts.set(k, v as never);
    for (const [k, v] of data.transfers) s.transfers.set(k, v as never);
    for (const [k, v] of data.failedTransfers) s.failedTransfers.set(k, v as never);
    for (const [k, v] of data.pendingStatus) s.pendingStatus.set(k, v as never);
    for (const [k, v] of data.pendingExpiries) s.pendingExpiries.set(k, v as never);
    s.lastTimestamp.value = data.lastTimestamp;
    this.complete = data.complete;
    this.evicted =
      data.evicted !== undefined
        ? IdFilter.fromSnapshot(data.evicted)
        : data.complete
          ? new IdFilter()
          : null;
  }

  reset(): void {
    this.decided = null;
    this.state = new LedgerState();
    this.complete = true;
    this.evicted = new IdFilter();
  }

  /**
   * Reads back the transfers (ids and pending ids) a batch names that are no longer in memory.
   * Ids that are certainly not among the evicted ones are new: not looked up (with ids chosen by
   * clients, nearly every id of a batch is new; the lookup of 8,000 of them took ~30 ms).
   */
  async prefetch(commands: readonly SubmittedCommand[]): Promise<void> {
    if (this.complete) return;
    const s = this.state;
    const evicted = this.evicted;
    // Not in memory, and (if the filter is known) perhaps evicted: the rest was never created.
    // The filter is asked first: nearly every id is new, and it answers "certainly not" from a
    // bit or two, where a look-up in the map of 100,000+ transfers costs cache misses.
    const unknown = (id: Id) =>
      evicted === null ? !s.transfers.has(id) : evicted.mightHave(id) && !s.transfers.has(id);
    const missing = new Set<Id>();
    for (const command of commands) {
      if (command.type !== 'CreateTransfers') continue;
      for (const t of (command as LedgerCommand & { type: 'CreateTransfers' }).transfers) {
        if (unknown(t.id)) missing.add(t.id);
        if (t.pendingId !== null && unknown(t.pendingId)) missing.add(t.pendingId);
      }
    }
    if (missing.size === 0) return;
    const rows: TransferRow[] = await this.database.dataSource.query(
      `select id, debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64,
              user_data_32, timeout, currency, code, flags, timestamp, pending_status
       from ledger_transfers where id = any($1::uuid[])`,
      [textArray([...missing])],
    );
    // A cache entry is true whatever happens to the batch (if a failed batch's undo removes it
    // again, a later prefetch reads it again).
    for (const row of rows) {
      s.transfers.set(row.id, transferFromRow(row));
      if (row.pending_status !== null) s.pendingStatus.set(row.id, row.pending_status as PendingStatus);
    }
  }

  /**
   * Keeps memory bounded: beyond the cache size, the oldest settled transfers (and the status of
   * resolved pending ones) leave memory; they stay in ledger_transfers for prefetch. Open pending
   * transfers stay, since expiry and post/void read them.
   */
  afterCommit(): void {
    const s = this.state;
    const limit = this.config.transferCacheSize;
    if (s.transfers.size <= limit) return;
    const target = Math.floor(limit * 0.9);
    for (const id of s.transfers.keys()) {
      if (s.transfers.size <= target) break;
      const status = s.pendingStatus.get(id);
      if (status === 'pending') continue;
      s.transfers.delete(id);
      if (status !== undefined) s.pendingStatus.delete(id);
      this.evicted?.add(id);
    }
    this.complete = false;
  }
}

interface TransferRow {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  pending_id: string | null;
  user_data_128: string | null;
  user_data_64: string;
  user_data_32: string;
  timeout: number;
  currency: string;
  code: number;
  flags: number;
  timestamp: string;
  pending_status: string | null;
}

function transferFromRow(row: TransferRow): Transfer {
  return {
    id: row.id,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: BigInt(row.amount),
    pendingId: row.pending_id,
    userData128: row.user_data_128,
    userData64: BigInt(row.user_data_64),
    userData32: Number(row.user_data_32),
    timeout: row.timeout,
    currency: row.currency,
    code: row.code,
    flags: row.flags,
    timestamp: BigInt(row.timestamp),
  };
}
