import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AllowKinds, AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { ProblemException } from '../../platform/http/problem.js';
import { InstitutionsSequencedModule } from '../../institutions/institutions.sequenced-module.js';
import { QueryReader } from '../../platform/http/query-reader.js';
import { CrossBorderFlowsQuery } from './cross-border-flows.js';
import { SupplyAsOfQuery } from './supply-as-of.js';

const CURRENCY = /^[A-Z]{3}$/;

/** Aggregates over the audit trail: cross-border flows, and a currency's supply as of a position. */
@Controller('v1/audit')
export class AuditHistoryController {
  constructor(
    private readonly queries: QueryBus,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  @Get('flows')
  flows(@QueryParam() query: Record<string, unknown>, @AuthenticatedCaller() caller: Caller) {
    const r = new QueryReader(query, ['from', 'to']);
    const from = r.time('from');
    const to = r.time('to');
    r.done();
    return this.queries.execute(new CrossBorderFlowsQuery(caller.institution, from, to));
  }

  /**
   * A central bank or regulator reads its own jurisdiction's currency (the default); the operator
   * names one.
   */
  @Get('supply')
  @AllowKinds('operator', 'regulator', 'central_bank')
  supply(@QueryParam() query: Record<string, unknown>, @AuthenticatedCaller() caller: Caller) {
    const r = new QueryReader(query, ['currency', 'asOf']);
    const currency = r.text(
      'currency',
      (v) => CURRENCY.test(v),
      'currency_invalid',
      'must be an ISO 4217 code such as CNY',
    );
    const asOf = r.position('asOf');
    r.done();
    const own =
      caller.institution.jurisdiction === null
        ? null
        : (this.institutions.state.jurisdictions.get(caller.institution.jurisdiction)?.currency ?? null);
    const wanted = currency ?? own;
    if (wanted === null) {
      throw new ProblemException({
        code: 'currency_required',
        status: 400,
        title: 'Currency required',
        detail: 'Name the currency (?currency=CNY): the operator has no jurisdiction of its own.',
      });
    }
    if (caller.institution.kind !== 'operator' && wanted !== own) {
      throw new ProblemException({
        code: 'forbidden_scope',
        status: 403,
        title: 'Outside your scope',
        detail: `${caller.institution.id} reads the supply of ${own ?? 'no currency'} only, not ${wanted}.`,
      });
    }
    return this.queries.execute(new SupplyAsOfQuery(wanted, asOf));
  }
}
