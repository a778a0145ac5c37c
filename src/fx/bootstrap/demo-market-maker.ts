import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DEMO_NETWORK } from '../../institutions/bootstrap/demo-network.js';
import { SYSTEM_ACTOR } from '../../institutions/domain/institutions.decider.js';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { PublishRateSheet } from '../domain/fx.commands.js';
import type { RateSheet } from '../domain/rate-sheet.js';
import { FxSequencedModule } from '../fx.sequenced-module.js';
import { DEMO_SHEET_VALIDITY_SECONDS } from './demo-market.js';

const NS_PER_SECOND = 1_000_000_000n;
/** A demo sheet is republished once it has less than this left. */
export const DEMO_SHEET_REFRESH_BEFORE_SECONDS = 7 * 86_400;
const CHECK_INTERVAL_MS = 60 * 60 * 1_000;

const DEMO_PROVIDERS: ReadonlySet<string> = new Set(
  DEMO_NETWORK.filter((m) => m.roles.includes('liquidity_provider')).map((m) => m.id),
);

/**
 * The demo network's liquidity providers keep their rates alive, as a market maker would. The
 * demo seeding publishes sheets valid for 30 days; without this, a data directory started again
 * a month later would quote nothing and every demo payment would be refused `no_quote`.
 *
 * Only sheets the demo itself published are refreshed: a demo provider's sheet without signed
 * evidence (the seeding's). A sheet its key holder published by a signed request is theirs to
 * manage, and a withdrawn sheet stays withdrawn. The refresh republishes the sheet as it stands
 * (rate, spread, maximum), each as its own recorded PublishRateSheet, so a restart replays it.
 */
@Injectable()
export class DemoMarketMaker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('demo');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sequencer: SequencerHost,
    private readonly fx: FxSequencedModule,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.demoNetwork) return;
    // Once as soon as this instance writes (a data directory started again after a month has
    // expired sheets at once), then hourly.
    this.sequencer.whenWriting().then(
      () => void this.refresh(),
      () => undefined,
    );
    this.timer = setInterval(() => void this.refresh(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The demo sheets that expire within the refresh window (or already have). */
  due(): RateSheet[] {
    const horizon = this.clock.nowNs() + BigInt(DEMO_SHEET_REFRESH_BEFORE_SECONDS) * NS_PER_SECOND;
    return [...this.fx.state.sheets.values()].filter(
      (sheet) => DEMO_PROVIDERS.has(sheet.provider) && sheet.evidence === null && sheet.expiresAt < horizon,
    );
  }

  /** Republishes every due sheet; returns how many. Never throws: a failure waits for the next check. */
  async refresh(): Promise<number> {
    if (!this.config.demoNetwork || this.running || !this.sequencer.isWriting) return 0;
    this.running = true;
    let refreshed = 0;
    try {
      for (const sheet of this.due()) {
        const command: Omit<PublishRateSheet, 'now'> = {
          type: 'PublishRateSheet',
          actor: sheet.provider,
          from: sheet.from,
          to: sheet.to,
          rate: sheet.rate,
          spreadBps: sheet.spreadBps,
          maxAmount: sheet.maxAmount,
          validForSeconds: DEMO_SHEET_VALIDITY_SECONDS,
          evidence: null,
        };
        await this.sequencer.execute({ command, metadata: { actor: SYSTEM_ACTOR } });
        refreshed++;
      }
      if (refreshed > 0) this.logger.log(`demo providers republished ${refreshed} rate sheets`);
    } catch (error) {
      this.logger.warn(`refreshing the demo rate sheets failed, will retry: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
    return refreshed;
  }
}
