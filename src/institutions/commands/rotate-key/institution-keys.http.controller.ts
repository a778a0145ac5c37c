import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { BodyReader } from '../../../platform/http/body-reader.js';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { INSTITUTION_ROLES, type InstitutionRole } from '../../domain/institution.js';
import { institutionView } from '../../institution.view.js';
import type { InstitutionOutcome } from '../register-institution/register-institution.command.js';
import { readKeyId, readPublicKey } from '../register-institution/register-institution.request.js';
import { RotateKeyCommand, SetRoleCommand } from './rotate-key.command.js';

@Controller('v1/institutions/:id')
export class InstitutionKeysController {
  constructor(private readonly commands: CommandBus) {}

  /** Replaces the institution's signing key (by the institution itself, signed with its current key, or by the operator). */
  @Post('keys')
  @HttpCode(200)
  async rotate(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const r = new BodyReader();
    const o = r.object(body, '', ['publicKey', 'keyId']);
    if (o === null) r.throwIfInvalid();
    const publicKey = readPublicKey(r, o!.publicKey, '/publicKey');
    const keyId = o!.keyId === undefined ? null : readKeyId(r, o!.keyId, '/keyId');
    r.throwIfInvalid();
    const idempotency = idempotencyFrom(
      key,
      caller.institution.id,
      'POST',
      `/v1/institutions/${id}/keys`,
      body,
    );
    const outcome: InstitutionOutcome = await this.commands.execute(
      new RotateKeyCommand(
        {
          type: 'RotateInstitutionKey',
          actor: caller.institution.id,
          institutionId: id,
          keyId,
          publicKey: publicKey!,
        },
        metadataOf(caller, idempotency?.key),
        idempotency,
      ),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return institutionView(outcome.institution);
  }

  /** Grants a role (liquidity_provider) to a commercial bank: the operator, or its central bank. Idempotent. */
  @Put('roles/:role')
  @HttpCode(200)
  @AllowKinds('operator', 'central_bank')
  grant(@Param('id') id: string, @Param('role') role: string, @AuthenticatedCaller() caller: Caller) {
    return this.setRole(id, role, true, caller);
  }

  /** Revokes a role. Idempotent. */
  @Delete('roles/:role')
  @HttpCode(200)
  @AllowKinds('operator', 'central_bank')
  revoke(@Param('id') id: string, @Param('role') role: string, @AuthenticatedCaller() caller: Caller) {
    return this.setRole(id, role, false, caller);
  }

  private async setRole(id: string, role: string, granted: boolean, caller: Caller) {
    if (!(INSTITUTION_ROLES as readonly string[]).includes(role)) {
      throw ProblemException.notFound(
        'role_unknown',
        `There is no role ${JSON.stringify(role)}; roles: ${INSTITUTION_ROLES.join(', ')}.`,
      );
    }
    const outcome: InstitutionOutcome = await this.commands.execute(
      new SetRoleCommand(
        {
          type: 'SetInstitutionRole',
          actor: caller.institution.id,
          institutionId: id,
          role: role as InstitutionRole,
          granted,
        },
        metadataOf(caller),
      ),
    );
    return institutionView(outcome.institution);
  }
}
