import { Module, type OnModuleInit } from '@nestjs/common';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { FreezesController } from './commands/freeze/freezes.http.controller.js';
import { OpenWalletController } from './commands/open-wallet/open-wallet.http.controller.js';
import { WalletTiersController } from './commands/set-tier-limits/wallet-tiers.http.controller.js';
import { SubmitWalletsCommandHandler } from './commands/submit-wallets-command.js';
import { TransferBetweenWalletsController } from './commands/transfer-between-wallets/transfer-between-wallets.http.controller.js';
import { GetTierLimitsHandler } from './queries/get-tier-limits.js';
import { GetWalletHandler } from './queries/get-wallet.js';
import { ListWalletsHandler } from './queries/list-wallets.js';
import { WalletHistoryHandler } from './queries/wallet-history.js';
import { WalletsQueriesController } from './queries/wallets-queries.http.controller.js';
import { WalletRecord } from './read-model/wallet.record.js';
import { WalletsSequencedModule } from './wallets.sequenced-module.js';

export const WALLETS_ENTITIES = [WalletRecord];

const CommandHandlers = [SubmitWalletsCommandHandler];
const QueryHandlers = [GetWalletHandler, ListWalletsHandler, WalletHistoryHandler, GetTierLimitsHandler];

/** Bank and customer wallets: the registry, tiers and limits, freezes, domestic transfers. */
@Module({
  imports: [LedgerModule, InstitutionsModule],
  controllers: [
    // Static paths before the parameterised ones of the same prefix (v1/wallets/transfers).
    TransferBetweenWalletsController,
    OpenWalletController,
    FreezesController,
    WalletTiersController,
    WalletsQueriesController,
  ],
  providers: [WalletsSequencedModule, ...CommandHandlers, ...QueryHandlers],
  exports: [WalletsSequencedModule],
})
export class WalletsModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly wallets: WalletsSequencedModule,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.wallets);
  }
}
