import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '../../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../../platform/sequencer/sequencer.js';
import type { AccountInput, CreateAccountResult } from '../../domain/model.js';

export interface CreateAccountsOutcome {
  readonly results: readonly CreateAccountResult[];
  readonly replayed: boolean;
}

export class CreateAccountsCommand extends Command<CreateAccountsOutcome> {
  constructor(
    readonly accounts: readonly AccountInput[],
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {
    super();
  }
}
