import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../../platform/database/database.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { LedgerAccountRecord } from '../../read-model/ledger-account.record.js';
import { LedgerTransferRecord } from '../../read-model/ledger-transfer.record.js';
import { transferView } from '../../read-model/ledger.views.js';
import { ListAccountTransfersQuery, type TransferPage } from './list-account-transfers.query.js';

@QueryHandler(ListAccountTransfersQuery)
export class ListAccountTransfersHandler implements IQueryHandler<ListAccountTransfersQuery> {
  constructor(private readonly database: Database) {}

  async execute({ accountId, limit, after }: ListAccountTransfersQuery): Promise<TransferPage> {
    const dataSource = this.database.dataSource;
    const exists = await dataSource.getRepository(LedgerAccountRecord).existsBy({ id: accountId });
    if (!exists) throw ProblemException.notFound('account_not_found', `There is no account ${accountId}.`);
    // Two index range scans (debit side, credit side) merged, rather than an OR that would sort.
    const rows: Array<{ id: string }> = await dataSource.query(
      `select id from (
         (select id, timestamp from ledger_transfers where debit_account_id = $1 and timestamp > $2 order by timestamp limit $3)
         union all
         (select id, timestamp from ledger_transfers where credit_account_id = $1 and timestamp > $2 order by timestamp limit $3)
       ) t order by timestamp limit $3`,
      [accountId, after.toString(), limit + 1],
    );
    const ids = rows.slice(0, limit).map((r) => r.id);
    const records =
      ids.length === 0
        ? []
        : await dataSource.getRepository(LedgerTransferRecord).find({ where: ids.map((id) => ({ id })) });
    const byId = new Map(records.map((r) => [r.id, r]));
    const items = ids.map((id) => transferView(byId.get(id)!));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? last.timestamp : null };
  }
}
