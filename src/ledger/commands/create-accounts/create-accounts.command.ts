import { Command } from '@nestjs/cqrs';
import type { IdempotencyRequest } from '../../../platform/sequencer/sequencer.js';
import type { AccountInput, CreateAccountResult } from '../../domain/model.js';

export interface CreateAccountsOutcome {
  readonly results: readonly CreateAccountResult[];
  readonly replayed: boolean;
}

export class CreateAccountsCommand extends Command<CreateAccountsOutcome> {
  constructor(
    readonly accounts: readonly AccountInput[],
    readonly actor: string,
    readonly idempotency?: IdempotencyRequest,
  ) {
    super();
  }
}
