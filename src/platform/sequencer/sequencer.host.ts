import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { ProblemException } from '../http/problem.js';
import type { SequencedModule } from './sequenced-module.js';
import { Sequencer, type BatchCommit, type Submission } from './sequencer.js';
import { LeaseHeldElsewhereError, WriterLease } from './writer-lease.js';
import { NodeKey } from '../node-key/node-key.js';
import type { ScopeDirectory } from '../event-store/event-scope.js';

/** Published on the Nest EventBus after each committed batch (never before its commit). */
export class EventsCommitted {
  constructor(readonly events: readonly RecordedEvent[]) {}
}

/**
 * Where this instance is in its life: `standby` (another instance holds the writer lease; this one
 * waits for it), `starting` (the lease is taken; state is being rebuilt and the bootstrap run),
 * `serving` (startApp said so: requests are served), `stopping` (shutting down).
 */
export type InstancePhase = 'standby' | 'starting' | 'serving' | 'stopping';

/**
 * Owns the single writer's life in the Nest app: modules register their deciders at init, the
 * lease is taken and state rebuilt at bootstrap (before the HTTP server listens), and at
 * shutdown the sequencer drains, the lease is released and the database closed, in that order.
 *
 * With `standByInBackground()` (startApp's `serveWhileWaiting`, what main.ts does) and
 * YB_LEASE_MODE=wait, an instance that finds the lease held does not block the bootstrap: it
 * waits for the lease in the background, as a `standby`, while the server listens and the gate
 * (src/platform/http/standby-gate.ts) answers 503 `not_the_writer`; `whenWriting()` resolves
 * once it has taken the lease and rebuilt state.
 */
@Injectable()
export class SequencerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('sequencer');
  private readonly modules: SequencedModule[] = [];
  private sequencer: Sequencer | null = null;
  private lease: WriterLease | null = null;
  private directory: ScopeDirectory | null = null;
  private readonly committedListeners: Array<(events: readonly RecordedEvent[]) => void> = [];
  private readonly batchObservers: Array<(batch: BatchCommit) => void> = [];
  private background = false;
  private currentPhase: InstancePhase = 'standby';
  private writing: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly eventBus: EventBus,
    private readonly nodeKey: NodeKey,
  ) {}

  register(module: SequencedModule): void {
    this.modules.push(module);
  }

  /** Where institutions and currencies belong, for the scope stored with each event (audit). */
  useScopeDirectory(directory: ScopeDirectory): void {
    this.directory = directory;
  }

  /**
   * Every committed batch's events, in order, from the start of the sequencer on (events replayed
   * at rebuild are not repeated). May be called before bootstrap: attached when the sequencer starts.
   */
  onCommitted(listener: (events: readonly RecordedEvent[]) => void): void {
    this.committedListeners.push(listener);
    this.sequencer?.onCommitted(listener);
  }

  /** Each batch sent to commit, committed or failed (see Sequencer.onBatch). */
  onBatch(observer: (batch: BatchCommit) => void): void {
    this.batchObservers.push(observer);
    this.sequencer?.onBatch(observer);
  }

  /** Whether the writer lease was taken and state rebuilt (true even once it has stopped). */
  get hasStarted(): boolean {
    return this.sequencer !== null;
  }

  /** In wait mode, wait for a held lease in the background instead of blocking the bootstrap. */
  standByInBackground(): void {
    this.background = true;
  }

  get phase(): InstancePhase {
    return this.currentPhase;
  }

  get isServing(): boolean {
    return this.currentPhase === 'serving';
  }

  /** startApp: state is rebuilt and the bootstrap has run; requests may be served. */
  markServing(): void {
    if (this.currentPhase === 'starting') this.currentPhase = 'serving';
  }

  /**
   * Resolves once the lease is taken and state rebuilt (at once after bootstrap unless this
   * instance stands by); rejects if that failed, or with LeaseWaitCancelledError at shutdown.
   */
  whenWriting(): Promise<void> {
    return this.writing ?? Promise.reject(new Error('the sequencer host has not been bootstrapped'));
  }

  get isWriting(): boolean {
    return this.sequencer?.isStarted ?? false;
  }

  get committedPosition(): bigint {
    return this.sequencer?.committedPosition ?? 0n;
  }

  /** Submits a command; a rejection becomes a ProblemException carrying its problem detail. */
  async execute<TReply>(
    submission: Submission,
  ): Promise<{ reply: TReply; replayed: boolean; position: bigint }> {
    if (this.sequencer === null) throw new Error('the sequencer has not started');
    const outcome = await this.sequencer.submit(submission);
    if (outcome.kind === 'rejected') throw new ProblemException(outcome.rejection);
    return { reply: outcome.reply as TReply, replayed: outcome.replayed, position: outcome.position };
  }

  async onApplicationBootstrap(): Promise<void> {
    const lease = new WriterLease(this.database.dataSource, this.config.databaseSchema);
    this.lease = lease;
    if (this.background && this.config.leaseMode === 'wait') {
      try {
        await lease.acquire('refuse'); // a free lease is taken now, and state rebuilt before listen
      } catch (error) {
        if (!(error instanceof LeaseHeldElsewhereError)) throw error;
        this.logger.warn(
          'another instance holds the writer lease on this database: standing by (503 not_the_writer) until it is free',
        );
        this.writing = this.waitForLease(lease).then(() => this.startWriting(lease));
        this.writing.catch(() => undefined); // reported to whoever awaits whenWriting()
        return;
      }
    } else {
      await lease.acquire(this.config.leaseMode, () =>
        this.logger.warn('another instance holds the writer lease on this database; waiting for it'),
      );
    }
    this.writing = this.startWriting(lease);
    await this.writing;
  }

  /** Waits for the lease; a database that fails meanwhile is waited for too (until shutdown). */
  private async waitForLease(lease: WriterLease): Promise<void> {
    for (;;) {
      try {
        await lease.acquire('wait');
        return;
      } catch (error) {
        if (this.currentPhase === 'stopping') throw error;
        this.logger.warn(`waiting for the writer lease: ${(error as Error).message}; trying again`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private async startWriting(lease: WriterLease): Promise<void> {
    if (this.currentPhase === 'standby') this.currentPhase = 'starting';
    const sequencer = new Sequencer(
      this.database.dataSource,
      lease,
      this.clock,
      this.modules,
      {
        batchMaxCommands: this.config.batchMaxCommands,
        snapshotEveryEvents: this.config.snapshotEveryEvents,
      },
      {
        keyId: this.nodeKey.keyId,
        sign: (message) => this.nodeKey.sign(message),
        directory: () => this.directory,
      },
    );
    const started = Date.now();
    await sequencer.start();
    sequencer.onCommitted((events) => this.eventBus.publish(new EventsCommitted(events)));
    for (const listener of this.committedListeners) sequencer.onCommitted(listener);
    for (const observer of this.batchObservers) sequencer.onBatch(observer);
    this.sequencer = sequencer;
    this.logger.log(`state rebuilt at position ${sequencer.committedPosition} in ${Date.now() - started} ms`);
  }

  /**
   * Runs after the HTTP server has stopped accepting and its requests in flight have been answered
   * (Nest closes the server first): the batches in flight commit, then the lease and the database
   * are released.
   */
  async onApplicationShutdown(): Promise<void> {
    this.currentPhase = 'stopping';
    // A standby stops waiting; one rebuilding finishes first, so that its sequencer is stopped.
    this.lease?.cancelWait();
    await this.writing?.catch(() => undefined);
    if (this.sequencer !== null) {
      this.logger.log(`draining the sequencer at position ${this.sequencer.committedPosition}`);
      await this.sequencer.stop();
      this.logger.log(`sequencer stopped at position ${this.sequencer.committedPosition}`);
    }
    await this.lease?.release();
    await this.database.close();
  }

  /** For tests and benchmarks: write a snapshot now. */
  async takeSnapshot(): Promise<void> {
    await this.sequencer?.takeSnapshot();
  }
}
