import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../platform/auth/caller.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { idempotencyFrom } from '../../platform/http/idempotency.js';
import { ProblemException } from '../../platform/http/problem.js';
import { forbiddenScope } from '../../institutions/domain/authorization.js';
import { parseId } from '../../ledger/domain/id.js';
import type { PaymentOutcome } from '../domain/payments.decider.js';
import { GetPaymentQuery } from '../queries/get-payment.js';
import { PaymentsCommandMessage, type PaymentsCommandResult } from './payments.command.js';
import { parseCancelPayment, parseRunCycle, parseSubmitPayment } from './submit-payment.request.js';

@Controller('v1/payments')
export class PaymentsController {
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
    return this.queries.execute(new GetPaymentQuery(outcome.id, caller.institution, false));
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
