import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

export class LeaseHeldElsewhereError extends Error {
  constructor() {
    super(
      'another yuanbridge instance holds the writer lease on this database; only one instance writes at a time (YB_LEASE_MODE=wait makes this one wait for it)',
    );
  }
}

/**
 * The single writer's lease: a session-level PostgreSQL advisory lock held on a dedicated
 * connection for as long as this instance writes. The lock alone is not the fence (a lost
 * connection drops it silently); every append also checks `event_log_head.writer_id`, which the
 * lease holder sets on acquisition, so a writer that lost its lease cannot append.
 */
export class WriterLease {
  readonly writerId = randomUUID();
  private client: Client | null = null;
  private lost = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  get isLost(): boolean {
    return this.lost;
  }

  /** Takes the lease; in 'wait' mode polls until it is free, in 'refuse' mode throws at once. */
  async acquire(mode: 'wait' | 'refuse', onWait: () => void = () => {}): Promise<void> {
    const options = this.dataSource.driver.options as unknown as Record<string, unknown>;
    const extra = (options.extra ?? {}) as Record<string, unknown>;
    const client = new Client({
      connectionString: options.url as string | undefined,
      host: options.host as string | undefined,
      port: options.port as number | undefined,
      user: options.username as string | undefined,
      database: options.database as string | undefined,
      options: extra.options as string | undefined,
    });
    await client.connect();
    client.on('error', () => {
      this.lost = true;
    });
    let warned = false;
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as locked',
        [`yuanbridge-writer:${this.schema}`],
      );
      if (rows[0]?.locked) break;
      if (mode === 'refuse') {
        await client.end();
        throw new LeaseHeldElsewhereError();
      }
      if (!warned) onWait();
      warned = true;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await client.query('update event_log_head set writer_id = $1, writer_since = now() where id = 1', [
      this.writerId,
    ]);
    this.client = client;
  }

  async release(): Promise<void> {
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
