import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../platform/config/config.js';
import { InstitutionsBootstrap } from '../institutions/bootstrap/institutions.bootstrap.js';
import { seedDemoMarket } from './bootstrap/demo-market.js';
import { DemoMarketMaker } from './bootstrap/demo-market-maker.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { FxCommandHandler } from './commands/fx.command.js';
import { FxController } from './commands/fx.http.controller.js';
import { FxSequencedModule } from './fx.sequenced-module.js';
import { FxQueriesController } from './queries/fx-queries.http.controller.js';
import { GetQuoteHandler, ListRateSheetsHandler } from './queries/fx.queries.js';

/** Liquidity providers' rate sheets and quotes; the route search payments settle along. */
@Module({
  imports: [LedgerModule, InstitutionsModule],
  controllers: [FxController, FxQueriesController],
  providers: [FxSequencedModule, FxCommandHandler, ListRateSheetsHandler, GetQuoteHandler, DemoMarketMaker],
  exports: [FxSequencedModule],
})
export class FxModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly fx: FxSequencedModule,
    private readonly bootstrap: InstitutionsBootstrap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.fx);
    this.bootstrap.addDemoStep(
      'corridors opened, liquidity providers funded, rates published',
      (network) => seedDemoMarket(this.sequencer, network, this.config.operatorId),
      20,
    );
  }
}
