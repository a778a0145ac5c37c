import { Query } from '@nestjs/cqrs';
import type { transferView } from '../../read-model/ledger.views.js';

export interface TransferPage {
  readonly items: ReturnType<typeof transferView>[];
  /** Pass back as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** An account's transfers (debits and credits) in timestamp order, a page at a time. */
export class ListAccountTransfersQuery extends Query<TransferPage> {
  constructor(
    readonly accountId: string,
    readonly limit: number,
    /** Exclusive lower bound: the timestamp of the last transfer of the previous page. */
    readonly after: bigint,
  ) {
    super();
  }
}
