import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../platform/sequencer/sequencer.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { PaymentsCommand } from '../domain/payments.commands.js';
import type { PaymentOutcome, SettlementCycleReport } from '../domain/payments.decider.js';

type Submitted = PaymentsCommand extends infer C
  ? C extends PaymentsCommand
    ? Omit<C, 'now'>
    : never
  : never;

/** A payments command (submit, cancel, run a settlement cycle) for the sequencer. */
export class PaymentsCommandMessage {
  constructor(
    readonly command: Submitted,
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {}
}

export interface PaymentsCommandResult {
  readonly reply: PaymentOutcome | SettlementCycleReport;
  readonly replayed: boolean;
}

@CommandHandler(PaymentsCommandMessage)
export class PaymentsCommandHandler implements ICommandHandler<PaymentsCommandMessage> {
  constructor(private readonly sequencer: SequencerHost) {}

  execute({ command, metadata, idempotency }: PaymentsCommandMessage): Promise<PaymentsCommandResult> {
    return this.sequencer.execute<PaymentOutcome | SettlementCycleReport>({ command, metadata, idempotency });
  }
}
