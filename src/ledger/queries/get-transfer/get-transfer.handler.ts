import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../../platform/database/database.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { LedgerTransferRecord } from '../../read-model/ledger-transfer.record.js';
import { transferView } from '../../read-model/ledger.views.js';
import { GetTransferQuery } from './get-transfer.query.js';

@QueryHandler(GetTransferQuery)
export class GetTransferHandler implements IQueryHandler<GetTransferQuery> {
  constructor(private readonly database: Database) {}

  async execute({ transferId }: GetTransferQuery) {
    const record = await this.database.dataSource
      .getRepository(LedgerTransferRecord)
      .findOneBy({ id: transferId });
    if (!record) throw ProblemException.notFound('transfer_not_found', `There is no transfer ${transferId}.`);
    return transferView(record);
  }
}
