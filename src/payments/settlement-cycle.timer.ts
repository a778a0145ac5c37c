import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../platform/config/config.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import type { RunSettlementCycle } from './domain/payments.commands.js';
import { PaymentsSequencedModule } from './payments.sequenced-module.js';

/**
 * The settlement cycle's process manager: every YB_SETTLEMENT_INTERVAL_MS, if payments wait in
 * the queue, it submits RunSettlementCycle (actor `system`), one at a time. The queue is rebuilt
 * from the log at start, so queued payments survive a restart with nothing else to recover.
 */
@Injectable()
export class SettlementCycleTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('payments');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sequencer: SequencerHost,
    private readonly payments: PaymentsSequencedModule,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.settlementIntervalMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.settlementIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs one cycle when the queue is not empty and none is in flight; never throws. */
  async tick(): Promise<void> {
    if (this.running || !this.sequencer.isWriting || this.payments.state.queue.size === 0) return;
    this.running = true;
    try {
      const command: Omit<RunSettlementCycle, 'now'> = {
        type: 'RunSettlementCycle',
        liquiditySaving: this.config.liquiditySaving,
      };
      await this.sequencer.execute({ command, metadata: { actor: 'system' } });
    } catch (error) {
      this.logger.warn(`settlement cycle failed, will retry: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
