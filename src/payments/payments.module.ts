import { Module, type OnModuleInit } from '@nestjs/common';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { WalletsModule } from '../wallets/wallets.module.js';
import { FxModule } from '../fx/fx.module.js';
import { CorridorsModule } from '../corridors/corridors.module.js';
import { PaymentsCommandHandler, SubmitPaymentsHandler } from './commands/payments.command.js';
import { PaymentsController } from './commands/payments.http.controller.js';
import { GetPaymentHandler } from './queries/get-payment.js';
import { GetPaymentsHandler } from './queries/get-payments.js';
import { ListPaymentsHandler } from './queries/list-payments.js';
import { PaymentsQueriesController } from './queries/payments-queries.http.controller.js';
import { PaymentsSequencedModule } from './payments.sequenced-module.js';
import { SettlementCycleTimer } from './settlement-cycle.timer.js';

/** Cross-border payments: submission and screening, PvP settlement, the queue and its cycles. */
@Module({
  imports: [LedgerModule, InstitutionsModule, WalletsModule, FxModule, CorridorsModule],
  controllers: [PaymentsController, PaymentsQueriesController],
  providers: [
    PaymentsSequencedModule,
    PaymentsCommandHandler,
    SubmitPaymentsHandler,
    GetPaymentHandler,
    GetPaymentsHandler,
    ListPaymentsHandler,
    SettlementCycleTimer,
  ],
  exports: [PaymentsSequencedModule],
})
export class PaymentsModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly payments: PaymentsSequencedModule,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.payments);
  }
}
