import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { InstitutionsSequencedModule } from '../../../institutions/institutions.sequenced-module.js';
import type { IssueDirectly } from '../../domain/issuance.commands.js';
import type { IssuanceRequestView } from '../../issuance.views.js';
import { SubmitIssuanceCommand, signatureOf, type IssuanceOutcome } from '../issuance-submission.js';
import { parseIssueDirectly } from './issue-directly.request.js';

const PATH = '/v1/issuance';

@Controller('v1/issuance')
@AllowKinds('central_bank')
export class IssueDirectlyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  /** A central bank issues to, or redeems from, one of its own banks in one step. */
  @Post()
  @HttpCode(201)
  async issue(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const request = parseIssueDirectly(body, this.institutions.state, caller);
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', PATH, body, true);
    const command: Omit<IssueDirectly, 'now'> = {
      type: 'IssueDirectly',
      actor: caller.institution.id,
      requestId: randomUUID(),
      bankId: request.bank,
      kind: request.kind,
      currency: request.currency,
      amount: request.amount,
      reference: request.reference,
      signature: signatureOf(caller),
    };
    const outcome = (await this.commands.execute(
      new SubmitIssuanceCommand(command, metadataOf(caller, idempotency?.key), idempotency),
    )) as IssuanceOutcome<IssuanceRequestView>;
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.setHeader('Location', `/v1/issuance/requests/${outcome.reply.id}`);
    return outcome.reply;
  }
}
