import { Module, type OnModuleInit } from '@nestjs/common';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { CreateAccountsHandler } from './commands/create-accounts/create-accounts.handler.js';
import { CreateAccountsController } from './commands/create-accounts/create-accounts.http.controller.js';
import { CreateTransfersHandler } from './commands/create-transfers/create-transfers.handler.js';
import { CreateTransfersController } from './commands/create-transfers/create-transfers.http.controller.js';
import { LedgerSequencedModule } from './ledger.sequenced-module.js';
import { PendingExpiryTimer } from './pending-expiry.timer.js';
import { GetAccountHandler } from './queries/get-account/get-account.handler.js';
import { GetTransferHandler } from './queries/get-transfer/get-transfer.handler.js';
import { LedgerQueriesController } from './queries/ledger-queries.http.controller.js';
import { ListAccountTransfersHandler } from './queries/list-account-transfers/list-account-transfers.handler.js';
import { LedgerAccountRecord } from './read-model/ledger-account.record.js';
import { LedgerTransferRecord } from './read-model/ledger-transfer.record.js';

export const LEDGER_ENTITIES = [LedgerAccountRecord, LedgerTransferRecord];

const CommandHandlers = [CreateAccountsHandler, CreateTransfersHandler];
const QueryHandlers = [GetAccountHandler, GetTransferHandler, ListAccountTransfersHandler];

/** The shared double-entry, multi-currency ledger (one ledger per currency). */
@Module({
  controllers: [CreateAccountsController, CreateTransfersController, LedgerQueriesController],
  providers: [LedgerSequencedModule, PendingExpiryTimer, ...CommandHandlers, ...QueryHandlers],
  exports: [LedgerSequencedModule],
})
export class LedgerModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly ledger: LedgerSequencedModule,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.ledger);
  }
}
