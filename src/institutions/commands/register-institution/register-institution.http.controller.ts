import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { institutionView } from '../../institution.view.js';
import { RegisterInstitutionCommand, type InstitutionOutcome } from './register-institution.command.js';
import { parseRegisterInstitution } from './register-institution.request.js';

@Controller('v1/institutions')
export class RegisterInstitutionController {
  constructor(private readonly commands: CommandBus) {}

  /** Registers a central bank (operator only), or a commercial bank or regulator (operator, or that jurisdiction's central bank). */
  @Post()
  @HttpCode(201)
  @AllowKinds('operator', 'central_bank')
  async register(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const request = parseRegisterInstitution(body);
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', '/v1/institutions', body);
    const outcome: InstitutionOutcome = await this.commands.execute(
      new RegisterInstitutionCommand(
        { type: 'RegisterInstitution', actor: caller.institution.id, ...request },
        metadataOf(caller, idempotency?.key),
        idempotency,
      ),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.setHeader('Location', `/v1/institutions/${outcome.institution.id}`);
    return institutionView(outcome.institution);
  }
}
