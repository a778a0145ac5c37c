import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { idempotencyFrom } from '../../../platform/http/idempotency.js';
import { CreateAccountsCommand } from './create-accounts.command.js';
import { parseCreateAccountsRequest } from './create-accounts.request.js';

@Controller('v1/ledger/accounts')
export class CreateAccountsController {
  constructor(private readonly commands: CommandBus) {}

  /** Creates a batch of accounts; one result per item, in order. Bad input: 400/422, nothing written. */
  @Post()
  @HttpCode(200)
  async create(
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const accounts = parseCreateAccountsRequest(body);
    const idempotency = idempotencyFrom(key, 'public', 'POST', '/v1/ledger/accounts', body);
    const outcome = await this.commands.execute(new CreateAccountsCommand(accounts, 'public', idempotency));
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return { results: outcome.results.map((result, index) => ({ index, id: accounts[index]!.id, result })) };
  }
}
