import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Quote } from './quote.js';
import type { RateSheet } from './rate-sheet.js';

export type RateSheetPublished = DomainEvent<'RateSheetPublished', { readonly sheet: RateSheet }>;
export type RateSheetWithdrawn = DomainEvent<
  'RateSheetWithdrawn',
  { readonly provider: string; readonly from: string; readonly to: string; readonly at: bigint }
>;
export type QuoteIssued = DomainEvent<'QuoteIssued', { readonly quote: Quote }>;
/** A payment took the quote: it cannot be used again. Emitted by the payments decider. */
export type QuoteUsed = DomainEvent<
  'QuoteUsed',
  { readonly quoteId: string; readonly paymentId: string; readonly at: bigint }
>;

export type FxEvent = RateSheetPublished | RateSheetWithdrawn | QuoteIssued | QuoteUsed;
export const FX_EVENT_TYPES = [
  'RateSheetPublished',
  'RateSheetWithdrawn',
  'QuoteIssued',
  'QuoteUsed',
] as const;

export function fxStreamId(provider: string): string {
  return `fx-${provider}`;
}

export function quoteStreamId(quoteId: string): string {
  return `quote-${quoteId}`;
}
