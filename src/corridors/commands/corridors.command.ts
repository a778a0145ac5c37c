import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { CorridorsCommand } from '../domain/corridors.commands.js';
import type { CorridorsReply } from '../domain/corridors.decider.js';

type Submitted = CorridorsCommand extends infer C
  ? C extends CorridorsCommand
    ? Omit<C, 'now'>
    : never
  : never;

/** A corridors command (open, side rules, suspend, resume) for the sequencer. */
export class CorridorsCommandMessage {
  constructor(
    readonly command: Submitted,
    readonly metadata: EventMetadata,
  ) {}
}

@CommandHandler(CorridorsCommandMessage)
export class CorridorsCommandHandler implements ICommandHandler<CorridorsCommandMessage> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ command, metadata }: CorridorsCommandMessage): Promise<CorridorsReply> {
    return (await this.sequencer.execute<CorridorsReply>({ command, metadata })).reply;
  }
}
