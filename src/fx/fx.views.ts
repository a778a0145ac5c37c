import { isoFromNs } from '../platform/clock/clock.js';
import { amountView } from '../ledger/read-model/ledger.views.js';
import type { Quote } from './domain/quote.js';
import type { RateSheet } from './domain/rate-sheet.js';
import type { Route } from './domain/routing.js';

export function rateSheetView(sheet: RateSheet) {
  return {
    provider: sheet.provider,
    from: sheet.from,
    to: sheet.to,
    rate: sheet.rate,
    spreadBps: sheet.spreadBps,
    maxAmount: { currency: sheet.to, ...amountView(sheet.maxAmount, sheet.to) },
    publishedAt: isoFromNs(sheet.publishedAt),
    expiresAt: isoFromNs(sheet.expiresAt),
    evidence: sheet.evidence,
  };
}

export function routeView(route: Route) {
  return {
    sell: { currency: route.from, ...amountView(route.sellMinor, route.from) },
    buy: { currency: route.to, ...amountView(route.buyMinor, route.to) },
    rate: route.rate,
    legs: route.legs.map((leg) => ({
      provider: leg.provider,
      sell: { currency: leg.from, ...amountView(leg.sellMinor, leg.from) },
      buy: { currency: leg.to, ...amountView(leg.buyMinor, leg.to) },
      rate: leg.rate,
      spreadBps: leg.spreadBps,
    })),
  };
}

export function quoteView(quote: Quote) {
  return {
    id: quote.id,
    requestedBy: quote.requestedBy,
    fixed: quote.fixed,
    ...routeView(quote.route),
    createdAt: isoFromNs(quote.createdAt),
    expiresAt: isoFromNs(quote.expiresAt),
    usedBy: quote.usedBy,
    evidence: quote.evidence,
  };
}
