import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { BodyReader } from '../../../platform/http/body-reader.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { parseId, type Id } from '../../../ledger/domain/id.js';
import type { ApproveIssuance, DeclineIssuance } from '../../domain/issuance.commands.js';
import { SubmitIssuanceCommand, signatureOf, type IssuanceOutcome } from '../issuance-submission.js';
import { readReason } from '../request-fields.js';

/** A central bank decides on a request made to it: approving executes it on the ledger at once. */
@Controller('v1/issuance/requests/:id')
@AllowKinds('central_bank')
export class DecideIssuanceRequestController {
  constructor(private readonly commands: CommandBus) {}

  /** Approves and executes: the linked ledger chain moves reserves and CBDC, or nothing moves. */
  @Post('approve')
  @HttpCode(200)
  async approve(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const requestId = requestIdOf(id);
    const r = new BodyReader();
    // The body is optional; if given it must be an empty object (no options yet).
    if (body !== undefined && !isEmptyBody(body)) r.object(body, '', []);
    r.throwIfInvalid();
    const path = `/v1/issuance/requests/${requestId}/approve`;
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', path, body ?? {}, true);
    const command: Omit<ApproveIssuance, 'now'> = {
      type: 'ApproveIssuance',
      actor: caller.institution.id,
      requestId,
      signature: signatureOf(caller),
    };
    return this.submit(command, caller, idempotency, response);
  }

  /** Declines with a reason; nothing moves and the request is closed. */
  @Post('decline')
  @HttpCode(200)
  async decline(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const requestId = requestIdOf(id);
    const r = new BodyReader();
    const o = r.object(body, '', ['reason']);
    const reason = o === null ? null : readReason(r, o.reason);
    r.throwIfInvalid();
    const path = `/v1/issuance/requests/${requestId}/decline`;
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', path, body);
    const command: Omit<DeclineIssuance, 'now'> = {
      type: 'DeclineIssuance',
      actor: caller.institution.id,
      requestId,
      reason: reason!,
      signature: signatureOf(caller),
    };
    return this.submit(command, caller, idempotency, response);
  }

  private async submit(
    command: Omit<ApproveIssuance | DeclineIssuance, 'now'>,
    caller: Caller,
    idempotency: ReturnType<typeof idempotencyFrom>,
    response: Response,
  ) {
    const outcome: IssuanceOutcome = await this.commands.execute(
      new SubmitIssuanceCommand(command, metadataOf(caller, idempotency?.key), idempotency),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return outcome.reply;
  }
}

export function requestIdOf(text: string): Id {
  const id = parseId(text);
  if (id === null) throw ProblemException.badRequest('invalid_id', 'The request id must be a UUID string.');
  return id;
}

/** Express leaves `{}` for a request without a body. */
function isEmptyBody(body: unknown): boolean {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
}
