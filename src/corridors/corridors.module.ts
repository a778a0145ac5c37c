import { Module, type OnModuleInit } from '@nestjs/common';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { CorridorsCommandHandler } from './commands/corridors.command.js';
import { CorridorsController } from './commands/corridors.http.controller.js';
import { CorridorsSequencedModule } from './corridors.sequenced-module.js';
import { CorridorsQueriesController } from './queries/corridors-queries.http.controller.js';

/** Corridors between jurisdictions: opening hours, maxima, outbound quotas, fees, suspension. */
@Module({
  imports: [LedgerModule, InstitutionsModule],
  controllers: [CorridorsController, CorridorsQueriesController],
  providers: [CorridorsSequencedModule, CorridorsCommandHandler],
  exports: [CorridorsSequencedModule],
})
export class CorridorsModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly corridors: CorridorsSequencedModule,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.corridors);
  }
}
