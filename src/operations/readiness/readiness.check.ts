import { Injectable } from '@nestjs/common';
import type { RejectionItem } from '../../platform/decider/decider.js';
import { Database } from '../../platform/database/database.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';

/** A database that does not answer `select 1` within this time is not ready. */
export const DATABASE_TIMEOUT_MS = 1_000;

export interface Readiness {
  readonly ready: boolean;
  readonly position: bigint;
  /** What is not ready, one item per failed check (empty when ready). */
  readonly failures: readonly RejectionItem[];
}

/**
 * Readiness: this instance can take traffic. The database answers, and the sequencer has rebuilt
 * state (caught up with the log), holds the writer lease, and the instance serves (the bootstrap
 * has run; a standby never is ready). Liveness (/health) asks less: a
 * process waiting for the lease or for its database is alive, only not ready.
 */
@Injectable()
export class ReadinessCheck {
  constructor(
    private readonly database: Database,
    private readonly sequencer: SequencerHost,
  ) {}

  async check(): Promise<Readiness> {
    const failures: RejectionItem[] = [];
    const database = await this.pingDatabase();
    if (database !== null) failures.push({ code: 'database_unavailable', detail: database });
    const phase = this.sequencer.phase;
    if (!this.sequencer.isWriting || phase !== 'serving') {
      failures.push({
        code: 'sequencer_not_writing',
        detail:
          phase === 'standby'
            ? 'The sequencer has not started: another instance holds the writer lease, and this one is a standby waiting for it.'
            : phase === 'starting'
              ? 'The sequencer has not started: it has taken the writer lease and is rebuilding state.'
              : 'The sequencer has stopped writing (shutting down, or the writer lease was lost).',
      });
    }
    return { ready: failures.length === 0, position: this.sequencer.committedPosition, failures };
  }

  /** Null when the database answered in time, else why not. */
  private async pingDatabase(): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`The database did not answer within ${DATABASE_TIMEOUT_MS} ms.`),
        DATABASE_TIMEOUT_MS,
      );
    });
    const ping = this.database.dataSource.query('select 1').then(
      () => null,
      (error: unknown) => `The database did not answer: ${(error as Error)?.message ?? String(error)}`,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
