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
import { WriterLease } from './writer-lease.js';
import { NodeKey } from '../node-key/node-key.js';
import type { ScopeDirectory } from '../event-store/event-scope.js';
import { ed25519 } from '@noble/curves/ed25519.js';

/** Published on the Nest EventBus after each committed batch (never before its commit). */
export class EventsCommitted {
  constructor(readonly events: readonly RecordedEvent[]) {}
}

/**
 * Owns the single writer's life in the Nest app: modules register their deciders at init, the
 * lease is taken and state rebuilt at bootstrap (before the HTTP server listens), and at
 * shutdown the sequencer drains, the lease is released and the database closed, in that order.
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
    await lease.acquire(this.config.leaseMode, () =>
      this.logger.warn('another instance holds the writer lease on this database; waiting for it'),
    );
    this.lease = lease;
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
        sign: (message) => ed25519.sign(message, this.nodeKey.secretKey),
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
