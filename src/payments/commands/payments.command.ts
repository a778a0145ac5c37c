import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../platform/sequencer/sequencer.js';
import { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { PaymentsCommand, SubmitPayment } from '../domain/payments.commands.js';
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

/** The payments of one `POST /v1/payments/batch`: each its own command, with its own key. */
export class SubmitPaymentsMessage {
  constructor(
    readonly submissions: ReadonlyArray<{
      readonly command: Omit<SubmitPayment, 'now'>;
      readonly metadata: EventMetadata;
      readonly idempotency: IdempotencyRequest;
    }>,
  ) {}
}

/** Each payment's outcome, in order: its reply, or why it was refused (a problem, a failed commit). */
export type SubmitPaymentsResult = ReadonlyArray<
  | { readonly ok: true; readonly outcome: PaymentOutcome; readonly replayed: boolean }
  | { readonly ok: false; readonly error: unknown }
>;

/**
 * Submits every payment of the batch at once, in order, so that the sequencer decides them
 * together (later ones see the earlier ones) and commits them in one transaction when they fit
 * in one batch. Each payment is a command of its own: one refused or failed takes no other with it.
 */
@CommandHandler(SubmitPaymentsMessage)
export class SubmitPaymentsHandler implements ICommandHandler<SubmitPaymentsMessage> {
  constructor(private readonly sequencer: SequencerHost) {}

  async execute({ submissions }: SubmitPaymentsMessage): Promise<SubmitPaymentsResult> {
    const settled = await Promise.allSettled(
      submissions.map((submission) => this.sequencer.execute<PaymentOutcome>(submission)),
    );
    return settled.map((result) =>
      result.status === 'fulfilled'
        ? { ok: true as const, outcome: result.value.reply, replayed: result.value.replayed }
        : { ok: false as const, error: result.reason as unknown },
    );
  }
}
