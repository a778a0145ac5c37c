import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { CreateTransfersCommand } from './create-transfers.command.js';
import { parseCreateTransfersRequest } from './create-transfers.request.js';

@Controller('v1/ledger/transfers')
// The raw ledger is the platform's own instrument: banks move money through wallets and payments.
@AllowKinds('operator')
export class CreateTransfersController {
  constructor(private readonly commands: CommandBus) {}

  /** Creates a batch of transfers (linked chains, two-phase); one result per item, in order. Bad input: 400/422, nothing written. */
  @Post()
  @HttpCode(200)
  async create(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const transfers = parseCreateTransfersRequest(body);
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', '/v1/ledger/transfers', body);
    const outcome = await this.commands.execute(
      new CreateTransfersCommand(transfers, metadataOf(caller, idempotency?.key), idempotency),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return { results: outcome.results.map((result, index) => ({ index, id: transfers[index]!.id, result })) };
  }
}
