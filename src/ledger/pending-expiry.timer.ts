import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../platform/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/config.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { LedgerSequencedModule } from './ledger.sequenced-module.js';

/**
 * Expires pending transfers on the service clock. Expiry is a command like any other, so it is
 * decided in order with everything else and recorded as events: a restart replays it exactly.
 */
@Injectable()
export class PendingExpiryTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ledger');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sequencer: SequencerHost,
    private readonly ledger: LedgerSequencedModule,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.expiryIntervalMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.expiryIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Submits ExpirePendingTransfers when at least one pending transfer is due. */
  async tick(): Promise<void> {
    if (this.running || !this.sequencer.isWriting) return;
    const now = this.clock.nowNs();
    let due = false;
    for (const expiry of this.ledger.state.pendingExpiries.values()) {
      if (expiry <= now) {
        due = true;
        break;
      }
    }
    if (!due) return;
    this.running = true;
    try {
      await this.sequencer.execute({
        command: { type: 'ExpirePendingTransfers' },
        metadata: { actor: 'system' },
      });
    } catch (error) {
      this.logger.warn(`expiring pending transfers failed, will retry: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
