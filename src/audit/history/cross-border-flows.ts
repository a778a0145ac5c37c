import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { addScope } from '../audit-access.js';

export class CrossBorderFlowsQuery {
  constructor(
    readonly caller: CallerInstitution,
    readonly from: Date | null,
    readonly to: Date | null,
  ) {}
}

/**
 * Settled cross-border payments the caller may see, summed per corridor and currency pair:
 * how many, how much left in the payer's currency and arrived in the payee's (minor units, exact
 * numeric sums).
 */
@QueryHandler(CrossBorderFlowsQuery)
export class CrossBorderFlowsHandler implements IQueryHandler<CrossBorderFlowsQuery> {
  constructor(private readonly database: Database) {}

  async execute({ caller, from, to }: CrossBorderFlowsQuery) {
    const params: unknown[] = [];
    const where = [`e.type = 'PaymentSettled'`];
    addScope(caller, where, params);
    if (from !== null) {
      params.push(from);
      where.push(`e.recorded_at >= $${params.length}`);
    }
    if (to !== null) {
      params.push(to);
      where.push(`e.recorded_at < $${params.length}`);
    }
    const rows = (await this.database.dataSource.query(
      `select array_to_string(e.jurisdictions, '-') as corridor,
              e.data->'sell'->>'currency' as sell_currency, e.data->'buy'->>'currency' as buy_currency,
              count(*)::int as payments,
              sum((e.data->'sell'->>'amountMinor')::numeric)::text as sell_minor,
              sum((e.data->'buy'->>'amountMinor')::numeric)::text as buy_minor
         from events e where ${where.join(' and ')}
        group by 1, 2, 3 order by 1, 2, 3`,
      params,
    )) as Array<{
      corridor: string;
      sell_currency: string;
      buy_currency: string;
      payments: number;
      sell_minor: string;
      buy_minor: string;
    }>;
    return {
      items: rows.map((r) => ({
        corridor: r.corridor,
        sellCurrency: r.sell_currency,
        buyCurrency: r.buy_currency,
        payments: r.payments,
        sellMinor: r.sell_minor,
        buyMinor: r.buy_minor,
      })),
    };
  }
}
