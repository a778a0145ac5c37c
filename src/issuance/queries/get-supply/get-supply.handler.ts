import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../../platform/database/database.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { amountView } from '../../../ledger/read-model/ledger.views.js';
import { forbiddenScope } from '../../../institutions/domain/authorization.js';
import { InstitutionsSequencedModule } from '../../../institutions/institutions.sequenced-module.js';
import { GetSupplyQuery, type HoldingView, type SupplyView } from './get-supply.query.js';

interface SupplyRow {
  issued: string | null;
  redeemed: string | null;
  cap: string | null;
  reserves_credited: string | null;
  position: string;
  holdings: Array<{ bank: string; jurisdiction: string; kind: 'bank' | 'customer'; balance: string }>;
}

/**
 * Supply figures and holdings come from ONE statement, so they are read from one snapshot: the
 * issuance projection and the ledger balances change in the same commit, so they always agree.
 * Holdings are posted balances of every wallet in the currency (a pending payment has not left its
 * wallet yet); customer wallets count under the bank that operates them.
 */
@QueryHandler(GetSupplyQuery)
export class GetSupplyHandler implements IQueryHandler<GetSupplyQuery> {
  constructor(
    private readonly database: Database,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  async execute({ currency, caller }: GetSupplyQuery): Promise<SupplyView> {
    const state = this.institutions.state;
    const issuerJurisdiction = state.issuers.get(currency);
    if (issuerJurisdiction === undefined) {
      throw ProblemException.notFound(
        'currency_not_issued',
        `No central bank issues ${currency} on this platform.`,
      );
    }
    const centralBank = state.jurisdictions.get(issuerJurisdiction)!.centralBankId;
    const allowed =
      caller.kind === 'operator' ||
      (caller.kind === 'central_bank' && caller.id === centralBank) ||
      (caller.kind === 'regulator' && caller.jurisdiction === issuerJurisdiction);
    if (!allowed) {
      throw new ProblemException(
        forbiddenScope(
          caller,
          `the supply of ${currency} is for the operator, ${centralBank} and the regulators of ${issuerJurisdiction}`,
        ),
      );
    }
    const [row] = (await this.database.dataSource.query(
      `select s.issued, s.redeemed, s.cap, s.reserves_credited,
              (select position from event_log_head where id = 1) as position,
              coalesce((select json_agg(json_build_object('bank', h.bank_id, 'jurisdiction', h.jurisdiction,
                                                          'kind', h.kind, 'balance', h.balance::text)
                                        order by h.bank_id, h.kind)
                        from (select w.bank_id, w.jurisdiction, w.kind,
                                     sum(a.credits_posted - a.debits_posted) as balance
                              from wallets w join ledger_accounts a on a.id = w.account_id
                              where w.currency = $1
                              group by w.bank_id, w.jurisdiction, w.kind) h), '[]'::json) as holdings
       from (select 1) as one left join currency_supply s on s.currency = $1`,
      [currency],
    )) as SupplyRow[];
    const minor = (text: string | null | undefined) => BigInt(text ?? '0');
    const issued = minor(row!.issued);
    const redeemed = minor(row!.redeemed);

    type Sums = { bank: bigint; customer: bigint };
    const byInstitution = new Map<string, Sums & { jurisdiction: string }>();
    const byJurisdiction = new Map<string, Sums>();
    let total = 0n;
    for (const h of row!.holdings) {
      const balance = BigInt(h.balance);
      const institution = byInstitution.get(h.bank) ?? {
        bank: 0n,
        customer: 0n,
        jurisdiction: h.jurisdiction,
      };
      const jurisdiction = byJurisdiction.get(h.jurisdiction) ?? { bank: 0n, customer: 0n };
      institution[h.kind] += balance;
      jurisdiction[h.kind] += balance;
      byInstitution.set(h.bank, institution);
      byJurisdiction.set(h.jurisdiction, jurisdiction);
      total += balance;
    }
    const holding = (s: Sums): HoldingView => ({
      bankWallets: amountView(s.bank, currency),
      customerWallets: amountView(s.customer, currency),
      total: amountView(s.bank + s.customer, currency),
    });
    return {
      currency,
      centralBank,
      jurisdiction: issuerJurisdiction,
      issued: amountView(issued, currency),
      redeemed: amountView(redeemed, currency),
      outstanding: amountView(issued - redeemed, currency),
      cap: row!.cap === null ? null : amountView(row!.cap, currency),
      reservesCredited: amountView(minor(row!.reserves_credited), currency),
      holdings: {
        total: amountView(total, currency),
        byInstitution: [...byInstitution].map(([institution, s]) => ({
          institution,
          jurisdiction: s.jurisdiction,
          ...holding(s),
        })),
        byJurisdiction: [...byJurisdiction]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([jurisdiction, s]) => ({ jurisdiction, ...holding(s) })),
      },
      asOfPosition: row!.position,
    };
  }
}
