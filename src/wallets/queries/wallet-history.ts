import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../platform/database/database.js';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { TransferCodes } from '../../institutions/domain/chart-of-accounts.js';
import {
  ListAccountTransfersQuery,
  type TransferPage,
} from '../../ledger/queries/list-account-transfers/list-account-transfers.query.js';
import { readWalletRow } from './get-wallet.js';

const PURPOSES: Record<number, string> = Object.fromEntries(
  Object.entries(TransferCodes).map(([name, code]) => [code, name]),
);

/**
 * A wallet's history: the ledger transfers in and out of its account, oldest first, a page at a
 * time (the ledger's account-transfers query), each with its direction, the wallet on the other
 * side when there is one, and the payment's reference.
 */
export class WalletHistoryQuery {
  constructor(
    readonly walletId: string,
    readonly limit: number,
    readonly after: bigint,
    readonly caller: CallerInstitution,
  ) {}
}

@QueryHandler(WalletHistoryQuery)
export class WalletHistoryHandler implements IQueryHandler<WalletHistoryQuery> {
  constructor(
    private readonly database: Database,
    private readonly queries: QueryBus,
  ) {}

  async execute({ walletId, limit, after, caller }: WalletHistoryQuery) {
    const row = await readWalletRow(this.database, caller, walletId);
    const page: TransferPage = await this.queries.execute(
      new ListAccountTransfersQuery(row.account_id, limit, after),
    );
    const counterpartAccounts = page.items.map((t) =>
      t.debitAccountId === row.account_id ? t.creditAccountId : t.debitAccountId,
    );
    const ledgerIds = page.items.map((t) => t.id);
    const [wallets, transfers]: [
      Array<{ id: string; account_id: string }>,
      Array<{ ledger_transfer_id: string; id: string; reference: string | null }>,
    ] =
      page.items.length === 0
        ? [[], []]
        : await Promise.all([
            this.database.dataSource.query(
              'select id, account_id from wallets where account_id = any($1::uuid[])',
              [counterpartAccounts],
            ),
            this.database.dataSource.query(
              'select id, ledger_transfer_id, reference from domestic_transfers where ledger_transfer_id = any($1::uuid[])',
              [ledgerIds],
            ),
          ]);
    const walletByAccount = new Map(wallets.map((w) => [w.account_id, w.id]));
    const transferByLeg = new Map(transfers.map((t) => [t.ledger_transfer_id, t]));
    return {
      walletId,
      items: page.items.map((t, i) => {
        const outgoing = t.debitAccountId === row.account_id;
        const payment = transferByLeg.get(t.id);
        return {
          ledgerTransferId: t.id,
          transferId: payment?.id ?? null,
          direction: outgoing ? 'out' : 'in',
          amount: t.amount,
          amountMinor: t.amountMinor,
          currency: t.currency,
          purpose: PURPOSES[t.code] ?? `code_${t.code}`,
          code: t.code,
          counterparty: {
            walletId: walletByAccount.get(counterpartAccounts[i]!) ?? null,
            accountId: counterpartAccounts[i],
          },
          reference: payment?.reference ?? null,
          timestamp: t.timestamp,
          position: t.position,
        };
      }),
      nextCursor: page.nextCursor,
    };
  }
}
