import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../platform/config/config.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { SystemCommandTimer } from '../platform/sequencer/system-command-timer.js';
import type { RunSettlementCycle } from './domain/payments.commands.js';
import { PaymentsSequencedModule } from './payments.sequenced-module.js';

/**
 * The settlement cycle's process manager: every YB_SETTLEMENT_INTERVAL_MS, if payments wait in
 * the queue, it submits RunSettlementCycle (actor `system`), one at a time. The queue is rebuilt
 * from the log at start, so queued payments survive a restart with nothing else to recover.
 */
@Injectable()
export class SettlementCycleTimer extends SystemCommandTimer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    sequencer: SequencerHost,
    private readonly payments: PaymentsSequencedModule,
  ) {
    super(sequencer, config.settlementIntervalMs, new Logger('payments'));
  }

  protected due(): boolean {
    return this.payments.state.queue.size > 0;
  }

  protected command(): Omit<RunSettlementCycle, 'now'> {
    return { type: 'RunSettlementCycle', liquiditySaving: this.config.liquiditySaving };
  }
}
