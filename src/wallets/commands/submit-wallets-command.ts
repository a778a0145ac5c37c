import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { IdempotencyRequest } from '../../platform/sequencer/sequencer.js';
import type { WalletsCommand } from '../domain/wallets.commands.js';
import type { WalletsReply } from '../domain/wallets.decider.js';

export type Unstamped<C> = C extends unknown ? Omit<C, 'now'> : never;

/**
 * Every wallets use case ends the same way: its command goes to the sequencer, which decides it
 * against the state and answers once committed. One bus command carries any of them; each use
 * case's folder holds what differs (its request parser and controller).
 */
export class SubmitWalletsCommand<R extends WalletsReply = WalletsReply> {
  declare readonly replyType?: R;
  constructor(
    readonly command: Unstamped<WalletsCommand>,
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {}
}

export interface WalletsOutcome<R extends WalletsReply = WalletsReply> {
  readonly reply: R;
  readonly replayed: boolean;
}

@CommandHandler(SubmitWalletsCommand)
export class SubmitWalletsCommandHandler implements ICommandHandler<SubmitWalletsCommand> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ command, metadata, idempotency }: SubmitWalletsCommand): Promise<WalletsOutcome> {
    const { reply, replayed } = await this.sequencer.execute<WalletsReply>({
      command,
      metadata,
      idempotency,
    });
    return { reply, replayed };
  }
}
