import { Query } from '@nestjs/cqrs';
import type { transferView } from '../../read-model/ledger.views.js';

export class GetTransferQuery extends Query<ReturnType<typeof transferView>> {
  constructor(readonly transferId: string) {
    super();
  }
}
