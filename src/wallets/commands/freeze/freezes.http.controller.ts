import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import type { Freeze } from '../../domain/freeze.js';
import type { WalletsCommand } from '../../domain/wallets.commands.js';
import { freezeView } from '../../wallet.view.js';
import { pathWalletId } from '../wallet-id.js';
import { SubmitWalletsCommand, type Unstamped, type WalletsOutcome } from '../submit-wallets-command.js';
import { parseFreezeRequest } from './freeze.request.js';

type Target =
  { readonly kind: 'wallet'; readonly id: string } | { readonly kind: 'institution'; readonly id: string };

/**
 * Freezes and unfreezes one wallet, or a whole commercial bank (its wallets and its customers'):
 * the central bank of its jurisdiction or a regulator there.
 */
@Controller('v1')
@AllowKinds('central_bank', 'regulator')
export class FreezesController {
  constructor(private readonly commands: CommandBus) {}

  @Post('wallets/:id/freeze')
  @HttpCode(200)
  freezeWallet(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.submit({ kind: 'wallet', id: pathWalletId(id) }, body, true, caller, key, response);
  }

  @Post('wallets/:id/unfreeze')
  @HttpCode(200)
  unfreezeWallet(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.submit({ kind: 'wallet', id: pathWalletId(id) }, body, false, caller, key, response);
  }

  @Post('institutions/:id/freeze')
  @HttpCode(200)
  freezeInstitution(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.submit({ kind: 'institution', id }, body, true, caller, key, response);
  }

  @Post('institutions/:id/unfreeze')
  @HttpCode(200)
  unfreezeInstitution(
    @Param('id') id: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.submit({ kind: 'institution', id }, body, false, caller, key, response);
  }

  private async submit(
    target: Target,
    body: unknown,
    freezing: boolean,
    caller: Caller,
    key: string | undefined,
    response: Response,
  ) {
    const { reason, scope } = parseFreezeRequest(body, freezing);
    const path = `/v1/${target.kind === 'wallet' ? 'wallets' : 'institutions'}/${target.id}/${freezing ? 'freeze' : 'unfreeze'}`;
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', path, body);
    const actor = caller.institution.id;
    const command: Unstamped<WalletsCommand> =
      target.kind === 'wallet'
        ? freezing
          ? { type: 'FreezeWallet', actor, walletId: target.id, scope, reason }
          : { type: 'UnfreezeWallet', actor, walletId: target.id, reason }
        : freezing
          ? { type: 'FreezeInstitution', actor, institutionId: target.id, scope, reason }
          : { type: 'UnfreezeInstitution', actor, institutionId: target.id, reason };
    const outcome: WalletsOutcome<
      { walletId: string; freeze: Freeze | null } | { institutionId: string; freeze: Freeze | null }
    > = await this.commands.execute(
      new SubmitWalletsCommand(command, metadataOf(caller, idempotency?.key), idempotency),
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    const { freeze, ...id } = outcome.reply;
    return { ...id, frozen: freezeView(freeze) };
  }
}
