import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { CLOCK, isoFromNs, type Clock } from '../../platform/clock/clock.js';
import { Database } from '../../platform/database/database.js';
import { GetPaymentQuery } from '../../payments/queries/get-payment.js';
import { readPaymentOrigin } from './message-origin.js';
import { paymentStatusReport, type PaymentView } from './payment-status-report.js';

/**
 * A payment's current status as a pacs.002, to whoever may see the payment (the same rule and
 * the same 404 as GET /v1/payments/{id}): for a bank polling after a PDNG, or for the payee.
 */
@Controller('v1/iso20022/payments')
export class StatusReportController {
  constructor(
    private readonly queries: QueryBus,
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/pacs.002')
  async statusReport(
    @Param('id') id: string,
    @AuthenticatedCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const payment: PaymentView = await this.queries.execute(
      new GetPaymentQuery(id, caller.institution, false),
    );
    const origin = await readPaymentOrigin(this.database, payment.id);
    response.type('application/xml');
    return paymentStatusReport(payment, origin?.message ?? null, isoFromNs(this.clock.nowNs()));
  }
}
