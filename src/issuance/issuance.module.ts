import { Module, type OnModuleInit } from '@nestjs/common';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { InstitutionsBootstrap } from '../institutions/bootstrap/institutions.bootstrap.js';
import { seedDemoIssuance } from './bootstrap/demo-issuance.js';
import { CreditReservesController } from './commands/credit-reserves/credit-reserves.http.controller.js';
import { DecideIssuanceRequestController } from './commands/decide-issuance-request/decide-issuance-request.http.controller.js';
import { SubmitIssuanceHandler } from './commands/issuance-submission.js';
import { IssueDirectlyController } from './commands/issue-directly/issue-directly.http.controller.js';
import { RequestIssuanceController } from './commands/request-issuance/request-issuance.http.controller.js';
import { SetSupplyCapController } from './commands/set-supply-cap/set-supply-cap.http.controller.js';
import { GetSupplyHandler } from './queries/get-supply/get-supply.handler.js';
import { SupplyController } from './queries/get-supply/supply.http.controller.js';
import { IssuanceRequestsController } from './queries/issuance-requests/issuance-requests.http.controller.js';
import {
  GetIssuanceRequestHandler,
  ListIssuanceRequestsHandler,
} from './queries/issuance-requests/issuance-requests.queries.js';
import { CurrencySupplyRecord } from './read-model/currency-supply.record.js';
import { IssuanceRequestRecord } from './read-model/issuance-request.record.js';
import { IssuanceSequencedModule } from './issuance.sequenced-module.js';

export const ISSUANCE_ENTITIES = [IssuanceRequestRecord, CurrencySupplyRecord];

/** Central-bank issuance: reserve credits, issuance and redemption requests, supply caps, supply. */
@Module({
  imports: [LedgerModule, InstitutionsModule],
  controllers: [
    CreditReservesController,
    RequestIssuanceController,
    DecideIssuanceRequestController,
    IssueDirectlyController,
    SetSupplyCapController,
    SupplyController,
    IssuanceRequestsController,
  ],
  providers: [
    IssuanceSequencedModule,
    SubmitIssuanceHandler,
    GetSupplyHandler,
    GetIssuanceRequestHandler,
    ListIssuanceRequestsHandler,
  ],
  exports: [IssuanceSequencedModule],
})
export class IssuanceModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly issuance: IssuanceSequencedModule,
    private readonly bootstrap: InstitutionsBootstrap,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.issuance);
    this.bootstrap.addDemoStep('reserves credited and CBDC issued to every commercial bank', (network) =>
      seedDemoIssuance(this.sequencer, network),
    );
  }
}
