import v8 from 'node:v8';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock.js';
import type { DomainEvent, Rejection } from '../decider/decider.js';
import type { EventMetadata, RecordedEvent } from '../event-store/recorded-event.js';
import { UndoableMap, type Undoable } from '../state/undoable-map.js';
import type { SequencedModule, SubmittedCommand } from './sequenced-module.js';
import { BatchRows, numberArray, sqlLiteral, textArray } from './sql-arrays.js';
import { resolveScope, type EventScope, type ScopeDirectory } from '../event-store/event-scope.js';
import { GENESIS_CHAIN, canonicalText, checkpointMessage } from '../../audit/proof/audit-proof.mjs';
import { hash as hashOnce } from 'node:crypto';
import { chainLinks, merkleRootOfHashes } from './chain-digests.js';
import type { WriterLease } from './writer-lease.js';
import { readLogPages } from './log-pages.js';

/** Ask the same question twice, get the same answer once (RFC draft "Idempotency-Key"). */
export interface IdempotencyRequest {
  /** Whose key space (an institution id; 'public' before request signing exists). */
  readonly scope: string;
  readonly key: string;
  /** Hash of the request; the same key with another hash is refused. */
  readonly requestHash: string;
}

export interface Submission {
  readonly command: SubmittedCommand;
  readonly metadata: EventMetadata;
  readonly idempotency?: IdempotencyRequest;
}

export type Outcome =
  | {
      readonly kind: 'accepted';
      readonly reply: unknown;
      readonly position: bigint;
      readonly replayed: boolean;
    }
  | { readonly kind: 'rejected'; readonly rejection: Rejection };

/** The batch could not be committed: nothing of it happened. The caller may retry. */
export class CommitFailedError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the batch could not be committed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** This instance is not (or no longer) the writer. */
export class NotTheWriterError extends Error {}

/**
 * The append's fence refused the batch: the log's head is not where this writer's memory is. Either
 * another instance writes now, or a commit of this writer's own that it reported as failed (its
 * connection broke while committing) in fact landed; `Sequencer.afterFence` tells which.
 */
class FencedError extends NotTheWriterError {}

interface Pending {
  readonly submission: Submission;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

interface StoredReply {
  readonly requestHash: string;
  readonly reply: unknown;
  readonly position: bigint;
}

interface NewKey {
  readonly idempotency: IdempotencyRequest;
  readonly reply: unknown;
  readonly position: bigint;
}

/** Commands decided together and committed in one transaction. */
interface Batch {
  readonly pendings: Pending[];
  readonly outcomes: Outcome[];
  readonly recorded: RecordedEvent[];
  readonly keys: NewKey[];
  /** Log position before the batch (the fence's expected position) and after it. */
  readonly start: bigint;
  end: bigint;
  readonly recordedAt: Date;
  /** Deciding threw: the batch fails as a whole once the batch before it has settled. */
  poisoned: { readonly error: unknown } | null;
  /** Its commit, prepared while the batch before it commits (valid while no command joins). */
  prepared: Prepared | null;
  /** The audit chain after the batch's last event (set when its commit is prepared). */
  chainEnd: Uint8Array | null;
  /**
   * Set when sent: a module writes it through `project` without having captured what it reads
   * from memory, so nothing may be decided on top of it until it has committed.
   */
  holdsNext: boolean;
  /** process.hrtime.bigint() when it was sent to commit (0n before). */
  shippedAt: bigint;
}

/** What a batch observer learns of each batch sent to commit (metrics). */
export interface BatchCommit {
  readonly commands: number;
  readonly events: number;
  /** From sending the batch to its commit (or failure), in seconds. */
  readonly seconds: number;
  readonly committed: boolean;
}

interface LaterWrite {
  readonly module: SequencedModule;
  readonly events: RecordedEvent[];
  readonly captured: unknown;
}

/** A batch's commit, ready to send. */
interface Prepared {
  /** Commands and events of the batch when it was prepared. */
  readonly commands: number;
  readonly events: number;
  /** The message of statements; null when the batch writes nothing. */
  readonly statements: string | null;
  /** Modules without projectionSql: written through `project` before the commit. */
  readonly later: LaterWrite[];
  /** The audit chain after the batch's last event. */
  readonly chainEnd: Uint8Array;
}

/**
 * How the sequencer seals what it writes (docs/audit.md): every batch's commit carries a
 * checkpoint signed with the node key, and every event the scope its readers are checked against.
 */
export interface AuditSeal {
  readonly keyId: string;
  sign(message: Uint8Array): Uint8Array;
  /** The institutions registry, once its module is registered (null: scopes stay unresolved). */
  directory(): ScopeDirectory | null;
}

/**
 * The undo frame: every state change since the pipeline was last empty. It opens with the first
 * batch decided on committed state and closes when every decided batch has committed.
 */
interface Frame {
  /** The committed position when the frame opened. */
  readonly start: bigint;
  /** Batches committed since it opened, replayed into memory if a later one fails. */
  readonly committed: Batch[];
  events: number;
}

/** An event's resolved scope as two elements of the batch's text-array columns. */
interface ScopeLiterals {
  readonly institutions: string;
  readonly jurisdictions: string;
}

/** A module without scopeOf: only the operator reads its events. */
const NO_SCOPE: EventScope = Object.freeze({});

const SNAPSHOT_FORMAT = 'v8-1';
const SNAPSHOT_PART_BYTES = 32 * 1024 * 1024;
/** While replaying, modules trim their caches (afterCommit) after this many events. */
const REPLAY_TRIM_EVERY = 20_000;
/** SQLSTATE raised by event_log_advance (migration 1764000000009) when the fence fails. */
const FENCE_FAILED = 'YBF01';
/** Smaller batches are prepared when sent: preparing them costs little. */
const PREPARE_AHEAD_MIN_EVENTS = 1_000;
/**
 * Under sustained load the pipeline never empties by itself, so the undo frame (and the events
 * kept to replay after a failure) would grow without end: past this many events, the sequencer
 * lets the pipeline drain once before deciding more.
 */
const FRAME_MAX_EVENTS = 100_000;

/**
 * The single writer (docs/adr/0002-single-writer-sequencer.md, pipelining: 0008).
 *
 * Commands are queued as they arrive and decided in order against in-memory state, each
 * command's events evolved at once so later commands see earlier ones. A batch's events,
 * idempotency keys and inline projections are written in ONE transaction, guarded by the
 * expected log position and this writer's id. Batches are pipelined, two deep: while one batch
 * commits, the commands that arrive are decided (on top of it, in memory) into the next, which is
 * sent to commit as soon as the first has committed. So Node decides while PostgreSQL writes,
 * and under load batches grow by themselves (group commit).
 *
 * Callers are answered only after their own batch (and so every batch before it) committed. If
 * a commit fails, that batch and the one decided on top of it fail as a whole (their callers get
 * CommitFailedError), and memory returns to the committed state: the undo frame is rolled back
 * to where the pipeline was last empty and the batches committed since are evolved again.
 */
export class Sequencer {
  private readonly modulesByCommand = new Map<string, SequencedModule>();
  private readonly modulesByEvent = new Map<string, SequencedModule>();
  private readonly streamVersions = new UndoableMap<string, number>();
  private readonly idempotency = new UndoableMap<string, StoredReply>();
  private queue: Pending[] = [];
  private scheduled = false;
  private pumping = false;
  private prefetching = false;
  private trimDue = false;
  /** Decided, waiting for the batch before it to commit. Always the newest decided batch. */
  private open: Batch | null = null;
  /** Committing. */
  private shipped: Batch | null = null;
  private frame: Frame | null = null;
  private settleWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private snapshotDue = false;
  private snapshotWaiters: Array<(write: Promise<void>) => void> = [];
  private started = false;
  private stopping = false;
  /** Position of the last decided event (ahead of the committed one while batches are in flight). */
  private position = 0n;
  private committed = 0n;
  /** The audit chain at the committed position. */
  private committedChain: Uint8Array = GENESIS_CHAIN;
  private eventsSinceSnapshot = 0;
  private fencedOut = false;
  /** Set while afterFence finds out who moved the head and, if it was this writer, rebuilds memory. */
  private resyncing: Promise<void> | null = null;
  private readonly logger = new Logger('sequencer');
  private snapshotWrite: Promise<void> | null = null;
  private readonly listeners: Array<(events: readonly RecordedEvent[]) => void> = [];
  private readonly batchObservers: Array<(batch: BatchCommit) => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly lease: WriterLease,
    private readonly clock: Clock,
    private readonly modules: readonly SequencedModule[],
    private readonly options: { batchMaxCommands: number; snapshotEveryEvents: number },
    private readonly seal: AuditSeal,
  ) {
    // After a broken lease connection (a database restart): resume only with memory = the log.
    lease.resumeOnlyIf(
      (head) => {
        if (!this.isDrained() || this.pumping) return 'later';
        if (head === this.committed) return 'yes';
        // The log is ahead: a commit of ours that failed on a broken connection had landed.
        return head > this.committed ? 'resync' : 'never';
      },
      () => this.resync(),
    );
    for (const module of modules) {
      for (const type of module.commandTypes) this.modulesByCommand.set(type, module);
      for (const type of module.eventTypes) this.modulesByEvent.set(type, module);
    }
  }

  /** Everything the undo frame covers (read each time: a module's reset replaces its state). */
  private get undoables(): Undoable[] {
    return [...this.modules.map((m) => m.state), this.streamVersions, this.idempotency];
  }

  /** Position of the last committed event. */
  get committedPosition(): bigint {
    return this.committed;
  }

  get isStarted(): boolean {
    return this.started && !this.stopping && !this.fencedOut && !this.lease.isLost;
  }

  /** Called with every committed batch's events, after the commit, in order. */
  onCommitted(listener: (events: readonly RecordedEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Called once per batch sent to commit, after it committed or failed. Observers run on the
   * sequencer's path: they must be cheap and must not throw (a histogram's observe is both).
   */
  onBatch(observer: (batch: BatchCommit) => void): void {
    this.batchObservers.push(observer);
  }

  /** Rebuilds state from the latest snapshot plus the events after it, then accepts commands. */
  async start(): Promise<void> {
    await this.rebuild();
    this.committed = this.position;
    this.started = true;
  }

  /** Stops accepting commands and waits for the batches in flight to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const pending of this.queue) pending.reject(new NotTheWriterError('the service is shutting down'));
    this.queue = [];
    if (!this.isIdle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.snapshotWrite?.catch(() => undefined);
  }

  submit(submission: Submission): Promise<Outcome> {
    if (!this.isStarted) return Promise.reject(new NotTheWriterError('the sequencer is not running'));
    if (!this.modulesByCommand.has(submission.command.type)) {
      return Promise.reject(new Error(`no module decides ${submission.command.type}`));
    }
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ submission, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pumping) return;
    this.scheduled = true;
    // setImmediate lets everything that arrived in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.pump();
    });
  }

  private isDrained(): boolean {
    return this.shipped === null && this.open === null;
  }

  private isIdle(): boolean {
    return !this.pumping && this.isDrained();
  }

  private wantsDrain(): boolean {
    return this.snapshotDue || (this.frame !== null && this.frame.events >= FRAME_MAX_EVENTS);
  }

  /** Resolves the next time a batch settles (commits or fails). */
  private settled(): Promise<void> {
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  /**
   * Takes queued commands, prefetches what they need, decides them into the open batch and sends
   * it to commit when nothing else is committing. With nothing in flight, one command is taken
   * and sent alone, so that the rest of the queue is decided while it commits.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.stopping) {
        const open = this.open;
        if (
          (this.wantsDrain() && !this.isDrained()) ||
          (open !== null && (open.poisoned !== null || open.pendings.length >= this.options.batchMaxCommands))
        ) {
          await this.settled();
          continue;
        }
        const room = this.options.batchMaxCommands - (open?.pendings.length ?? 0);
        const take = this.queue.splice(0, this.isDrained() ? 1 : room);
        if (this.lease.isLost || this.fencedOut) {
          const error = new NotTheWriterError(
            this.fencedOut
              ? 'this instance lost its writer lease; another instance writes now'
              : 'this instance has lost its writer lease (its database connection broke); it is taking it back',
          );
          for (const pending of take) pending.reject(error);
          continue;
        }
        this.prefetching = true;
        try {
          const commands = take.map((pending) => pending.submission.command);
          for (const module of this.modules) await module.prefetch?.(commands);
        } catch (error) {
          const failure = new CommitFailedError(error);
          for (const pending of take) pending.reject(failure);
          continue;
        } finally {
          this.prefetching = false;
        }
        // A module's `project` may read memory when it runs: without `capture` (or
        // `projectionSql`), its batch must commit before anything is decided on top of it.
        while (this.shipped?.holdsNext) await this.settled();
        this.decide(take);
        this.ship();
        this.prepareAhead();
        // Let the batch in flight send its statements before more is decided.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.pumping = false;
      if (this.trimDue) this.trimCaches();
      if (this.queue.length > 0 && !this.stopping) this.schedule();
      this.checkIdle();
    }
  }

  /** Decides `take` in order into the open batch (opening one, and the undo frame, if needed). */
  private decide(take: readonly Pending[]): void {
    if (this.frame === null) {
      for (const undoable of this.undoables) undoable.begin();
      this.frame = { start: this.position, committed: [], events: 0 };
    }
    let batch = this.open;
    if (batch === null) {
      batch = {
        pendings: [],
        outcomes: [],
        recorded: [],
        keys: [],
        start: this.position,
        end: this.position,
        recordedAt: new Date(Number(this.clock.nowNs() / 1_000_000n)),
        poisoned: null,
        prepared: null,
        chainEnd: null,
        holdsNext: false,
        shippedAt: 0n,
      };
      this.open = batch;
    }
    batch.pendings.push(...take);
    const { recorded, outcomes, recordedAt } = batch;
    const before = recorded.length;
    try {
      for (const pending of take) {
        const { command, metadata, idempotency } = pending.submission;
        if (idempotency) {
          const stored = this.idempotency.get(idempotencyMapKey(idempotency));
          if (stored) {
            outcomes.push(
              stored.requestHash === idempotency.requestHash
                ? { kind: 'accepted', reply: stored.reply, position: stored.position, replayed: true }
                : { kind: 'rejected', rejection: idempotencyConflict(idempotency.key) },
            );
            continue;
          }
        }
        const module = this.modulesByCommand.get(command.type)!;
        const decision = module.decide({ ...command, now: this.clock.nowNs() });
        if (decision.kind === 'rejected') {
          outcomes.push(decision);
          continue;
        }
        // A command's events mostly follow one another in one stream (a ledger's transfers): its
        // version is kept here while the stream stays the same and stored when it changes, not
        // looked up and journaled (for undo) once per event.
        let stream: string | null = null;
        let version = 0;
        if (module.evolveDecided) module.evolveDecided(decision.events);
        for (const event of decision.events) {
          if (!module.evolveDecided) this.evolve(event);
          if (event.streamId !== stream) {
            if (stream !== null) this.streamVersions.set(stream, version);
            stream = event.streamId;
            version = this.streamVersions.get(stream) ?? 0;
          }
          version += 1;
          this.position += 1n;
          recorded.push({ position: this.position, streamVersion: version, recordedAt, event, metadata });
        }
        if (stream !== null) this.streamVersions.set(stream, version);
        if (idempotency) {
          const stored = {
            requestHash: idempotency.requestHash,
            reply: decision.reply,
            position: this.position,
          };
          this.idempotency.set(idempotencyMapKey(idempotency), stored);
          batch.keys.push({ idempotency, reply: decision.reply, position: this.position });
        }
        outcomes.push({ kind: 'accepted', reply: decision.reply, position: this.position, replayed: false });
      }
    } catch (error) {
      // Memory may hold part of a command: the whole batch fails and is undone (see abandon).
      batch.poisoned = { error };
    }
    batch.end = this.position;
    this.frame.events += recorded.length - before;
  }

  /** Sends the open batch to commit, if nothing is committing. */
  private ship(): void {
    const batch = this.open;
    if (this.shipped !== null || batch === null) return;
    this.open = null;
    if (batch.poisoned !== null) {
      this.abandon(batch, new CommitFailedError(batch.poisoned.error));
      return;
    }
    this.shipped = batch;
    batch.shippedAt = process.hrtime.bigint();
    let commit: Promise<void>;
    try {
      // Prepared ahead if nothing joined the batch since (see prepareAhead).
      const prepared =
        batch.prepared !== null && batch.prepared.commands === batch.pendings.length
          ? batch.prepared
          : this.prepare(batch);
      batch.prepared = null;
      batch.chainEnd = prepared.chainEnd;
      batch.holdsNext = prepared.later.some((write) => write.module.capture === undefined);
      commit = prepared.statements === null ? Promise.resolve() : this.commit(prepared);
    } catch (error) {
      commit = Promise.reject(error);
    }
    commit.then(
      () => this.batchCommitted(batch),
      (error: unknown) => this.batchFailed(batch, error),
    );
  }

  /**
   * While a batch commits, the open batch's statements are prepared in advance, so that it can be
   * sent the moment the commit before it ends. Prepared again only when it has doubled since (a
   * batch that keeps growing costs at most twice its preparation).
   */
  private prepareAhead(): void {
    const batch = this.open;
    if (batch === null || this.shipped === null || batch.poisoned !== null) return;
    const events = batch.recorded.length;
    if (events < PREPARE_AHEAD_MIN_EVENTS) return;
    if (batch.prepared !== null && events < 2 * batch.prepared.events) return;
    try {
      batch.prepared = this.prepare(batch);
    } catch {
      batch.prepared = null; // prepared again when shipped, where the error fails the batch
    }
  }

  /**
   * The batch's commit as SQL. Called while memory holds exactly the state at the batch's end
   * (nothing decided after it): what the projections read from memory is captured now, since the
   * next batch is decided while this one commits.
   */
  private prepare(batch: Batch): Prepared {
    const { start, end, recorded, keys, recordedAt } = batch;
    // The chain goes on from the batch committing before this one (prepared ahead) or, when
    // this one is sent, from the committed log.
    const previous =
      this.shipped !== null && this.shipped !== batch ? this.shipped.chainEnd! : this.committedChain;
    const base = { commands: batch.pendings.length, events: recorded.length, chainEnd: previous };
    if (recorded.length === 0 && keys.length === 0) return { ...base, statements: null, later: [] };
    const at = sqlLiteral(recordedAt.toISOString());
    const statements = [
      'begin',
      `select event_log_advance(${start}, ${end}, ${sqlLiteral(this.lease.writerId)})`,
    ];
    if (recorded.length > 0) {
      const sealed = this.eventsSql(start, recorded, at, previous);
      base.chainEnd = sealed.chainEnd;
      statements.push(sealed.sql, sealed.checkpoint);
    }
    if (keys.length > 0) {
      statements.push(
        `insert into idempotency_keys (scope, key, request_hash, reply, global_position, created_at)
         select scope, key, hash, reply, pos, ${at}::timestamptz
         from unnest(${sqlLiteral(textArray(keys.map((k) => k.idempotency.scope)))}::text[],
                     ${sqlLiteral(textArray(keys.map((k) => k.idempotency.key)))}::text[],
                     ${sqlLiteral(textArray(keys.map((k) => k.idempotency.requestHash)))}::text[],
                     ${sqlLiteral(textArray(keys.map((k) => storedReplyJson(k.reply))))}::jsonb[],
                     ${sqlLiteral(numberArray(keys.map((k) => k.position)))}::bigint[])
           as k(scope, key, hash, reply, pos)`,
      );
    }
    const byModule = new Map<SequencedModule, RecordedEvent[]>();
    // Events of one type come in runs (a batch of transfers): looked up when the type changes.
    let type: string | null = null;
    let events: RecordedEvent[] | undefined;
    for (const r of recorded) {
      if (r.event.type !== type) {
        type = r.event.type;
        const module = this.modulesByEvent.get(type)!;
        events = byModule.get(module);
        if (events === undefined) byModule.set(module, (events = []));
      }
      events!.push(r);
    }
    // A batch whose events are all one module's hands it the batch's own array.
    if (byModule.size === 1 && events!.length === recorded.length) {
      for (const key of byModule.keys()) byModule.set(key, recorded);
    }
    const later: LaterWrite[] = [];
    for (const module of this.modules) {
      const events = byModule.get(module);
      if (events === undefined) continue;
      const captured = module.capture?.(events);
      if (module.projectionSql) statements.push(...module.projectionSql(events, captured));
      else later.push({ module, events, captured });
    }
    if (later.length === 0) statements.push('commit');
    // Concatenated, not joined: join copies the megabytes of the events' and transfers' literals
    // into a new string, concatenation links them, and the driver copies the whole message once
    // when it encodes it.
    let message = statements[0]!;
    for (let i = 1; i < statements.length; i++) message += ';\n' + statements[i]!;
    return { ...base, statements: message, later };
  }

  private observe(batch: Batch, committed: boolean): void {
    if (this.batchObservers.length === 0) return;
    const stats: BatchCommit = {
      commands: batch.pendings.length,
      events: batch.recorded.length,
      seconds: Number(process.hrtime.bigint() - batch.shippedAt) / 1e9,
      committed,
    };
    for (const observer of this.batchObservers) {
      try {
        observer(stats);
      } catch (error) {
        // As with committed listeners: reported, never allowed to stall or fail the pipeline.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private batchCommitted(batch: Batch): void {
    this.shipped = null;
    this.committed = batch.end;
    this.observe(batch, true);
    this.frame!.committed.push(batch);
    batch.pendings.forEach((pending, index) => pending.resolve(batch.outcomes[index]!));
    if (batch.chainEnd !== null) this.committedChain = batch.chainEnd;
    if (batch.recorded.length > 0) {
      for (const listener of this.listeners) {
        try {
          listener(batch.recorded);
        } catch (error) {
          // As an uncaught exception, without stalling the pipeline: the batch has committed.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      this.eventsSinceSnapshot += batch.recorded.length;
      if (
        this.options.snapshotEveryEvents > 0 &&
        this.eventsSinceSnapshot >= this.options.snapshotEveryEvents
      ) {
        this.eventsSinceSnapshot = 0;
        this.snapshotDue = true;
      }
    }
    this.afterSettle();
  }

  private batchFailed(batch: Batch, error: unknown): void {
    this.shipped = null;
    this.observe(batch, false);
    // Fenced out: stop writing rather than fail every batch, until we know who moved the head.
    if (error instanceof NotTheWriterError) this.fencedOut = true;
    if (error instanceof FencedError) this.afterFence();
    const failure = error instanceof NotTheWriterError ? error : new CommitFailedError(error);
    for (const pending of batch.pendings) pending.reject(failure);
    // The batch decided on top of it fails with it: nothing of either happened.
    const next = this.open;
    this.open = null;
    if (next !== null) for (const pending of next.pendings) pending.reject(failure);
    this.rollbackToCommitted();
    this.afterSettle();
  }

  /**
   * After the fence refused a batch. If the head is another instance's, that instance writes now:
   * this one stays fenced out. If it is still ours, the log holds a batch this writer reported as
   * failed and rolled back: its connection broke while committing, after PostgreSQL had committed
   * (an ambiguous commit). Its callers were told it failed; a retry with the same idempotency key
   * is answered from the log. Memory is rebuilt from the log (snapshot + tail) and writing goes
   * on, instead of stopping until a restart did the same.
   */
  private afterFence(): void {
    if (this.resyncing !== null) return;
    this.resyncing = (async () => {
      try {
        while (!this.isIdle()) await new Promise((resolve) => setTimeout(resolve, 5));
        const [head] = await this.dataSource.query(
          'select writer_id, position::text as position from event_log_head where id = 1',
        );
        if (head?.writer_id !== this.lease.writerId) {
          this.logger.error(
            'the writer was fenced out: another instance writes now; this one no longer writes',
          );
          return;
        }
        if (BigInt(head.position) <= this.committed) {
          // Behind memory: committed events are missing from the database (a restore?). Not ours
          // to repair: an operator decides; a restart rebuilds from what the database holds.
          this.logger.error(
            `the log's head (${head.position}) is behind this writer's memory (${this.committed}): it no longer writes`,
          );
          return;
        }
        await this.resync();
        this.fencedOut = false;
      } catch (error) {
        this.logger.error(`rebuilding memory after a fenced batch failed: ${(error as Error).message}`);
      } finally {
        this.resyncing = null;
        if (this.queue.length > 0) this.schedule();
      }
    })();
  }

  /**
   * Memory rebuilt from the log while nothing is in flight (as at start): for a log that moved
   * ahead of memory through this writer's own ambiguous commit.
   */
  private async resync(): Promise<void> {
    const behind = this.committed;
    this.frame = null;
    this.streamVersions.clear();
    this.idempotency.clear();
    await this.rebuild();
    this.committed = this.position;
    this.logger.warn(
      `memory was behind the log (${behind} < ${this.committed}): a commit reported as failed had landed; rebuilt from the log, writing again`,
    );
  }

  /** A batch whose deciding threw, once nothing is committing before it. */
  private abandon(batch: Batch, failure: Error): void {
    for (const pending of batch.pendings) pending.reject(failure);
    this.rollbackToCommitted();
    this.afterSettle();
  }

  /**
   * Never let memory run ahead of the database: back to the state when the frame opened, then the
   * batches committed since are evolved again, as a replay of the log would.
   */
  private rollbackToCommitted(): void {
    const frame = this.frame;
    if (frame === null) return;
    for (const undoable of this.undoables) undoable.rollback();
    this.frame = null;
    this.position = frame.start;
    for (const batch of frame.committed) {
      for (const r of batch.recorded) {
        this.evolve(r.event);
        this.streamVersions.set(r.event.streamId, r.streamVersion);
      }
      for (const k of batch.keys) {
        this.idempotency.set(idempotencyMapKey(k.idempotency), {
          requestHash: k.idempotency.requestHash,
          reply: k.reply,
          position: k.position,
        });
      }
      this.position = batch.end;
    }
    if (this.position !== this.committed) {
      throw new Error(`undo reached position ${this.position}, the log is at ${this.committed}`);
    }
  }

  /**
   * Lets modules trim their caches (afterCommit), only while memory equals the database (the
   * pipeline is empty) and no prefetched command awaits its decision, so that what is evicted is
   * committed and what a prefetch loaded stays until it is used; otherwise at the next such moment
   * (under sustained load the pipeline is drained every FRAME_MAX_EVENTS events).
   */
  private trimCaches(): void {
    if (this.prefetching || !this.isDrained()) {
      this.trimDue = true;
      return;
    }
    this.trimDue = false;
    for (const module of this.modules) module.afterCommit?.();
  }

  /** After a batch settled: send the next one, or, with the pipeline empty, close the frame. */
  private afterSettle(): void {
    this.ship();
    if (this.isDrained()) {
      if (this.frame !== null) {
        for (const undoable of this.undoables) undoable.commit();
        this.frame = null;
      }
      this.trimCaches(); // after the frame closed: evictions need no undo
      if (this.snapshotDue) {
        this.snapshotDue = false;
        // A snapshot is a cache: losing one costs only replay time.
        const write = this.snapshotNow();
        write.catch(() => undefined);
        for (const waiter of this.snapshotWaiters.splice(0)) waiter(write);
      }
    }
    for (const waiter of this.settleWaiters.splice(0)) waiter();
    if (this.queue.length > 0 && !this.stopping) this.schedule();
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.isIdle()) for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  private evolve(event: DomainEvent): void {
    const module = this.modulesByEvent.get(event.type);
    if (!module) throw new Error(`no module evolves ${event.type}`);
    module.evolve(event);
  }

  /**
   * Writes a batch in ONE transaction, sent as ONE message of statements: begin; the fence; the
   * events; the idempotency keys; each module's read models; commit. Values are inlined as
   * literals (no bind parameters in a multi-statement message), so PostgreSQL runs the whole
   * commit without a round trip to Node between statements, while Node decides the next batch.
   * The first statement that fails aborts the rest; the transaction is then rolled back. A module
   * without `projectionSql` is written through `project` after the message, before the commit.
   */
  private async commit(prepared: Prepared): Promise<void> {
    const tx = this.dataSource.createQueryRunner();
    await tx.connect();
    let open = true;
    try {
      await tx.query(prepared.statements!);
      if (prepared.later.length > 0) {
        for (const { module, events, captured } of prepared.later) await module.project(tx, events, captured);
        await tx.query('commit');
      }
      open = false;
    } catch (error) {
      if (open) await tx.query('rollback').catch(() => undefined);
      if ((error as { code?: unknown }).code === FENCE_FAILED)
        throw new FencedError((error as Error).message);
      throw error;
    } finally {
      await tx.release();
    }
  }

  /**
   * The batch's events as one INSERT, and its signed checkpoint. Measured per 16,000 events
   * (docs/benchmarks.md): one json document of rows read with `r->>n` re-reads each row's text
   * per field (~300 ms); here each event's data is one line of a text value, validated once by
   * the json cast (~90 ms), and the small columns travel in BatchRows' forms (a constant for a
   * stream, type or scope the whole batch shares, a count for contiguous versions, else an array
   * literal). `data` and `metadata`
   * keep the exact bytes JSON.stringify wrote (the json type stores its input text as is): the
   * bytes the audit hash covers (audit-proof.mts). JSON.stringify never writes a raw newline (it
   * escapes control characters and adds no whitespace), so '\n' separates the events
   * unambiguously; positions are contiguous from `start`, so they are `start` + the line number.
   */
  private eventsSql(
    start: bigint,
    recorded: readonly RecordedEvent[],
    at: string,
    previousChain: Uint8Array,
  ): { sql: string; checkpoint: string; chainEnd: Uint8Array } {
    const count = recorded.length;
    const data = new Array<string>(count);
    const metadataIndex = new Array<number>(count);
    const metadata: string[] = [];
    const metadataSeen = new Map<EventMetadata, number>();
    // Hashes and chain values packed end to end: sent as two bytea values, sliced per row by SQL.
    // In base64, a third less text for PostgreSQL to receive and scan than hex (512 KB a batch).
    const hashes = Buffer.allocUnsafe(count * 32);
    const chains = Buffer.allocUnsafe(count * 32);
    const institutions = new Array<string>(count);
    const jurisdictions = new Array<string>(count);
    const recordedAt = recorded[0]!.recordedAt.toISOString();
    const directory = this.seal.directory();
    // A batch is mostly one stream, type, command (metadata) and scope after another: each is
    // checked, looked up or resolved when it changes, not per event.
    let position = start;
    let checkedStream: string | null = null;
    let checkedType: string | null = null;
    let module: SequencedModule | undefined;
    let lastMetadata: EventMetadata | null = null;
    let metadataNumber = 0;
    let lastScope: EventScope | null = null;
    let scope: ScopeLiterals | null = null;
    for (let i = 0; i < count; i++) {
      const r = recorded[i]!;
      const event = r.event;
      position += 1n;
      if (r.position !== position) throw new Error('event positions are not contiguous');
      if (event.streamId !== checkedStream) {
        if (event.streamId.includes('\n')) {
          throw new Error(`a stream id or event type holds a line feed: ${JSON.stringify(event.streamId)}`);
        }
        checkedStream = event.streamId;
      }
      if (event.type !== checkedType) {
        if (event.type.includes('\n')) {
          throw new Error(`a stream id or event type holds a line feed: ${JSON.stringify(event.type)}`);
        }
        checkedType = event.type;
        module = this.modulesByEvent.get(event.type)!;
      }
      const text = JSON.stringify(module!.encode(event));
      data[i] = text;
      if (r.metadata !== lastMetadata) {
        lastMetadata = r.metadata;
        const seen = metadataSeen.get(r.metadata);
        if (seen !== undefined) metadataNumber = seen;
        else {
          metadataNumber = metadata.push(JSON.stringify(r.metadata));
          metadataSeen.set(r.metadata, metadataNumber);
        }
      }
      metadataIndex[i] = metadataNumber;
      // eventHash (audit-proof.mts): SHA-256 of the canonical text's UTF-8 bytes, as sha256Text
      // computes it. The digest comes back as a 32-character 'binary' (latin1) string written into place:
      // a Buffer per digest (a new ArrayBuffer each) cost ~0.4 µs more an event here.
      hashes.write(
        hashOnce(
          'sha256',
          canonicalText({
            streamId: event.streamId,
            streamVersion: r.streamVersion,
            type: event.type,
            recordedAt,
            data: text,
            metadata: metadata[metadataNumber - 1]!,
          }),
          'binary',
        ),
        i * 32,
        32,
        'binary',
      );
      // The same scope object (a module's shared one per currency, say) resolves the same way
      // throughout the batch: the directory does not change while it is prepared.
      const eventScope = module!.scopeOf?.(event) ?? NO_SCOPE;
      if (eventScope !== lastScope || scope === null) {
        scope = this.scopeLiterals(eventScope, directory);
        lastScope = eventScope;
      }
      institutions[i] = scope.institutions;
      jurisdictions[i] = scope.jurisdictions;
    }
    // nextChain and merkleRoot (audit-proof.mts) for the whole batch at once (chain-digests.ts).
    const chain = chainLinks(previousChain, hashes, count, chains);
    // Columns in the forms PostgreSQL parses fastest (BatchRows): a batch of one stream's events
    // of one type and one command sends its stream, type, metadata and scope once and its
    // versions as a count.
    const b = new BatchRows(Array.from(recorded, (_, i) => i));
    const d = b.lines((i) => data[i]!);
    const streamId = b.texts((i) => recorded[i]!.event.streamId, 'text');
    const version = b.numbers((i) => recorded[i]!.streamVersion, 'int');
    const type = b.texts((i) => recorded[i]!.event.type, 'text');
    const m = b.numbers((i) => metadataIndex[i]!, 'int');
    const inst = b.texts((i) => institutions[i]!, 'text');
    const juri = b.texts((i) => jurisdictions[i]!, 'text');
    const sql = `insert into events (global_position, stream_id, stream_version, type, data, metadata, recorded_at,
         hash, chain, institutions, jurisdictions)
       select ${start}::bigint + r.o, ${streamId}, ${version}, ${type}, ${d}::json,
         (${sqlLiteral(textArray(metadata))}::json[])[${m}], ${at}::timestamptz,
         substring(p.h from r.o * 32 - 31 for 32), substring(p.c from r.o * 32 - 31 for 32),
         ${inst}::text[], ${juri}::text[]
       from ${b.from()},
         (select decode('${hashes.toString('base64')}', 'base64') as h,
                 decode('${chains.toString('base64')}', 'base64') as c) p`;
    const end = start + BigInt(recorded.length);
    const body = {
      from: start.toString(),
      to: end.toString(),
      merkleRoot: merkleRootOfHashes(hashes, count).toString('hex'),
      chainHead: chain.toString('hex'),
      recordedAt,
    };
    const signature = Buffer.from(this.seal.sign(checkpointMessage(body))).toString('hex');
    const checkpoint = `insert into audit_checkpoints
         (to_position, from_position, merkle_root, chain_head, recorded_at, key_id, signature)
       values (${end}, ${start}, decode('${body.merkleRoot}', 'hex'), decode('${body.chainHead}', 'hex'),
               ${sqlLiteral(recordedAt)}, ${sqlLiteral(this.seal.keyId)}, decode('${signature}', 'hex'))`;
    return { sql, checkpoint, chainEnd: chain };
  }

  /** Scope literals per scope shape: a currency's transfers all share one. */
  private readonly scopeCache = new Map<string, ScopeLiterals>();

  /** An event's resolved scope as two array literals (elements of the batch's text columns). */
  private scopeLiterals(scope: EventScope, directory: ScopeDirectory | null): ScopeLiterals {
    const key = `${(scope.institutions ?? []).join(',')}|${(scope.jurisdictions ?? []).join(',')}|${(scope.currencies ?? []).join(',')}`;
    const cached = this.scopeCache.get(key);
    if (cached !== undefined) return cached;
    const resolved = resolveScope(scope, directory);
    const literals = {
      institutions: textArray(resolved.institutions),
      jurisdictions: textArray(resolved.jurisdictions),
    };
    // While an institution or a currency is unknown the answer may change: not cached then.
    const known =
      directory !== null &&
      (scope.institutions ?? []).every((id) => !id || directory.jurisdictionOfInstitution(id) !== null) &&
      (scope.currencies ?? []).every((c) => !c || directory.jurisdictionOfCurrency(c) !== null);
    if (known && this.scopeCache.size < 100_000) this.scopeCache.set(key, literals);
    return literals;
  }

  /**
   * Snapshots the state at the committed position. Serializing is synchronous and happens only
   * while the pipeline is empty (nothing decided that is not committed), so the copy is exactly
   * the committed state; if batches are in flight, no new one is decided until they have
   * committed. Writing runs in the background while the sequencer goes on (a snapshot is a cache:
   * if the write fails, restart replays more events).
   */
  takeSnapshot(): Promise<void> {
    if (this.isDrained()) return this.snapshotNow();
    this.snapshotDue = true;
    return new Promise<Promise<void>>((resolve) => this.snapshotWaiters.push(resolve)).then((write) => write);
  }

  private snapshotNow(): Promise<void> {
    if (this.snapshotWrite !== null) return this.snapshotWrite;
    const position = this.committed;
    const state = v8.serialize({
      position,
      streamVersions: [...this.streamVersions.entries()],
      modules: Object.fromEntries(this.modules.map((m) => [m.name, m.snapshot()])),
    });
    this.snapshotWrite = this.writeSnapshot(position, state).finally(() => {
      this.snapshotWrite = null;
    });
    return this.snapshotWrite;
  }

  private async writeSnapshot(position: bigint, state: Buffer): Promise<void> {
    const parts = Math.max(1, Math.ceil(state.length / SNAPSHOT_PART_BYTES));
    const tx = this.dataSource.createQueryRunner();
    await tx.connect();
    try {
      await tx.startTransaction();
      for (let part = 0; part < parts; part++) {
        await tx.query(
          `insert into snapshots (position, part, parts, format, state, taken_at) values ($1, $2, $3, $4, $5, now())
           on conflict (position, part) do nothing`,
          [
            position.toString(),
            part,
            parts,
            SNAPSHOT_FORMAT,
            state.subarray(part * SNAPSHOT_PART_BYTES, (part + 1) * SNAPSHOT_PART_BYTES),
          ],
        );
      }
      // Older snapshots are superseded; keep the last two in case the newest is unreadable.
      await tx.query(
        `delete from snapshots where position < (
           select min(position) from (select distinct position from snapshots order by position desc limit 2) s)`,
      );
      await tx.commitTransaction();
    } catch (error) {
      if (tx.isTransactionActive) await tx.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await tx.release();
    }
  }

  /** State = latest readable snapshot + every event after it. */
  private async rebuild(): Promise<void> {
    for (const module of this.modules) module.reset();
    this.position = 0n;
    const snapshots: Array<{ position: string; format: string; parts: number }> = await this.dataSource.query(
      `select position, min(format) as format, min(parts) as parts from snapshots
       group by position order by position desc limit 2`,
    );
    for (const snapshot of snapshots) {
      if (snapshot.format !== SNAPSHOT_FORMAT) continue;
      try {
        // One part per query, as base64: a bytea value arrives as hex text, twice its size; base64
        // is a third larger, and Node decodes it faster (measured on 32 MB: 0.12 s of CPU instead
        // of 0.23 s, docs/benchmarks.md).
        const chunks: Buffer[] = [];
        for (let part = 0; part < snapshot.parts; part++) {
          const [row] = (await this.dataSource.query(
            `select encode(state, 'base64') as state, octet_length(state) as bytes from snapshots
             where position = $1 and part = $2`,
            [snapshot.position, part],
          )) as Array<{ state: string; bytes: number }>;
          if (!row) throw new Error(`snapshot ${snapshot.position} lacks part ${part}`);
          const chunk = Buffer.from(row.state, 'base64');
          if (chunk.length !== row.bytes)
            throw new Error(`snapshot ${snapshot.position} part ${part} misread`);
          chunks.push(chunk);
        }
        const decoded = v8.deserialize(Buffer.concat(chunks)) as {
          position: bigint;
          streamVersions: Array<[string, number]>;
          modules: Record<string, unknown>;
        };
        for (const module of this.modules) module.restore(decoded.modules[module.name]);
        for (const [stream, version] of decoded.streamVersions) this.streamVersions.set(stream, version);
        this.position = decoded.position;
        break;
      } catch {
        for (const module of this.modules) module.reset();
        this.streamVersions.clear();
      }
    }
    let sinceTrim = 0;
    await readLogPages(this.dataSource, this.position, (page) => {
      const { types, streamIds, streamVersions, data } = page;
      for (let i = 0; i < page.count; i++) {
        const type = types[i]!;
        const module = this.modulesByEvent.get(type);
        if (!module) throw new Error(`the log holds an event no module knows: ${type}`);
        module.evolve(module.decode(type, streamIds[i]!, data[i]));
        this.streamVersions.set(streamIds[i]!, streamVersions[i]!);
        // What JSON.parse made for this event and the state does not keep can die young.
        data[i] = null;
      }
      this.position = page.last;
      sinceTrim += page.count;
      if (sinceTrim >= REPLAY_TRIM_EVERY) {
        sinceTrim = 0;
        for (const module of this.modules) module.afterCommit?.();
      }
    });
    for (const module of this.modules) module.afterCommit?.();
    const [head] = await this.dataSource.query('select position from event_log_head where id = 1');
    if (BigInt(head.position) !== this.position) {
      throw new Error(`the event log head says ${head.position} but the log ends at ${this.position}`);
    }
    this.committedChain = GENESIS_CHAIN;
    if (this.position > 0n) {
      const [last] = await this.dataSource.query('select chain from events where global_position = $1', [
        this.position.toString(),
      ]);
      this.committedChain = new Uint8Array(last.chain as Buffer);
    }
    const keys: Array<{
      scope: string;
      key: string;
      request_hash: string;
      reply: unknown;
      global_position: string;
    }> = await this.dataSource.query(
      'select scope, key, request_hash, reply, global_position from idempotency_keys',
    );
    for (const k of keys) {
      this.idempotency.set(`${k.scope}\u0000${k.key}`, {
        requestHash: k.request_hash,
        reply: fromStoredReply(k.reply),
        position: BigInt(k.global_position),
      });
    }
  }
}

/**
 * Replies are kept for idempotent replay and may hold bigints (amounts, times), which JSON has
 * not: they are stored as {"$bigint": "123"} and restored on rebuild, so a replay after a restart
 * answers exactly what the first call answered.
 */
function storedReplyJson(reply: unknown): string {
  return JSON.stringify(reply, (_key, value: unknown) =>
    typeof value === 'bigint' ? { $bigint: value.toString() } : value,
  );
}

function fromStoredReply(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromStoredReply);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === '$bigint' && typeof entries[0]![1] === 'string') {
      return BigInt(entries[0]![1]);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, fromStoredReply(v)]));
  }
  return value;
}

function idempotencyMapKey(request: IdempotencyRequest): string {
  return `${request.scope}\u0000${request.key}`;
}

function idempotencyConflict(key: string): Rejection {
  return {
    code: 'idempotency_key_reused',
    status: 409,
    title: 'Idempotency key reused with a different request',
    detail: `The idempotency key ${JSON.stringify(key)} was already used for a different request; nothing was executed. Use a new key for a new request.`,
  };
}
