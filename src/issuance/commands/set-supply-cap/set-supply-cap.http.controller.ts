import { Body, Controller, Headers, HttpCode, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import type { SetSupplyCap } from '../../domain/issuance.commands.js';
import { currencyOfPath } from '../../queries/currency-path.js';
import { SubmitIssuanceCommand, signatureOf, type IssuanceOutcome } from '../issuance-submission.js';
import { parseSupplyCap } from './set-supply-cap.request.js';

@Controller('v1/currencies/:code/supply-cap')
@AllowKinds('central_bank')
export class SetSupplyCapController {
  constructor(private readonly commands: CommandBus) {}

  /** Sets (or with null removes) the cap on the outstanding supply of the central bank's own currency. */
  @Put()
  @HttpCode(200)
  async set(
    @Param('code') code: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const currency = currencyOfPath(code);
    const { cap } = parseSupplyCap(body, currency);
    const idempotency = idempotencyFrom(
      key,
      caller.institution.id,
      'PUT',
      `/v1/currencies/${currency.code}/supply-cap`,
      body,
    );
    const command: Omit<SetSupplyCap, 'now'> = {
      type: 'SetSupplyCap',
      actor: caller.institution.id,
      currency: currency.code,
      cap,
      signature: signatureOf(caller),
    };
    const outcome: IssuanceOutcome = await this.commands.execute(
      new SubmitIssuanceCommand(command, metadataOf(caller, idempotency?.key), idempotency),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return outcome.reply;
  }
}
