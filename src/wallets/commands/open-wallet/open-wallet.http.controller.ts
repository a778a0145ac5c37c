import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import type { Wallet } from '../../domain/wallet.js';
import { GetWalletQuery } from '../../queries/get-wallet.js';
import { SubmitWalletsCommand, type WalletsOutcome } from '../submit-wallets-command.js';
import { parseOpenWallet } from './open-wallet.request.js';

@Controller('v1/wallets')
export class OpenWalletController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Opens the calling commercial bank's wallet in a currency, or a customer wallet it will operate. */
  @Post()
  @HttpCode(201)
  @AllowKinds('commercial_bank')
  async open(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const wallet = parseOpenWallet(body);
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', '/v1/wallets', body);
    const outcome: WalletsOutcome<{ wallet: Wallet }> = await this.commands.execute(
      new SubmitWalletsCommand(
        { type: 'OpenWallet', actor: caller.institution.id, wallet },
        metadataOf(caller, idempotency?.key),
        idempotency,
      ),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    const id = outcome.reply.wallet.id;
    response.setHeader('Location', `/v1/wallets/${id}`);
    // Committed before the reply: the read models already show it (as they will on a replay).
    return this.queries.execute(new GetWalletQuery(id, caller.institution));
  }
}
