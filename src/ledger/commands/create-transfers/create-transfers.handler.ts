import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SequencerHost } from '../../../platform/sequencer/sequencer.host.js';
import type { CreateTransferResult } from '../../domain/model.js';
import { CreateTransfersCommand, type CreateTransfersOutcome } from './create-transfers.command.js';

@CommandHandler(CreateTransfersCommand)
export class CreateTransfersHandler implements ICommandHandler<CreateTransfersCommand> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute(command: CreateTransfersCommand): Promise<CreateTransfersOutcome> {
    const { reply, replayed } = await this.sequencer.execute<{ results: CreateTransferResult[] }>({
      command: { type: 'CreateTransfers', transfers: command.transfers, strict: true } as never,
      metadata: command.metadata,
      idempotency: command.idempotency,
    });
    return { results: reply.results, replayed };
  }
}
