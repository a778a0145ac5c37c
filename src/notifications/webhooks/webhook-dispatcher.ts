import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { Database } from '../../platform/database/database.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import { audienceOf, concerns, NOTIFIABLE_EVENT_TYPES } from '../domain/audience.js';
import { notificationFromRow, type EventRow } from '../domain/notification.js';
import type { Webhook } from '../domain/webhook.js';
import { evolveWebhooks } from '../domain/webhooks.decider.js';
import { WEBHOOKS_EVENT_TYPES, type WebhooksEvent } from '../domain/webhooks.events.js';
import { WebhooksState } from '../domain/webhooks.state.js';
import { CommittedEventsFeed } from '../stream/committed-events.feed.js';
import { WebhooksSequencedModule } from '../webhooks.sequenced-module.js';
import { WebhookSender } from './webhook-sender.js';
import { DELIVERY_COLUMNS, type WebhookDeliveryRow } from '../queries/webhook-delivery.view.js';

export type RetryOutcome =
  | { readonly kind: 'retried'; readonly row: WebhookDeliveryRow }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'not_failed'; readonly status: string };

/** The processor_checkpoints row of this process manager. */
export const WEBHOOKS_PROCESSOR = 'webhooks';
const PAGE = 1_000;
const MAX_BACKOFF_MS = 3_600_000;
/** When nothing wakes it, the dispatcher still looks this often (a missed wake costs no more). */
const IDLE_POLL_MS = 5_000;

interface PendingHead {
  readonly webhook_id: string;
  readonly position: string;
  readonly attempts: number;
  readonly next_attempt_at: Date | string;
}

/**
 * The webhook process manager. It never trusts the in-memory bus: a committed batch only wakes
 * it. Then it
 * 1. reads the `events` log after its checkpoint (in pages, up to the log head), applies webhook
 *    registrations at their positions, and for each payment event records a pending delivery
 *    for every webhook it concerns, writing those rows and the new checkpoint in ONE
 *    transaction: a crash loses nothing and schedules nothing twice;
 * 2. attempts, per webhook, the oldest pending delivery that is due (one at a time per webhook,
 *    so each receives its events in position order), recording each attempt's outcome: 2xx is
 *    delivered; anything else is retried after 1×, 2×, 4×… YB_WEBHOOK_RETRY_BASE_MS, until
 *    YB_WEBHOOK_MAX_ATTEMPTS, when it is marked failed and the next one goes.
 * HTTP calls run outside any transaction and the sequencer never waits for any of it.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  /** Registrations as of the checkpoint (not the head): what scheduling must go by. */
  private registry: WebhooksState | null = null;
  private checkpoint = 0n;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private pumping: Promise<void> | null = null;
  private wakeAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => {};
  /**
   * The dispatcher's statements run one at a time: the embedded database (PGlite behind its
   * socket) interleaves the protocol messages of concurrent statements from different
   * connections, so the dispatcher does not add concurrency of its own (docs/notifications.md).
   */
  private dbTurn: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly database: Database,
    private readonly sequencer: SequencerHost,
    private readonly webhooks: WebhooksSequencedModule,
    private readonly feed: CommittedEventsFeed,
    private readonly sender: WebhookSender,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.feed.subscribe(() => this.wake());
    this.later(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    this.unsubscribe();
    if (this.timer !== null) clearTimeout(this.timer);
    await this.pumping;
    await Promise.all(this.inFlight.values());
  }

  /** Runs a pass now, or right after the one running. */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.pumping !== null) {
      this.wakeAgain = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.wakeAgain = false;
        try {
          await this.pass();
        } catch (error) {
          if (this.stopping.signal.aborted) return;
          this.registry = null; // reloaded from the log on the next pass
          this.logger.error(`webhook dispatch failed, retrying: ${(error as Error).message}`);
          this.later(1_000);
          return;
        }
      } while (this.wakeAgain && !this.stopping.signal.aborted);
    })().finally(() => {
      this.pumping = null;
    });
  }

  /**
   * A failed delivery goes back to pending, due now, with its attempts counted from zero again
   * (the receiver was presumably fixed: it gets the whole retry schedule). Its last status and
   * error stay until the next attempt overwrites them.
   */
  async retry(webhookId: string, position: bigint): Promise<RetryOutcome> {
    const now = new Date(Number(this.clock.nowNs() / 1_000_000n));
    const outcome = await this.serially(async (): Promise<RetryOutcome> => {
      const ds = this.database.dataSource;
      const retried: WebhookDeliveryRow[] = await ds.query(
        // As a select, so that the driver answers rows (an UPDATE answers [rows, count]).
        `with retried as (
           update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = $3
            where webhook_id = $1 and position = $2 and status = 'failed'
            returning ${DELIVERY_COLUMNS})
         select * from retried`,
        [webhookId, position.toString(), now],
      );
      if (retried.length === 1) return { kind: 'retried', row: retried[0]! };
      const [row]: Array<{ status: string }> = await ds.query(
        'select status from webhook_deliveries where webhook_id = $1 and position = $2',
        [webhookId, position.toString()],
      );
      return row === undefined ? { kind: 'not_found' } : { kind: 'not_failed', status: row.status };
    });
    if (outcome.kind === 'retried') this.wake();
    return outcome;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.dbTurn.then(work, work);
    this.dbTurn = turn.catch(() => undefined);
    return turn;
  }

  private later(ms: number): void {
    if (this.stopping.signal.aborted) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, ms);
  }

  private async pass(): Promise<void> {
    // Only the writer dispatches, and only once its state is rebuilt (the lease may be waited for).
    if (!this.sequencer.isWriting) {
      this.later(100);
      return;
    }
    if (this.registry === null) await this.serially(() => this.load());
    while (await this.serially(() => this.schedulePage())) {
      if (this.stopping.signal.aborted) return;
    }
    await this.attemptDue();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private query(sql: string, params: unknown[] = []): Promise<any> {
    return this.serially(() => this.database.dataSource.query(sql, params));
  }

  /** The checkpoint, and the registrations as of it. */
  private async load(): Promise<void> {
    const ds = this.database.dataSource;
    const [row] = await ds.query('select position from processor_checkpoints where processor = $1', [
      WEBHOOKS_PROCESSOR,
    ]);
    const checkpoint = row === undefined ? 0n : BigInt(row.position);
    const registry = new WebhooksState();
    const events: EventRow[] = await ds.query(
      `select global_position, stream_id, type, data, recorded_at from events
        where type = any($1::text[]) and global_position <= $2 order by global_position`,
      [WEBHOOKS_EVENT_TYPES, checkpoint.toString()],
    );
    for (const event of events) this.apply(registry, event);
    this.registry = registry;
    this.checkpoint = checkpoint;
  }

  private apply(registry: WebhooksState, row: EventRow): WebhooksEvent {
    const event = this.webhooks.decode(row.type, row.stream_id, row.data) as WebhooksEvent;
    evolveWebhooks(registry, event);
    return event;
  }

  /** Schedules one page of the log after the checkpoint; true if there may be more. */
  private async schedulePage(): Promise<boolean> {
    const registry = this.registry!;
    const tx = this.database.dataSource.createQueryRunner();
    await tx.connect();
    registry.begin();
    try {
      await tx.startTransaction();
      const [row] = await tx.query(
        'select position from processor_checkpoints where processor = $1 for update',
        [WEBHOOKS_PROCESSOR],
      );
      const stored = row === undefined ? 0n : BigInt(row.position);
      if (stored !== this.checkpoint) throw new Error('the webhooks checkpoint moved under this dispatcher');
      const [head] = await tx.query('select position from event_log_head where id = 1');
      const headPosition = BigInt(head.position);
      if (headPosition <= this.checkpoint) {
        await tx.rollbackTransaction();
        registry.commit();
        return false;
      }
      const rows: EventRow[] = await tx.query(
        `select global_position, stream_id, type, data, recorded_at from events
          where global_position > $1 and global_position <= $2 and type = any($3::text[])
          order by global_position limit ${PAGE}`,
        [
          this.checkpoint.toString(),
          headPosition.toString(),
          [...WEBHOOKS_EVENT_TYPES, ...NOTIFIABLE_EVENT_TYPES],
        ],
      );
      const full = rows.length === PAGE;
      const through = full ? BigInt(rows[rows.length - 1]!.global_position) : headPosition;
      const now = new Date(Number(this.clock.nowNs() / 1_000_000n));
      const deliveries: Array<{ webhook: Webhook; position: string; type: string }> = [];
      for (const event of rows) {
        if ((WEBHOOKS_EVENT_TYPES as readonly string[]).includes(event.type)) {
          const applied = this.apply(registry, event);
          if (applied.type === 'WebhookRemoved') {
            // Removed: what was still owed to it is not sent.
            await tx.query(
              `update webhook_deliveries set status = 'cancelled', next_attempt_at = null
                where webhook_id = $1 and status = 'pending'`,
              [applied.data.webhookId],
            );
          }
          continue;
        }
        for (const webhook of registry.byInstitution.values()) {
          if (webhook.types !== null && !webhook.types.includes(event.type)) continue;
          if (
            !concerns(
              audienceOf({
                id: webhook.institutionId,
                kind: webhook.institutionKind,
                jurisdiction: webhook.jurisdiction,
              }),
              event.data,
            )
          )
            continue;
          deliveries.push({ webhook, position: String(event.global_position), type: event.type });
        }
      }
      if (deliveries.length > 0) {
        await tx.query(
          `insert into webhook_deliveries
             (webhook_id, position, institution_id, event_type, status, attempts, next_attempt_at, created_at)
           select w, p, i, t, 'pending', 0, $5, $5
             from unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) as d(w, p, i, t)
           on conflict (webhook_id, position) do nothing`,
          [
            deliveries.map((d) => d.webhook.id),
            deliveries.map((d) => d.position),
            deliveries.map((d) => d.webhook.institutionId),
            deliveries.map((d) => d.type),
            now,
          ],
        );
      }
      await tx.query(
        `insert into processor_checkpoints (processor, position, updated_at) values ($1, $2, $3)
         on conflict (processor) do update set position = excluded.position, updated_at = excluded.updated_at`,
        [WEBHOOKS_PROCESSOR, through.toString(), now],
      );
      await tx.commitTransaction();
      registry.commit();
      this.checkpoint = through;
      return full;
    } catch (error) {
      registry.rollback();
      if (tx.isTransactionActive) await tx.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await tx.release();
    }
  }

  /** Starts the due head-of-line delivery of every webhook not already sending; arms the timer. */
  private async attemptDue(): Promise<void> {
    const heads: PendingHead[] = await this.query(
      `select distinct on (webhook_id) webhook_id, position, attempts, next_attempt_at
         from webhook_deliveries where status = 'pending' order by webhook_id, position`,
    );
    const now = Number(this.clock.nowNs() / 1_000_000n);
    let earliest = now + IDLE_POLL_MS;
    for (const head of heads) {
      if (this.inFlight.has(head.webhook_id)) continue;
      const due = new Date(head.next_attempt_at).getTime();
      if (due > now) {
        earliest = Math.min(earliest, due);
        continue;
      }
      const attempt = this.attempt(head)
        .catch((error: Error) => this.logger.error(`webhook ${head.webhook_id}: ${error.message}`))
        .finally(() => {
          this.inFlight.delete(head.webhook_id);
          this.wake();
        });
      this.inFlight.set(head.webhook_id, attempt);
    }
    this.later(Math.max(0, earliest - now));
  }

  private async attempt(head: PendingHead): Promise<void> {
    if (this.registry === null) return; // being reloaded; the next pass retries
    const webhook = this.registry.byId(head.webhook_id);
    if (webhook === undefined) {
      await this.query(
        `update webhook_deliveries set status = 'cancelled', next_attempt_at = null
          where webhook_id = $1 and status = 'pending'`,
        [head.webhook_id],
      );
      return;
    }
    const [row]: EventRow[] = await this.query(
      'select global_position, stream_id, type, data, recorded_at from events where global_position = $1',
      [head.position],
    );
    if (row === undefined) throw new Error(`event ${head.position} is not in the log`);
    const attemptNumber = head.attempts + 1;
    const outcome = await this.sender.deliver(
      webhook,
      notificationFromRow(row),
      attemptNumber,
      this.stopping.signal,
    );
    if (outcome.kind === 'aborted') return;
    const nowMs = Number(this.clock.nowNs() / 1_000_000n);
    const now = new Date(nowMs);
    if (outcome.kind === 'delivered') {
      await this.query(
        `update webhook_deliveries
            set status = 'delivered', attempts = $3, last_attempt_at = $4, delivered_at = $4,
                last_status = $5, last_error = null, next_attempt_at = null
          where webhook_id = $1 and position = $2 and status = 'pending'`,
        [head.webhook_id, head.position, attemptNumber, now, outcome.status],
      );
      return;
    }
    const exhausted = attemptNumber >= this.config.webhookMaxAttempts;
    const backoff = Math.min(this.config.webhookRetryBaseMs * 2 ** (attemptNumber - 1), MAX_BACKOFF_MS);
    await this.query(
      `update webhook_deliveries
          set status = $3, attempts = $4, last_attempt_at = $5, next_attempt_at = $6,
              last_status = $7, last_error = $8
        where webhook_id = $1 and position = $2 and status = 'pending'`,
      [
        head.webhook_id,
        head.position,
        exhausted ? 'failed' : 'pending',
        attemptNumber,
        now,
        exhausted ? null : new Date(nowMs + backoff),
        outcome.status,
        outcome.error.slice(0, 1_000),
      ],
    );
    if (exhausted) {
      this.logger.warn(
        `webhook ${webhook.id} (${webhook.institutionId}): event ${head.position} failed after ${attemptNumber} attempts: ${outcome.error}`,
      );
    }
  }
}
