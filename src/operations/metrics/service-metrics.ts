import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { corridorId } from '../../corridors/index.js';
import { PaymentsSequencedModule, type PaymentsEvent } from '../../payments/index.js';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { BatchCommit } from '../../platform/sequencer/sequencer.js';
import { isSignatureFailure } from '../../platform/signatures/failures.js';

/** Payment events → the `status` label of yb_payments_total. */
const PAYMENT_STATUS = new Map<string, string>(
  Object.entries({
    PaymentReceived: 'received',
    PaymentScreened: 'screened',
    PaymentQueued: 'queued',
    PaymentSettled: 'settled',
    PaymentRejected: 'rejected',
    PaymentExpired: 'expired',
    PaymentCancelled: 'cancelled',
  } satisfies Record<PaymentsEvent['type'], string>),
);

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one): every
 * app in a process (the tests start many) has its own counters and no name clashes.
 *
 * Only aggregates: counts by status, corridor (a pair of jurisdictions) and failure reason, sizes
 * and times. No institution, wallet or payment appears in a label, which is why /metrics can be
 * public like /health (docs/operations.md).
 *
 * Counters are fed from committed batches only (the sequencer's onCommitted), so they count what
 * the log holds, never a decision that was rolled back. They start at zero with the process, as
 * Prometheus counters do; rates are what they are for.
 */
@Injectable()
export class ServiceMetrics implements OnModuleInit {
  readonly registry = new Registry();

  private readonly payments = new Counter({
    name: 'yb_payments_total',
    help: 'Payment lifecycle events committed since start, by status reached and corridor.',
    labelNames: ['status', 'corridor'] as const,
    registers: [this.registry],
  });

  private readonly signatureFailures = new Counter({
    name: 'yb_signature_failures_total',
    help: 'Requests refused because their signature was not accepted, by reason (the problem code).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly batchEvents = new Histogram({
    name: 'yb_sequencer_batch_events',
    help: 'Events per batch committed by the sequencer (batches that wrote events).',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000],
    registers: [this.registry],
  });

  private readonly commitSeconds = new Histogram({
    name: 'yb_sequencer_commit_seconds',
    help: 'Time from sending a batch to PostgreSQL to its commit, in seconds (batches that wrote events).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly batchesFailed = new Counter({
    name: 'yb_sequencer_batches_failed_total',
    help: 'Batches whose commit failed (nothing of them happened; their callers got 503).',
    registers: [this.registry],
  });

  constructor(
    private readonly sequencer: SequencerHost,
    @Inject(PaymentsSequencedModule) private readonly paymentsModule: PaymentsSequencedModule,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const payments = this.paymentsModule;
    const writer = this.sequencer;
    new Gauge({
      name: 'yb_payments_queued',
      help: 'Payments waiting in the queue for funds or liquidity (may include a batch being committed).',
      registers: [this.registry],
      collect() {
        // Read at scrape time from the writer's memory: right after a restart too, and free between scrapes.
        this.set(payments.state.queue.size);
      },
    });
    new Gauge({
      name: 'yb_event_log_position',
      help: 'Global position of the last committed event.',
      registers: [this.registry],
      collect() {
        this.set(Number(writer.committedPosition));
      },
    });
    new Gauge({
      name: 'yb_sequencer_writing',
      help: '1 while this instance holds the writer lease and accepts commands, else 0.',
      registers: [this.registry],
      collect() {
        this.set(writer.isWriting ? 1 : 0);
      },
    });
  }

  onModuleInit(): void {
    this.sequencer.onCommitted((events) => this.countPayments(events));
    this.sequencer.onBatch((batch) => this.observeBatch(batch));
  }

  /** A refused request: counted when its problem code is a signature failure. */
  problemSent(code: string): void {
    if (isSignatureFailure(code)) this.signatureFailures.inc({ reason: code });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private countPayments(events: readonly RecordedEvent[]): void {
    for (const { event } of events) {
      const status = PAYMENT_STATUS.get(event.type);
      if (status === undefined) continue;
      const [a, b] = (event as PaymentsEvent).data.jurisdictions;
      this.payments.inc({ status, corridor: b === undefined ? a! : corridorId(a!, b) });
    }
  }

  private observeBatch(batch: BatchCommit): void {
    if (!batch.committed) {
      this.batchesFailed.inc();
      return;
    }
    // A batch of rejections and replays writes nothing and sends nothing: not a commit.
    if (batch.events === 0) return;
    this.batchEvents.observe(batch.events);
    this.commitSeconds.observe(batch.seconds);
  }
}
