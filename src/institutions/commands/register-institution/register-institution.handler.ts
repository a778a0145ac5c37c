import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SequencerHost } from '../../../platform/sequencer/sequencer.host.js';
import type { InstitutionsReply } from '../../domain/institutions.decider.js';
import { RegisterInstitutionCommand, type InstitutionOutcome } from './register-institution.command.js';

@CommandHandler(RegisterInstitutionCommand)
export class RegisterInstitutionHandler implements ICommandHandler<RegisterInstitutionCommand> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ command, metadata, idempotency }: RegisterInstitutionCommand): Promise<InstitutionOutcome> {
    const { reply, replayed } = await this.sequencer.execute<InstitutionsReply>({
      command,
      metadata,
      idempotency,
    });
    return { institution: reply.institution, replayed };
  }
}
