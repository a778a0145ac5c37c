import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../platform/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/config.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { SystemCommandTimer } from '../platform/sequencer/system-command-timer.js';
import { LedgerSequencedModule } from './ledger.sequenced-module.js';

/**
 * Expires pending transfers on the service clock. Expiry is a command like any other, so it is
 * decided in order with everything else and recorded as events: a restart replays it exactly.
 */
@Injectable()
export class PendingExpiryTimer extends SystemCommandTimer {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    sequencer: SequencerHost,
    private readonly ledger: LedgerSequencedModule,
  ) {
    super(sequencer, config.expiryIntervalMs, new Logger('ledger'));
  }

  /** At least one pending transfer is past its timeout. */
  protected due(): boolean {
    const now = this.clock.nowNs();
    for (const expiry of this.ledger.state.pendingExpiries.values()) if (expiry <= now) return true;
    return false;
  }

  protected command() {
    return { type: 'ExpirePendingTransfers' };
  }
}
