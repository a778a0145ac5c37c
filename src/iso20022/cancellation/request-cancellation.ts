import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { metadataOf, type Caller } from '../../platform/auth/caller.js';
import { CLOCK, isoFromNs, type Clock } from '../../platform/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { ProblemException } from '../../platform/http/problem.js';
import { forbiddenScope } from '../../institutions/index.js';
import { PaymentsCommandMessage } from '../../payments/commands/payments.command.js';
import { GetPaymentQuery } from '../../payments/queries/get-payment.js';
import type { XmlAnswer } from '../credit-transfer/submit-credit-transfer.js';
import { rejectionReport } from '../status-report/payment-status-report.js';
import { readIsoDocument } from '../xml/iso-xml.js';
import { readCancellationRequest } from './read-cancellation-request.js';
import { resolutionOfInvestigation } from './resolution-of-investigation.js';

/**
 * camt.056 → the CancelPayment that POST /v1/payments/{id}/cancel sends, with the same rules
 * (the payer's bank, while the payment is queued) and the same refusals; answered by a camt.029.
 */
@Injectable()
export class RequestCancellation {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(body: unknown, caller: Caller): Promise<XmlAnswer> {
    const now = isoFromNs(this.clock.nowNs());
    const reading = readCancellationRequest(readIsoDocument(body));
    if (!reading.ok) {
      const reasons = reading.errors.map((e) => ({ iso: e.reason, detail: `${e.path} ${e.detail}` }));
      return { status: 400, xml: rejectionReport(reading, reasons, 'group', now) };
    }
    const request = reading.request;
    if (request.assigner !== caller.institution.id) {
      throw new ProblemException(
        forbiddenScope(
          caller.institution,
          `a bank asks for cancellations as itself only, not as ${request.assigner}`,
        ),
      );
    }
    // As the JSON route: whoever may not see the payment learns nothing of it (403 either way).
    await this.queries
      .execute(new GetPaymentQuery(request.paymentId, caller.institution, false))
      .catch((error: unknown) => {
        if (error instanceof ProblemException && error.problem.code === 'payment_not_found')
          throw new ProblemException(
            forbiddenScope(caller.institution, `there is no payment ${request.paymentId} within its reach`),
          );
        throw error;
      });
    const idempotency = {
      scope: caller.institution.id,
      key: `iso20022:camt.056:${request.assignmentId}`,
      requestHash: createHash('sha256')
        .update(`POST /v1/iso20022/camt.056\n${body as string}`)
        .digest('hex'),
    };
    try {
      const { replayed } = await this.commands.execute(
        new PaymentsCommandMessage(
          {
            type: 'CancelPayment',
            actor: caller.institution.id,
            paymentId: request.paymentId,
            reason: request.reason,
          },
          metadataOf(caller, idempotency.key),
          idempotency,
        ),
      );
      const xml = resolutionOfInvestigation(request, this.config.operatorId, { cancelled: true }, now);
      return { status: 200, xml, replayed };
    } catch (error) {
      if (!(error instanceof ProblemException) || error.problem.status === 403 || error.problem.status >= 500)
        throw error;
      const { code, detail, status } = error.problem;
      const xml = resolutionOfInvestigation(
        request,
        this.config.operatorId,
        { cancelled: false, code, detail },
        now,
      );
      return { status, xml };
    }
  }
}
