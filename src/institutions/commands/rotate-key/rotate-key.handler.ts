import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SequencerHost } from '../../../platform/sequencer/sequencer.host.js';
import type { InstitutionsReply } from '../../domain/institutions.decider.js';
import type { InstitutionOutcome } from '../register-institution/register-institution.command.js';
import { RotateKeyCommand, SetRoleCommand } from './rotate-key.command.js';

@CommandHandler(RotateKeyCommand)
export class RotateKeyHandler implements ICommandHandler<RotateKeyCommand> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ command, metadata, idempotency }: RotateKeyCommand): Promise<InstitutionOutcome> {
    const { reply, replayed } = await this.sequencer.execute<InstitutionsReply>({
      command,
      metadata,
      idempotency,
    });
    return { institution: reply.institution, replayed };
  }
}

@CommandHandler(SetRoleCommand)
export class SetRoleHandler implements ICommandHandler<SetRoleCommand> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ command, metadata }: SetRoleCommand): Promise<InstitutionOutcome> {
    const { reply, replayed } = await this.sequencer.execute<InstitutionsReply>({ command, metadata });
    return { institution: reply.institution, replayed };
  }
}
