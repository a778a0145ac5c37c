import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { WebhooksCommand } from '../domain/webhooks.commands.js';
import type { WebhooksReply } from '../domain/webhooks.decider.js';

type Submitted = WebhooksCommand extends infer C
  ? C extends WebhooksCommand
    ? Omit<C, 'now'>
    : never
  : never;

/** A webhooks command (register or replace, remove) for the sequencer. */
export class WebhooksCommandMessage {
  constructor(
    readonly command: Submitted,
    readonly metadata: EventMetadata,
  ) {}
}

@CommandHandler(WebhooksCommandMessage)
export class WebhooksCommandHandler implements ICommandHandler<WebhooksCommandMessage> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ command, metadata }: WebhooksCommandMessage): Promise<WebhooksReply> {
    return (await this.sequencer.execute<WebhooksReply>({ command, metadata })).reply;
  }
}
