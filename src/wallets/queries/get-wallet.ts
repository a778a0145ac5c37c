import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { Database } from '../../platform/database/database.js';
import { ProblemException } from '../../platform/http/problem.js';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { InstitutionsSequencedModule } from '../../institutions/institutions.sequenced-module.js';
import { DEFAULT_TIME_ZONE } from '../domain/wallet-rules.js';
import { mayRead, walletOutOfReach } from '../domain/wallet-access.js';
import { walletView } from '../wallet.view.js';
import { factsFromRow, WALLET_SELECT, walletFromRow, type WalletRow } from './wallet-rows.js';

/** A wallet with its balance, limits and what is left of them, and its freeze. */
export class GetWalletQuery {
  constructor(
    readonly walletId: string,
    readonly caller: CallerInstitution,
  ) {}
}

@QueryHandler(GetWalletQuery)
export class GetWalletHandler implements IQueryHandler<GetWalletQuery> {
  constructor(
    private readonly database: Database,
    private readonly institutions: InstitutionsSequencedModule,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ walletId, caller }: GetWalletQuery) {
    const row = await readWalletRow(this.database, caller, walletId);
    const timeZone =
      this.institutions.state.jurisdictions.get(row.jurisdiction)?.timeZone ?? DEFAULT_TIME_ZONE;
    return walletView(factsFromRow(row, timeZone, this.clock.nowNs()));
  }
}

/** The wallet's row, if the caller may see it; otherwise the same refusal whether it exists or not. */
export async function readWalletRow(
  database: Database,
  caller: CallerInstitution,
  walletId: string,
): Promise<WalletRow> {
  const [row]: WalletRow[] = await database.dataSource.query(`${WALLET_SELECT} where w.id = $1`, [walletId]);
  if (row === undefined || !mayRead(caller, walletFromRow(row))) {
    throw new ProblemException(walletOutOfReach(caller, walletId));
  }
  return row;
}
