import { Module } from '@nestjs/common';
import { InstitutionsModule } from '../institutions/index.js';
import { CancellationController } from './cancellation/cancellation.http.controller.js';
import { RequestCancellation } from './cancellation/request-cancellation.js';
import { CreditTransferController } from './credit-transfer/credit-transfer.http.controller.js';
import { SubmitCreditTransfer } from './credit-transfer/submit-credit-transfer.js';
import { AccountStatementHandler } from './statement/account-statement.js';
import { StatementController } from './statement/statement.http.controller.js';
import { StatusReportController } from './status-report/status-report.http.controller.js';

/**
 * ISO 20022 messages over the same commands and queries as the JSON API (docs/iso20022.md):
 * pacs.008 / pacs.009 in, pacs.002 out; camt.056 in, camt.029 out; camt.053 statements.
 * No payment rule lives here: only the mapping between messages and our commands.
 */
@Module({
  imports: [InstitutionsModule],
  controllers: [
    CreditTransferController,
    StatusReportController,
    StatementController,
    CancellationController,
  ],
  providers: [SubmitCreditTransfer, RequestCancellation, AccountStatementHandler],
})
export class Iso20022Module {}
