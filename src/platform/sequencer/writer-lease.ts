import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

export class LeaseHeldElsewhereError extends Error {
  constructor() {
    super(
      'another yuanbridge instance holds the writer lease on this database; only one instance writes at a time (YB_LEASE_MODE=wait makes this one wait for it)',
    );
  }
}

/** A wait for the lease ended by cancelWait() or release(): the instance is shutting down. */
export class LeaseWaitCancelledError extends Error {
  constructor() {
    super('the wait for the writer lease ended: this instance is shutting down');
  }
}

/**
 * Whether the writer may resume after taking its lease back, given the log position the database
 * holds: 'yes'; 'later' (batches still in flight: ask again); 'resync' (the log is ahead of
 * memory: a commit of this writer's that failed on the broken connection had landed; memory is
 * rebuilt from the log, then writing resumes); 'never' (memory cannot match the database: only
 * a restart, which rebuilds state, may write again).
 */
export type ResumeCheck = (headPosition: bigint) => 'yes' | 'later' | 'resync' | 'never';

const RETAKE_MAX_DELAY_MS = 2_000;

/**
 * The single writer's lease: a session-level PostgreSQL advisory lock held on a dedicated
 * connection for as long as this instance writes. The lock alone is not the fence (a lost
 * connection drops it silently); every append also checks `event_log_head.writer_id`, which the
 * lease holder sets on acquisition, so a writer that lost its lease cannot append.
 *
 * When the lease's connection breaks (PostgreSQL restarted, the network cut), the lease is lost
 * and the writer refuses writes (503 `not_the_writer`); it then tries to take the lock back, with
 * backoff, and resumes only if no other instance has written since (`writer_id` is still this
 * one's) and the sequencer's memory still matches the log's head (see ResumeCheck). Without
 * this, one database restart stopped the service writing until it was restarted itself.
 */
export class WriterLease {
  readonly writerId = randomUUID();
  private readonly logger = new Logger('writer-lease');
  private client: Client | null = null;
  private lost = false;
  private retaking = false;
  private released = false;
  private resumeCheck: ResumeCheck = () => 'yes';
  private resync: () => Promise<void> = () => Promise.resolve();
  private stopWaiting: () => void = () => {};
  private waitCancelled = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  get isLost(): boolean {
    return this.lost;
  }

  /** The sequencer says when it may resume after the lease was lost and taken back. */
  resumeOnlyIf(check: ResumeCheck, resync: () => Promise<void>): void {
    this.resumeCheck = check;
    this.resync = resync;
  }

  private get lockKey(): string {
    return `yuanbridge-writer:${this.schema}`;
  }

  private newClient(): Client {
    const options = this.dataSource.driver.options as unknown as Record<string, unknown>;
    const extra = (options.extra ?? {}) as Record<string, unknown>;
    return new Client({
      connectionString: options.url as string | undefined,
      host: options.host as string | undefined,
      port: options.port as number | undefined,
      user: options.username as string | undefined,
      database: options.database as string | undefined,
      options: extra.options as string | undefined,
    });
  }

  private tryLock(client: Client): Promise<boolean> {
    return client
      .query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [this.lockKey])
      .then(({ rows }) => rows[0]?.locked === true);
  }

  /**
   * Takes the lease; in 'wait' mode polls until it is free, in 'refuse' mode throws at once
   * (LeaseHeldElsewhereError). A wait ends with LeaseWaitCancelledError when release() is called first
   * (a standby shut down before it took over), or cancelWait().
   */
  async acquire(mode: 'wait' | 'refuse', onWait: () => void = () => {}): Promise<void> {
    if (this.waitCancelled) throw new LeaseWaitCancelledError();
    const client = this.newClient();
    await client.connect();
    client.on('error', () => undefined); // until held: a failure surfaces as a rejected query
    try {
      let warned = false;
      while (!(await this.tryLock(client))) {
        if (mode === 'refuse') throw new LeaseHeldElsewhereError();
        if (this.waitCancelled) break;
        if (!warned) onWait();
        warned = true;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1_000);
          this.stopWaiting = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.stopWaiting = () => {};
      }
      if (this.waitCancelled) throw new LeaseWaitCancelledError();
    } catch (error) {
      // Refused, cancelled, or the database failed: ending the session drops any lock it took.
      await client.end().catch(() => undefined);
      throw error;
    }
    await client.query('update event_log_head set writer_id = $1, writer_since = now() where id = 1', [
      this.writerId,
    ]);
    this.hold(client);
  }

  /** Keeps `client` as the lease's connection; when it breaks, the lease is lost and retaken. */
  private hold(client: Client): void {
    this.client = client;
    const onBroken = () => {
      if (this.client !== client) return;
      this.client = null;
      this.lost = true;
      client.end().catch(() => undefined);
      if (this.released) return;
      this.logger.warn('the writer lease connection broke; writes are refused until the lease is taken back');
      void this.retake();
    };
    client.on('error', onBroken);
    client.on('end', onBroken);
  }

  private async retake(): Promise<void> {
    if (this.retaking) return;
    this.retaking = true;
    try {
      for (let attempt = 0; !this.released; attempt++) {
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(100 * 2 ** attempt, RETAKE_MAX_DELAY_MS)),
        );
        if (this.released) return;
        const client = this.newClient();
        client.on('error', () => undefined);
        let held = false;
        try {
          await client.connect();
          const writer = async () =>
            (
              await client.query<{ writer_id: string | null; position: string }>(
                'select writer_id, position::text as position from event_log_head where id = 1',
              )
            ).rows[0]!;
          if ((await writer()).writer_id !== this.writerId) {
            this.logger.error('another instance took the writer lease over: this one no longer writes');
            return;
          }
          if (!(await this.tryLock(client))) continue; // our old session may linger a while
          const head = await writer();
          if (head.writer_id !== this.writerId) {
            this.logger.error('another instance took the writer lease over: this one no longer writes');
            return;
          }
          const verdict = this.resumeCheck(BigInt(head.position));
          if (verdict === 'later') {
            await client.query('select pg_advisory_unlock(hashtext($1))', [this.lockKey]);
            continue;
          }
          if (verdict === 'resync') {
            // Still holding the lock (and with `lost` set, so nothing is submitted meanwhile).
            await this.resync();
          }
          if (verdict === 'never') {
            this.logger.error(
              `the log's head (${head.position}) is not where this writer's memory is: restart the service to rebuild its state`,
            );
            return;
          }
          held = true;
          client.removeAllListeners('error');
          this.hold(client);
          this.lost = false;
          this.logger.log('the writer lease was taken back; writing again');
          return;
        } catch {
          // PostgreSQL is still away: try again later.
        } finally {
          if (!held) await client.end().catch(() => undefined);
        }
      }
    } finally {
      this.retaking = false;
    }
  }

  /** Ends a wait for the lease in progress (acquire rejects with LeaseWaitCancelledError); a held lease stays. */
  cancelWait(): void {
    this.waitCancelled = true;
    this.stopWaiting();
  }

  async release(): Promise<void> {
    this.released = true;
    this.cancelWait();
    const client = this.client;
    this.client = null;
    if (client === null) return;
    try {
      await client.query('select pg_advisory_unlock_all()');
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
