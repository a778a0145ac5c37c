import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Quote } from '../domain/quote.js';
import type { RateSheet } from '../domain/rate-sheet.js';
import { FxSequencedModule } from '../fx.sequenced-module.js';

export class ListRateSheetsQuery {
  constructor(readonly filter: { readonly from?: string; readonly to?: string; readonly now: bigint }) {}
}

export class GetQuoteQuery {
  constructor(readonly id: string) {}
}

@QueryHandler(ListRateSheetsQuery)
export class ListRateSheetsHandler implements IQueryHandler<ListRateSheetsQuery> {
  constructor(private readonly fx: FxSequencedModule) {}

  async execute({ filter }: ListRateSheetsQuery): Promise<RateSheet[]> {
    return [...this.fx.state.sheets.values()]
      .filter((s) => s.expiresAt > filter.now)
      .filter(
        (s) =>
          (filter.from === undefined || s.from === filter.from) &&
          (filter.to === undefined || s.to === filter.to),
      )
      .sort((a, b) => `${a.from}${a.to}${a.provider}`.localeCompare(`${b.from}${b.to}${b.provider}`));
  }
}

@QueryHandler(GetQuoteQuery)
export class GetQuoteHandler implements IQueryHandler<GetQuoteQuery> {
  constructor(private readonly fx: FxSequencedModule) {}

  async execute({ id }: GetQuoteQuery): Promise<Quote | undefined> {
    return this.fx.state.quotes.get(id);
  }
}
