import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import type { Freeze } from '../../domain/freeze.js';
import { freezeView } from '../../wallet.view.js';
import { SubmitWalletsCommand, type WalletsOutcome } from '../submit-wallets-command.js';
import { parseFreezeRequest } from './freeze.request.js';

/** Freezes and unfreezes a whole commercial bank (its wallets and its customers'): its central bank or a regulator of its jurisdiction. */
@Controller('v1/institutions/:id')
@AllowKinds('central_bank', 'regulator')
export class InstitutionFreezesController {
  constructor(private readonly commands: CommandBus) {}

  @Post('freeze')
  @HttpCode(200)
  freeze(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.submit(id, body, true, caller, key, response);
  }

  @Post('unfreeze')
  @HttpCode(200)
  unfreeze(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.submit(id, body, false, caller, key, response);
  }

  private async submit(
    rawId: string,
    body: unknown,
    freezing: boolean,
    caller: Caller,
    key: string | undefined,
    response: Response,
  ) {
    const institutionId = rawId;
    const { reason, scope } = parseFreezeRequest(body, freezing);
    const path = `/v1/institutions/${institutionId}/${freezing ? 'freeze' : 'unfreeze'}`;
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', path, body);
    const actor = caller.institution.id;
    const outcome: WalletsOutcome<{ institutionId: string; freeze: Freeze | null }> =
      await this.commands.execute(
        new SubmitWalletsCommand(
          freezing
            ? { type: 'FreezeInstitution', actor, institutionId, scope, reason }
            : { type: 'UnfreezeInstitution', actor, institutionId, reason },
          metadataOf(caller, idempotency?.key),
          idempotency,
        ),
      );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return { institutionId: outcome.reply.institutionId, frozen: freezeView(outcome.reply.freeze) };
  }
}
