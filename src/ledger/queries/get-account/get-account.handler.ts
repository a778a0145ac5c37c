import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../../platform/database/database.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { LedgerAccountRecord } from '../../read-model/ledger-account.record.js';
import { accountView } from '../../read-model/ledger.views.js';
import { GetAccountQuery } from './get-account.query.js';

@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery> {
  constructor(private readonly database: Database) {}

  async execute({ accountId, asOfPosition }: GetAccountQuery) {
    const record = await this.database.dataSource
      .getRepository(LedgerAccountRecord)
      .findOneBy({ id: accountId });
    if (!record || (asOfPosition !== null && BigInt(record.createdPosition) > asOfPosition)) {
      throw ProblemException.notFound(
        'account_not_found',
        `There is no account ${accountId}${asOfPosition !== null ? ` at position ${asOfPosition}` : ''}.`,
      );
    }
    if (asOfPosition === null) return accountView(record);
    // Balances as of a position are recomputed from the transfers recorded up to it: posted
    // amounts from single-phase and post transfers, pending ones from reservations not yet
    // resolved (posted, voided or expired) at that position.
    const [row] = await this.database.dataSource.query(
      `select
         coalesce(sum(amount) filter (where debit_account_id = $1 and flags & 10 = 0), 0)::text as "debitsPosted",
         coalesce(sum(amount) filter (where credit_account_id = $1 and flags & 10 = 0), 0)::text as "creditsPosted",
         coalesce(sum(amount) filter (where debit_account_id = $1 and flags & 2 <> 0
           and (resolved_position is null or resolved_position > $2)), 0)::text as "debitsPending",
         coalesce(sum(amount) filter (where credit_account_id = $1 and flags & 2 <> 0
           and (resolved_position is null or resolved_position > $2)), 0)::text as "creditsPending"
       from ledger_transfers
       where (debit_account_id = $1 or credit_account_id = $1) and global_position <= $2`,
      [accountId, asOfPosition.toString()],
    );
    return accountView(record, row, asOfPosition.toString());
  }
}
