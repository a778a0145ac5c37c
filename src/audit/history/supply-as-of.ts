import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../platform/database/database.js';

export class SupplyAsOfQuery {
  constructor(
    readonly currency: string,
    /** Null: the log's head. */
    readonly asOf: bigint | null,
  ) {}
}

const PENDING = 1 << 1;
const VOID_PENDING = 1 << 3;

/**
 * Time travel: a currency's supply and where it sat as of a past position, recomputed from the
 * log itself (not the read models, which only know now). Supply is what was issued minus what was
 * redeemed; holdings are the posted balances of the wallets in that currency, per bank, from the
 * ledger's transfers (a pending transfer moves nothing until posted; a void moves nothing).
 * Both sides come from the events up to `asOf`, so they must agree: `ledgerSupply` (what the
 * central bank's issuance accounts owe) is reported beside `supply` to show it.
 */
@QueryHandler(SupplyAsOfQuery)
export class SupplyAsOfHandler implements IQueryHandler<SupplyAsOfQuery> {
  constructor(private readonly database: Database) {}

  async execute({ currency, asOf }: SupplyAsOfQuery) {
    const query = this.database.dataSource.query.bind(this.database.dataSource);
    const [head] = (await query(
      'select position::text as position from event_log_head where id = 1',
    )) as Array<{
      position: string;
    }>;
    const at = asOf === null || asOf > BigInt(head!.position) ? head!.position : asOf.toString();
    const [issuance] = (await query(
      `select coalesce(sum(case when type = 'CbdcIssued' then (data->>'amount')::numeric end), 0)::text as issued,
              coalesce(sum(case when type = 'CbdcRedeemed' then (data->>'amount')::numeric end), 0)::text as redeemed
         from events where type in ('CbdcIssued', 'CbdcRedeemed') and data->>'currency' = $1 and global_position <= $2`,
      [currency, at],
    )) as Array<{ issued: string; redeemed: string }>;
    // Posted movements per account, then each account's kind and owner from the events that
    // opened it (wallets) or created it (the chart of accounts' codes).
    const balances = (await query(
      `with moves as (
         select (data->'transfer'->>'creditAccountId') as account, (data->'transfer'->>'amount')::numeric as amount
           from events
          where type = 'TransferCreated' and data->'transfer'->>'currency' = $1 and global_position <= $2
            and ((data->'transfer'->>'flags')::int & ${PENDING | VOID_PENDING}) = 0
         union all
         select (data->'transfer'->>'debitAccountId'), -(data->'transfer'->>'amount')::numeric
           from events
          where type = 'TransferCreated' and data->'transfer'->>'currency' = $1 and global_position <= $2
            and ((data->'transfer'->>'flags')::int & ${PENDING | VOID_PENDING}) = 0
       ), sums as (select account, sum(amount) as balance from moves group by account),
       accounts as (
         select data->'account'->>'id' as account, (data->'account'->>'code')::int as code
           from events where type = 'AccountCreated' and data->'account'->>'currency' = $1 and global_position <= $2
       ),
       wallets as (
         select data->'wallet'->>'accountId' as account, data->'wallet'->>'bankId' as bank, data->'wallet'->>'kind' as kind
           from events where type = 'WalletOpened' and data->'wallet'->>'currency' = $1 and global_position <= $2
       )
       select a.code, w.bank, w.kind, count(*)::int as accounts, coalesce(sum(s.balance), 0)::text as balance
         from accounts a left join sums s on s.account = a.account left join wallets w on w.account = a.account
        group by a.code, w.bank, w.kind
        order by a.code, w.bank nulls first, w.kind`,
      [currency, at],
    )) as Array<{
      code: number;
      bank: string | null;
      kind: string | null;
      accounts: number;
      balance: string;
    }>;
    const issued = BigInt(issuance!.issued);
    const redeemed = BigInt(issuance!.redeemed);
    const ledgerSupply = -balances
      .filter((b) => b.code === 10)
      .reduce((sum, b) => sum + BigInt(b.balance), 0n);
    return {
      currency,
      asOf: at,
      supply: {
        issuedMinor: issued.toString(),
        redeemedMinor: redeemed.toString(),
        outstandingMinor: (issued - redeemed).toString(),
      },
      ledgerSupplyMinor: ledgerSupply.toString(),
      holdings: balances
        .filter((b) => b.bank !== null)
        .map((b) => ({ bank: b.bank, wallets: b.kind, accounts: b.accounts, balanceMinor: b.balance })),
      byAccountCode: balances
        .filter((b) => b.bank === null)
        .map((b) => ({ code: b.code, accounts: b.accounts, balanceMinor: b.balance })),
    };
  }
}
