import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Inject, Logger, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../platform/auth/caller.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { idempotencyFrom, requestHash } from '../../platform/http/idempotency.js';
import { ProblemException, toProblem } from '../../platform/http/problem.js';
import { classifyError } from '../../platform/http/problem.filter.js';
import { forbiddenScope } from '../../institutions/domain/authorization.js';
import { parseId } from '../../ledger/domain/id.js';
import type { PaymentOutcome } from '../domain/payments.decider.js';
import { GetPaymentQuery, paymentNotFound } from '../queries/get-payment.js';
import { GetPaymentsQuery, type PaymentView } from '../queries/get-payments.js';
import {
  PaymentsCommandMessage,
  SubmitPaymentsMessage,
  type PaymentsCommandResult,
  type SubmitPaymentsResult,
} from './payments.command.js';
import {
  parseCancelPayment,
  parseRunCycle,
  parseSubmitPayment,
  parseSubmitPaymentBatch,
} from './submit-payment.request.js';

@Controller('v1/payments')
export class PaymentsController {
  private readonly logger = new Logger('http');

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A commercial bank pays a bank in another jurisdiction. 201 whatever the screening says: a
   * payment settled, queued or rejected by screening is recorded (a regulator sees the rejection
   * and its reason); input that cannot describe a payment is refused with nothing written.
   */
  @Post()
  @HttpCode(201)
  @AllowKinds('commercial_bank')
  async submit(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', '/v1/payments', body, true);
    const request = parseSubmitPayment(body, caller.institution.id);
    const { reply, replayed }: PaymentsCommandResult = await this.commands.execute(
      new PaymentsCommandMessage(
        { type: 'SubmitPayment', actor: caller.institution.id, paymentId: randomUUID(), ...request },
        metadataOf(caller, idempotency?.key),
        idempotency,
      ),
    );
    const outcome = reply as PaymentOutcome;
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.setHeader('Location', `/v1/payments/${outcome.id}`);
    // As GET /v1/payments/{id} shows it, read with the other submissions answered at the same time.
    const views: Map<string, PaymentView> = await this.queries.execute(
      new GetPaymentsQuery([outcome.id], caller.institution),
    );
    const view = views.get(outcome.id);
    if (view === undefined) throw paymentNotFound(outcome.id);
    return view;
  }

  /**
   * Many payments in one signed request, each as `POST /v1/payments` would take it, with its own
   * idempotency key (hashed as that single request: the two share a key space). Each payment
   * stands alone (its own command, settled, queued, rejected or refused on its own); they are
   * decided in order and, as far as they fit in one sequencer batch, committed in one transaction.
   * 200 with one result per payment, in order; a malformed batch is refused whole (400).
   */
  @Post('batch')
  @HttpCode(200)
  @AllowKinds('commercial_bank')
  async submitBatch(@Body() body: unknown, @AuthenticatedCaller() caller: Caller) {
    const payer = caller.institution.id;
    const items = parseSubmitPaymentBatch(body, payer);
    const results: SubmitPaymentsResult = await this.commands.execute(
      new SubmitPaymentsMessage(
        items.map((item) => {
          const idempotency = {
            scope: payer,
            key: item.idempotencyKey,
            requestHash: requestHash('POST', '/v1/payments', item.body),
          };
          return {
            command: { type: 'SubmitPayment', actor: payer, paymentId: randomUUID(), ...item.request },
            metadata: metadataOf(caller, idempotency.key),
            idempotency,
          };
        }),
      ),
    );
    const ids = results.flatMap((result) => (result.ok ? [result.outcome.id] : []));
    const views: Map<string, PaymentView> = await this.queries.execute(
      new GetPaymentsQuery(ids, caller.institution),
    );
    return {
      results: results.map((result, index) => {
        const idempotencyKey = items[index]!.idempotencyKey;
        if (result.ok) {
          const payment = views.get(result.outcome.id);
          if (payment === undefined)
            throw new Error(`payment ${result.outcome.id} has no row after its commit`);
          return { index, idempotencyKey, status: 201, replayed: result.replayed, payment, problem: null };
        }
        const { rejection } = classifyError(result.error);
        if (rejection.status >= 500)
          this.logger.error(
            `POST /v1/payments/batch item ${index}: ${String((result.error as Error)?.stack ?? result.error)}`,
          );
        return {
          index,
          idempotencyKey,
          status: rejection.status,
          replayed: false,
          payment: null,
          problem: toProblem(rejection),
        };
      }),
    };
  }

  /**
   * The operator runs one settlement cycle now (expiry, gross settlement in priority order, then
   * liquidity saving) and gets its report. The timer (YB_SETTLEMENT_INTERVAL_MS) does the same.
   */
  @Post('settlement-cycles')
  @HttpCode(200)
  @AllowKinds('operator')
  async runCycle(@Body() body: unknown, @AuthenticatedCaller() caller: Caller) {
    const liquiditySaving = parseRunCycle(body, this.config.liquiditySaving);
    const { reply }: PaymentsCommandResult = await this.commands.execute(
      new PaymentsCommandMessage({ type: 'RunSettlementCycle', liquiditySaving }, metadataOf(caller)),
    );
    return { liquiditySaving, ...reply };
  }

  /** The payer takes back a payment still waiting in the queue. */
  @Post(':id/cancel')
  @HttpCode(200)
  @AllowKinds('commercial_bank')
  async cancel(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    // Whoever may not see the payment learns nothing of it: the same 403 whether or not it exists
    // (as for wallets). Who may see it learns why it cannot cancel (403 not the payer, 409 not queued).
    await this.queries.execute(new GetPaymentQuery(id, caller.institution, false)).catch((error: unknown) => {
      if (error instanceof ProblemException && error.problem.code === 'payment_not_found')
        throw new ProblemException(
          forbiddenScope(caller.institution, `there is no payment ${id} within its reach`),
        );
      throw error;
    });
    const paymentId = parseId(id)!;
    const reason = parseCancelPayment(body);
    const idempotency = idempotencyFrom(
      key,
      caller.institution.id,
      'POST',
      `/v1/payments/${paymentId}/cancel`,
      body,
    );
    const { replayed }: PaymentsCommandResult = await this.commands.execute(
      new PaymentsCommandMessage(
        { type: 'CancelPayment', actor: caller.institution.id, paymentId, reason },
        metadataOf(caller, idempotency?.key),
        idempotency,
      ),
    );
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return this.queries.execute(new GetPaymentQuery(paymentId, caller.institution, false));
  }
}
