import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { ProblemException } from '../../platform/http/problem.js';
import type { Quote } from '../domain/quote.js';
import type { RateSheet } from '../domain/rate-sheet.js';
import { quoteView, rateSheetView } from '../fx.views.js';
import { CURRENCY_CODE } from '../commands/publish-rate-sheet/publish-rate-sheet.request.js';
import { GetQuoteQuery, ListRateSheetsQuery } from './fx.queries.js';
import { InstitutionsSequencedModule } from '../../institutions/institutions.sequenced-module.js';

@Controller('v1/fx')
export class FxQueriesController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  /** Live rate sheets, any signed institution: banks compare offers, regulators watch them. */
  @Get('rate-sheets')
  async sheets(@Query('from') from?: string, @Query('to') to?: string) {
    for (const code of [from, to]) {
      if (code !== undefined && !CURRENCY_CODE.test(code))
        throw ProblemException.badRequest(
          'unknown_currency',
          `${JSON.stringify(code)} is not a currency code.`,
        );
    }
    const sheets: RateSheet[] = await this.queries.execute(
      new ListRateSheetsQuery({ from, to, now: this.clock.nowNs() }),
    );
    return { rateSheets: sheets.map(rateSheetView) };
  }

  /** A quote, to the bank that asked for it, its jurisdiction's central bank and regulators, and the operator. */
  @Get('quotes/:id')
  async quote(@Param('id') id: string, @AuthenticatedCaller() caller: Caller) {
    const quote: Quote | undefined = await this.queries.execute(new GetQuoteQuery(id));
    if (quote === undefined || !this.mayRead(caller, quote)) {
      throw ProblemException.notFound(
        'quote_unknown',
        `No quote ${id} was issued to ${caller.institution.id}.`,
      );
    }
    return quoteView(quote);
  }

  private mayRead(caller: Caller, quote: Quote): boolean {
    const who = caller.institution;
    if (who.kind === 'operator' || who.id === quote.requestedBy) return true;
    const requester = this.institutions.state.institutions.get(quote.requestedBy);
    return (
      (who.kind === 'central_bank' || who.kind === 'regulator') &&
      who.jurisdiction === requester?.jurisdiction
    );
  }
}
