import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import type { DomesticTransferSettled } from '../../domain/wallets.events.js';
import { transferView } from '../../wallet.view.js';
import { SubmitWalletsCommand, type WalletsOutcome } from '../submit-wallets-command.js';
import { parseTransferRequest } from './transfer-between-wallets.request.js';

@Controller('v1/wallets/transfers')
export class TransferBetweenWalletsController {
  constructor(private readonly commands: CommandBus) {}

  /** Moves money between two wallets of one currency, signed by the bank that operates `from`. */
  @Post()
  @HttpCode(200)
  @AllowKinds('commercial_bank')
  async transfer(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const request = parseTransferRequest(body);
    // Money moves: a retry must not pay twice.
    const idempotency = idempotencyFrom(
      key,
      caller.institution.id,
      'POST',
      '/v1/wallets/transfers',
      body,
      true,
    );
    const outcome: WalletsOutcome<{ transfer: DomesticTransferSettled['data'] }> =
      await this.commands.execute(
        new SubmitWalletsCommand(
          {
            type: 'TransferBetweenWallets',
            actor: caller.institution.id,
            // A replay answers the stored reply, so this id is only used by the first attempt.
            transferId: randomUUID(),
            ...request,
          },
          metadataOf(caller, idempotency?.key),
          idempotency,
        ),
      );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return transferView(outcome.reply.transfer);
  }
}
