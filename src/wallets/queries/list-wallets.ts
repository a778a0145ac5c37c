import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { Database } from '../../platform/database/database.js';
import { ProblemException } from '../../platform/http/problem.js';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { forbiddenScope } from '../../institutions/domain/authorization.js';
import { InstitutionsSequencedModule } from '../../institutions/institutions.sequenced-module.js';
import { DEFAULT_TIME_ZONE } from '../domain/wallet-rules.js';
import { oversees } from '../domain/wallet-access.js';
import { walletView } from '../wallet.view.js';
import { factsFromRow, WALLET_SELECT, type WalletRow } from './wallet-rows.js';

/** A commercial bank's wallets (its own and its customers'), by id, a page at a time. */
export class ListWalletsQuery {
  constructor(
    readonly bankId: string,
    readonly limit: number,
    /** Exclusive: the last wallet id of the previous page. */
    readonly after: string | null,
    readonly caller: CallerInstitution,
  ) {}
}

@QueryHandler(ListWalletsQuery)
export class ListWalletsHandler implements IQueryHandler<ListWalletsQuery> {
  constructor(
    private readonly database: Database,
    private readonly institutions: InstitutionsSequencedModule,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankId, limit, after, caller }: ListWalletsQuery) {
    // The registry is public: saying a bank does not exist leaks nothing.
    const bank = this.institutions.state.institutions.get(bankId);
    if (bank === undefined || bank.kind !== 'commercial_bank') {
      throw ProblemException.notFound('institution_unknown', `No commercial bank ${bankId} is registered.`);
    }
    const allowed =
      caller.kind === 'operator' ||
      (caller.kind === 'commercial_bank' && caller.id === bankId) ||
      oversees(caller, bank.jurisdiction!);
    if (!allowed) {
      throw new ProblemException(
        forbiddenScope(
          caller,
          `the wallets of ${bankId} are seen by the bank, its central bank and regulators`,
        ),
      );
    }
    const rows: WalletRow[] = await this.database.dataSource.query(
      `${WALLET_SELECT} where w.bank_id = $1 and ($2::text is null or w.id > $2) order by w.id limit $3`,
      [bankId, after, limit + 1],
    );
    const now = this.clock.nowNs();
    const items = rows.slice(0, limit).map((row) => {
      const timeZone =
        this.institutions.state.jurisdictions.get(row.jurisdiction)?.timeZone ?? DEFAULT_TIME_ZONE;
      return walletView(factsFromRow(row, timeZone, now));
    });
    return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
  }
}
