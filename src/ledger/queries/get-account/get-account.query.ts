import { Query } from '@nestjs/cqrs';
import type { accountView } from '../../read-model/ledger.views.js';

/** An account with its balances, now or as of a past global position. */
export class GetAccountQuery extends Query<ReturnType<typeof accountView>> {
  constructor(
    readonly accountId: string,
    readonly asOfPosition: bigint | null,
  ) {
    super();
  }
}
