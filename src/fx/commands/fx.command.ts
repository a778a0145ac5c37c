import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../platform/sequencer/sequencer.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { FxCommand } from '../domain/fx.commands.js';
import type { FxReply } from '../domain/fx.decider.js';

type Submitted = FxCommand extends infer C ? (C extends FxCommand ? Omit<C, 'now'> : never) : never;

/** An FX command (publish or withdraw a rate sheet, request a quote) for the sequencer. */
export class FxCommandMessage {
  constructor(
    readonly command: Submitted,
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {}
}

@CommandHandler(FxCommandMessage)
export class FxCommandHandler implements ICommandHandler<FxCommandMessage> {
  constructor(private readonly sequencer: SequencerHost) {}

  execute({
    command,
    metadata,
    idempotency,
  }: FxCommandMessage): Promise<{ reply: FxReply; replayed: boolean }> {
    return this.sequencer.execute<FxReply>({ command, metadata, idempotency });
  }
}
