import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { InstitutionsSequencedModule } from '../../../institutions/institutions.sequenced-module.js';
import type { CreditReserves } from '../../domain/issuance.commands.js';
import { SubmitIssuanceCommand, signatureOf, type IssuanceOutcome } from '../issuance-submission.js';
import { parseCreditReserves } from './credit-reserves.request.js';

const PATH = '/v1/issuance/reserve-credits';

@Controller('v1/issuance/reserve-credits')
@AllowKinds('central_bank')
export class CreditReservesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  /** Credits a bank of the central bank's own jurisdiction with reserves (simulated RTGS funding). */
  @Post()
  @HttpCode(201)
  async credit(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const request = parseCreditReserves(body, this.institutions.state, caller);
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', PATH, body, true);
    const command: Omit<CreditReserves, 'now'> = {
      type: 'CreditReserves',
      actor: caller.institution.id,
      creditId: randomUUID(),
      bankId: request.bank,
      currency: request.currency,
      amount: request.amount,
      signature: signatureOf(caller),
    };
    const outcome: IssuanceOutcome = await this.commands.execute(
      new SubmitIssuanceCommand(command, metadataOf(caller, idempotency?.key), idempotency),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return outcome.reply;
  }
}
