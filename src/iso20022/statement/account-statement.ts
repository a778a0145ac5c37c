import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { ProblemException } from '../../platform/http/problem.js';
import { InstitutionsSequencedModule, TransferCodes } from '../../institutions/index.js';
import { TransferFlags } from '../../ledger/index.js';
import { GetWalletQuery } from '../../wallets/queries/get-wallet.js';
import { DEFAULT_TIME_ZONE } from '../../wallets/domain/wallet-rules.js';
import { localDay, type LocalDay } from './local-day.js';

/** One day of a wallet's booked movements, with the balances either side of it. */
export class AccountStatementQuery {
  constructor(
    readonly walletId: string,
    /** `YYYY-MM-DD` in the wallet's jurisdiction's time zone. */
    readonly date: string,
    readonly caller: CallerInstitution,
  ) {}
}

export interface StatementEntry {
  readonly ledgerTransferId: string;
  readonly direction: 'credit' | 'debit';
  readonly amountMinor: bigint;
  /** TransferCodes name: crossBorderLeg, fee, netSettlement, domesticTransfer, issuance… */
  readonly kind: string;
  /** What the transfer belongs to (a payment, a settlement set, a domestic transfer…), when known. */
  readonly reference: string | null;
  readonly bookedAtMs: number;
  readonly position: string;
}

export interface AccountStatement {
  readonly wallet: {
    readonly id: string;
    readonly kind: string;
    readonly bank: string;
    readonly currency: string;
    readonly holderReference: string | null;
  };
  readonly date: string;
  readonly day: LocalDay;
  readonly openingMinor: bigint;
  readonly closingMinor: bigint;
  readonly entries: readonly StatementEntry[];
}

/** A day with more movements than this is refused rather than answered in part. */
export const STATEMENT_MAX_ENTRIES = 10_000;

const KINDS: Record<number, string> = Object.fromEntries(
  Object.entries(TransferCodes).map(([name, code]) => [code, name]),
);
// Booked = posted: a pending transfer books nothing until posted, a void books nothing at all.
const NOT_BOOKED = TransferFlags.pending | TransferFlags.voidPendingTransfer;

/**
 * Read from the ledger's read model (ledger_transfers), the wallet found through the wallets
 * module's own query so that who may read a statement is who may read the wallet.
 */
@QueryHandler(AccountStatementQuery)
export class AccountStatementHandler implements IQueryHandler<AccountStatementQuery> {
  constructor(
    private readonly database: Database,
    private readonly queries: QueryBus,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  async execute({ walletId, date, caller }: AccountStatementQuery): Promise<AccountStatement> {
    await this.queries.execute(new GetWalletQuery(walletId, caller)); // 403/404 as GET /v1/wallets/{id}
    const db = this.database.dataSource;
    const [wallet] = (await db.query(
      'select id, kind, bank_id, jurisdiction, currency, account_id, holder_reference from wallets where id = $1',
      [walletId],
    )) as Array<{
      id: string;
      kind: string;
      bank_id: string;
      jurisdiction: string;
      currency: string;
      account_id: string;
      holder_reference: string | null;
    }>;
    const timeZone =
      this.institutions.state.jurisdictions.get(wallet!.jurisdiction)?.timeZone ?? DEFAULT_TIME_ZONE;
    const day = localDay(timeZone, date);
    const [start, end] = [BigInt(day.startMs) * 1_000_000n, BigInt(day.endMs) * 1_000_000n];
    const account = wallet!.account_id;
    const [opening] = (await db.query(
      `select (coalesce(sum(amount) filter (where credit_account_id = $1), 0)
             - coalesce(sum(amount) filter (where debit_account_id = $1), 0))::text as balance
       from ledger_transfers
       where (debit_account_id = $1 or credit_account_id = $1) and timestamp < $2 and flags & $3 = 0`,
      [account, start.toString(), NOT_BOOKED],
    )) as Array<{ balance: string }>;
    const rows = (await db.query(
      `select * from (
         (select id, debit_account_id, amount::text, code, user_data_128, timestamp::text, global_position::text
            from ledger_transfers where debit_account_id = $1 and timestamp >= $2 and timestamp < $3 and flags & $4 = 0)
         union all
         (select id, debit_account_id, amount::text, code, user_data_128, timestamp::text, global_position::text
            from ledger_transfers where credit_account_id = $1 and timestamp >= $2 and timestamp < $3 and flags & $4 = 0)
       ) t order by timestamp, id limit $5`,
      [account, start.toString(), end.toString(), NOT_BOOKED, STATEMENT_MAX_ENTRIES + 1],
    )) as Array<{
      id: string;
      debit_account_id: string;
      amount: string;
      code: number;
      user_data_128: string | null;
      timestamp: string;
      global_position: string;
    }>;
    if (rows.length > STATEMENT_MAX_ENTRIES) {
      throw new ProblemException({
        code: 'statement_too_large',
        status: 422,
        title: 'The statement is too large',
        detail: `${walletId} has more than ${STATEMENT_MAX_ENTRIES} entries on ${date}; read them with GET /v1/wallets/{id}/history.`,
      });
    }
    const entries = rows.map((row): StatementEntry => ({
      ledgerTransferId: row.id,
      direction: row.debit_account_id === account ? 'debit' : 'credit',
      amountMinor: BigInt(row.amount),
      kind: KINDS[row.code] ?? `code_${row.code}`,
      reference: row.user_data_128,
      bookedAtMs: Number(BigInt(row.timestamp) / 1_000_000n),
      position: row.global_position,
    }));
    const openingMinor = BigInt(opening!.balance);
    const closingMinor = entries.reduce(
      (sum, e) => (e.direction === 'credit' ? sum + e.amountMinor : sum - e.amountMinor),
      openingMinor,
    );
    return {
      wallet: {
        id: wallet!.id,
        kind: wallet!.kind,
        bank: wallet!.bank_id,
        currency: wallet!.currency,
        holderReference: wallet!.holder_reference,
      },
      date,
      day,
      openingMinor,
      closingMinor,
      entries,
    };
  }
}
