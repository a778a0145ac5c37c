import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../platform/sequencer/sequencer.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { Caller } from '../../platform/auth/caller.js';
import type { SignatureRecord } from '../domain/issuance.js';
import type { IssuanceCommand } from '../domain/issuance.commands.js';
import type { IssuanceReply } from '../domain/issuance.decider.js';

export interface IssuanceOutcome<R extends IssuanceReply = IssuanceReply> {
  readonly reply: R;
  readonly replayed: boolean;
}

/**
 * Every issuance use case ends the same way: its command goes to the sequencer, whose reply is
 * the view the API returns. One command class and handler serve them all; the use cases differ
 * in their controllers and request parsers (one folder each).
 */
export class SubmitIssuanceCommand extends Command<IssuanceOutcome> {
  constructor(
    readonly command: Omit<IssuanceCommand, 'now'>,
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {
    super();
  }
}

@CommandHandler(SubmitIssuanceCommand)
export class SubmitIssuanceHandler implements ICommandHandler<SubmitIssuanceCommand> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ command, metadata, idempotency }: SubmitIssuanceCommand): Promise<IssuanceOutcome> {
    const { reply, replayed } = await this.sequencer.execute<IssuanceReply>({
      command,
      metadata,
      idempotency,
    });
    return { reply, replayed };
  }
}

/** The caller's signature, as the issuance events keep it. */
export function signatureOf(caller: Caller): SignatureRecord {
  return { keyId: caller.keyId, input: caller.signature.input, value: caller.signature.value };
}
