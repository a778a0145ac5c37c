import { Module } from '@nestjs/common';
import { AuditEventsController } from './events/audit-events.http.controller.js';
import { EventProofs } from './events/event-proofs.js';
import { GetAuditEventHandler, ListAuditEventsHandler } from './events/list-audit-events.js';
import { VerifyLogController } from './verify/verify-log.http.controller.js';
import { AuditHistoryController } from './history/audit-history.http.controller.js';
import { CrossBorderFlowsHandler } from './history/cross-border-flows.js';
import { SupplyAsOfHandler } from './history/supply-as-of.js';
import { AuditExport } from './export/audit-export.js';
import { AuditExportController } from './export/audit-export.http.controller.js';
import { InstitutionsModule } from '../institutions/index.js';
import { AuditWebController } from './web/audit-web.http.controller.js';

/**
 * The regulators' audit trail (docs/audit.md): scoped, filtered reads of the log with inclusion
 * proofs, whole-log verification, time travel, exports and the /audit web page. It only reads:
 * the sequencer seals every batch it writes (hashes, chain, signed checkpoint).
 */
@Module({
  imports: [InstitutionsModule],
  controllers: [
    AuditEventsController,
    VerifyLogController,
    AuditHistoryController,
    AuditExportController,
    AuditWebController,
  ],
  providers: [
    EventProofs,
    ListAuditEventsHandler,
    GetAuditEventHandler,
    CrossBorderFlowsHandler,
    SupplyAsOfHandler,
    AuditExport,
  ],
})
export class AuditModule {}
