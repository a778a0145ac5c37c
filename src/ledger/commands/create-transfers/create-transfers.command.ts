import { Command } from '@nestjs/cqrs';
import type { IdempotencyRequest } from '../../../platform/sequencer/sequencer.js';
import type { TransferInput, CreateTransferResult } from '../../domain/model.js';

export interface CreateTransfersOutcome {
  readonly results: readonly CreateTransferResult[];
  readonly replayed: boolean;
}

export class CreateTransfersCommand extends Command<CreateTransfersOutcome> {
  constructor(
    readonly transfers: readonly TransferInput[],
    readonly actor: string,
    readonly idempotency?: IdempotencyRequest,
  ) {
    super();
  }
}
