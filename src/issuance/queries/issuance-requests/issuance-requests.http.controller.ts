import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AuthenticatedCaller, type Caller } from '../../../platform/auth/caller.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { findCurrency } from '../../../ledger/domain/currency.js';
import { INSTITUTION_ID } from '../../../institutions/domain/institution.js';
import type { IssuanceStatus } from '../../domain/issuance.js';
import type { IssuanceRequestView } from '../../issuance.views.js';
import { requestIdOf } from '../../commands/decide-issuance-request/decide-issuance-request.http.controller.js';
import { GetIssuanceRequestQuery, ListIssuanceRequestsQuery } from './issuance-requests.queries.js';

const STATUSES: readonly IssuanceStatus[] = ['open', 'executed', 'declined'];

@Controller('v1/issuance/requests')
export class IssuanceRequestsController {
  constructor(private readonly queries: QueryBus) {}

  /** Requests the caller may see (its own, made to it, or of its jurisdiction), newest first. */
  @Get()
  async list(
    @AuthenticatedCaller() caller: Caller,
    @Query('currency') currency?: string,
    @Query('status') status?: string,
    @Query('bank') bank?: string,
    @Query('limit') limit?: string,
  ): Promise<{ requests: IssuanceRequestView[] }> {
    if (currency !== undefined && findCurrency(currency) === undefined)
      throw ProblemException.badRequest(
        'unknown_currency',
        `${currency} is not a currency this ledger knows.`,
      );
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
      throw ProblemException.badRequest('status_invalid', `status must be one of ${STATUSES.join(', ')}.`);
    if (bank !== undefined && !INSTITUTION_ID.test(bank))
      throw ProblemException.badRequest('institution_id_invalid', 'bank must be an institution id.');
    if (limit !== undefined && !/^[1-9][0-9]{0,3}$/.test(limit))
      throw ProblemException.badRequest('invalid_limit', 'limit must be an integer from 1 to 1000.');
    const n = limit === undefined ? 100 : Number(limit);
    if (n > 1000)
      throw ProblemException.badRequest('invalid_limit', 'limit must be an integer from 1 to 1000.');
    const requests: IssuanceRequestView[] = await this.queries.execute(
      new ListIssuanceRequestsQuery(
        { currency, status: status as IssuanceStatus | undefined, bank, limit: n },
        caller.institution,
      ),
    );
    return { requests };
  }

  @Get(':id')
  async get(@Param('id') id: string, @AuthenticatedCaller() caller: Caller): Promise<IssuanceRequestView> {
    return this.queries.execute(new GetIssuanceRequestQuery(requestIdOf(id), caller.institution));
  }
}
