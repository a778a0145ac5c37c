import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { FxEvent } from './fx.events.js';
import type { Quote } from './quote.js';

/**
 * A rate sheet concerns its provider and the two currencies' jurisdictions; a quote also the bank
 * that asked for it and every provider and currency on its route.
 */
export function fxScope(event: FxEvent, quoteOf: (id: string) => Quote | undefined): EventScope {
  const ofQuote = (quote: Quote | undefined): EventScope =>
    quote === undefined
      ? {}
      : {
          institutions: [quote.requestedBy, ...quote.route.legs.map((leg) => leg.provider)],
          currencies: quote.route.legs.flatMap((leg) => [leg.from, leg.to]),
        };
  switch (event.type) {
    case 'RateSheetPublished':
      return {
        institutions: [event.data.sheet.provider],
        currencies: [event.data.sheet.from, event.data.sheet.to],
      };
    case 'RateSheetWithdrawn':
      return { institutions: [event.data.provider], currencies: [event.data.from, event.data.to] };
    case 'QuoteIssued':
      return ofQuote(event.data.quote);
    case 'QuoteUsed':
      return ofQuote(quoteOf(event.data.quoteId));
  }
}
