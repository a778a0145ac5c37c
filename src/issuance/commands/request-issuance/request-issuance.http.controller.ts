import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { InstitutionsSequencedModule } from '../../../institutions/institutions.sequenced-module.js';
import type { RequestIssuance } from '../../domain/issuance.commands.js';
import type { IssuanceRequestView } from '../../issuance.views.js';
import { SubmitIssuanceCommand, signatureOf, type IssuanceOutcome } from '../issuance-submission.js';
import { parseRequestIssuance } from './request-issuance.request.js';

const PATH = '/v1/issuance/requests';

@Controller('v1/issuance/requests')
@AllowKinds('commercial_bank')
export class RequestIssuanceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  /** A commercial bank asks its central bank to issue CBDC against its reserves, or to redeem it. */
  @Post()
  @HttpCode(201)
  async request(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const request = parseRequestIssuance(body, this.institutions.state, caller);
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', PATH, body, true);
    // The id is chosen here, before the sequencer: a replay with the same key returns the stored
    // reply (with the first id) and never decides again.
    const command: Omit<RequestIssuance, 'now'> = {
      type: 'RequestIssuance',
      actor: caller.institution.id,
      requestId: randomUUID(),
      kind: request.kind,
      currency: request.currency,
      amount: request.amount,
      reference: request.reference,
      signature: signatureOf(caller),
    };
    const outcome: IssuanceOutcome<IssuanceRequestView> = (await this.commands.execute(
      new SubmitIssuanceCommand(command, metadataOf(caller, idempotency?.key), idempotency),
    )) as IssuanceOutcome<IssuanceRequestView>;
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.setHeader('Location', `${PATH}/${outcome.reply.id}`);
    return outcome.reply;
  }
}
