import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../platform/database/database.js';
import { tierLimitsOf, WALLET_TIERS } from '../domain/tier-limits.js';
import { tierLimitsView } from '../wallet.view.js';

/** The limits in force for every tier of a currency: set by its central bank, else the default. */
export class GetTierLimitsQuery {
  constructor(readonly currency: string) {}
}

interface LimitsRow {
  tier: number;
  single_payment: string | null;
  daily: string | null;
  balance: string | null;
  annual: string | null;
}

@QueryHandler(GetTierLimitsQuery)
export class GetTierLimitsHandler implements IQueryHandler<GetTierLimitsQuery> {
  constructor(private readonly database: Database) {}

  async execute({ currency }: GetTierLimitsQuery) {
    const rows: LimitsRow[] = await this.database.dataSource.query(
      'select tier, single_payment, daily, balance, annual from wallet_tier_limits where currency = $1',
      [currency],
    );
    const big = (v: string | null) => (v === null ? null : BigInt(v));
    const configured = new Map(
      rows.map((r) => [
        `${currency}:${r.tier}`,
        {
          singlePayment: big(r.single_payment),
          daily: big(r.daily),
          balance: big(r.balance),
          annual: big(r.annual),
        },
      ]),
    );
    return {
      currency,
      tiers: WALLET_TIERS.map((tier) =>
        tierLimitsView(
          currency,
          tier,
          tierLimitsOf(configured, currency, tier),
          configured.has(`${currency}:${tier}`),
        ),
      ),
    };
  }
}
