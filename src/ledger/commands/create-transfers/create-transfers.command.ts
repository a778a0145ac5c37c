import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '../../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../../platform/sequencer/sequencer.js';
import type { TransferInput, CreateTransferResult } from '../../domain/model.js';

export interface CreateTransfersOutcome {
  readonly results: readonly CreateTransferResult[];
  readonly replayed: boolean;
}

export class CreateTransfersCommand extends Command<CreateTransfersOutcome> {
  constructor(
    readonly transfers: readonly TransferInput[],
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {
    super();
  }
}
