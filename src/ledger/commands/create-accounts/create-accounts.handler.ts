import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SequencerHost } from '../../../platform/sequencer/sequencer.host.js';
import type { CreateAccountResult } from '../../domain/model.js';
import { CreateAccountsCommand, type CreateAccountsOutcome } from './create-accounts.command.js';

@CommandHandler(CreateAccountsCommand)
export class CreateAccountsHandler implements ICommandHandler<CreateAccountsCommand> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute(command: CreateAccountsCommand): Promise<CreateAccountsOutcome> {
    const { reply, replayed } = await this.sequencer.execute<{ results: CreateAccountResult[] }>({
      command: { type: 'CreateAccounts', accounts: command.accounts, strict: true } as never,
      metadata: command.metadata,
      idempotency: command.idempotency,
    });
    return { results: reply.results, replayed };
  }
}
