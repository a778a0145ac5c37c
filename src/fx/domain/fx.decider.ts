import {
  accepted,
  assertNever,
  rejected,
  type Decision,
  type DomainEvent,
} from '../../platform/decider/decider.js';
import { forbiddenRole, notFound, unprocessable } from '../../institutions/domain/authorization.js';
import { bankWalletAccountId } from '../../institutions/domain/chart-of-accounts.js';
import type { FxCommand, PublishRateSheet, RequestQuote, WithdrawRateSheet } from './fx.commands.js';
import { fxStreamId, quoteStreamId, type FxEvent } from './fx.events.js';
import type { FxState } from './fx.state.js';
import type { Quote } from './quote.js';
import { rateSheetKey, type RateSheet } from './rate-sheet.js';
import { findRoute, type FxWorld } from './routing.js';

const NS_PER_SECOND = 1_000_000_000n;
/** Quotes are kept this long after they expire (then dropped from memory; the log keeps them). */
const QUOTE_RETENTION_NS = 3_600n * NS_PER_SECOND;

export type FxReply =
  { readonly sheet: RateSheet } | { readonly withdrawn: boolean } | { readonly quote: Quote };

export function decideFx(command: FxCommand, world: FxWorld): Decision<DomainEvent, FxReply> {
  switch (command.type) {
    case 'PublishRateSheet':
      return decidePublish(command, world);
    case 'WithdrawRateSheet':
      return decideWithdraw(command, world);
    case 'RequestQuote':
      return decideQuote(command, world);
    default:
      return assertNever(command);
  }
}

function decidePublish(command: PublishRateSheet, world: FxWorld): Decision<DomainEvent, FxReply> {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'commercial_bank' || !actor.roles.includes('liquidity_provider')) {
    return rejected({
      ...forbiddenRole(actor, 'publish FX rates', ['commercial_bank']),
      detail: `${command.actor} is not a liquidity provider; only liquidity providers publish rates.`,
    });
  }
  if (command.from === command.to)
    return rejected(
      unprocessable('currency_pair_invalid', 'A rate sheet converts between two different currencies.'),
    );
  for (const currency of [command.from, command.to]) {
    if (!world.institutions.issuers.has(currency)) {
      return rejected(notFound('currency_not_issued', `No central bank on the platform issues ${currency}.`));
    }
    if (!world.ledger.accounts.has(bankWalletAccountId(command.actor, currency))) {
      return rejected(
        unprocessable(
          'wallet_required',
          `${command.actor} holds no ${currency} wallet: open one before quoting ${command.from}/${command.to}.`,
        ),
      );
    }
  }
  const sheet: RateSheet = {
    provider: command.actor,
    from: command.from,
    to: command.to,
    rate: command.rate,
    spreadBps: command.spreadBps,
    maxAmount: command.maxAmount,
    publishedAt: command.now,
    expiresAt: command.now + BigInt(command.validForSeconds) * NS_PER_SECOND,
    evidence: command.evidence,
  };
  return accepted([{ type: 'RateSheetPublished', streamId: fxStreamId(command.actor), data: { sheet } }], {
    sheet,
  });
}

function decideWithdraw(command: WithdrawRateSheet, world: FxWorld): Decision<DomainEvent, FxReply> {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'commercial_bank' || !actor.roles.includes('liquidity_provider')) {
    return rejected({
      ...forbiddenRole(actor, 'withdraw FX rates', ['commercial_bank']),
      detail: `${command.actor} is not a liquidity provider; only liquidity providers publish or withdraw rates.`,
    });
  }
  const sheet = world.fx.sheets.get(rateSheetKey(command.actor, command.from, command.to));
  if (sheet === undefined) return accepted([], { withdrawn: false });
  return accepted(
    [
      {
        type: 'RateSheetWithdrawn',
        streamId: fxStreamId(command.actor),
        data: { provider: command.actor, from: command.from, to: command.to, at: command.now },
      },
    ],
    { withdrawn: true },
  );
}

function decideQuote(command: RequestQuote, world: FxWorld): Decision<DomainEvent, FxReply> {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'commercial_bank')
    return rejected(forbiddenRole(actor, 'request FX quotes', ['commercial_bank']));
  if (command.from === command.to)
    return rejected(
      unprocessable('currency_pair_invalid', 'A quote converts between two different currencies.'),
    );
  const search = findRoute(world, {
    from: command.from,
    to: command.to,
    fixed: command.fixed,
    amount: command.amount,
    now: command.now,
    provider: command.provider ?? undefined,
    // A bank is not quoted by itself: the payment it would price could not settle (payments.decider).
    excludeProviders: new Set([command.actor]),
  });
  if (!search.ok) {
    return rejected(
      search.reason === 'no_rate'
        ? unprocessable(
            'no_rate',
            `No liquidity provider${command.provider ? ` (${command.provider})` : ''} offers ${command.from}→${command.to}, directly or through a bridge currency, for this amount.`,
          )
        : unprocessable(
            'insufficient_liquidity',
            `No liquidity provider${command.provider ? ` (${command.provider})` : ''} offering ${command.from}→${command.to} holds enough ${command.to} now.`,
          ),
    );
  }
  const sheetsExpire = search.route.legs.map(
    (leg) => world.fx.sheets.get(rateSheetKey(leg.provider, leg.from, leg.to))!.expiresAt,
  );
  const expiresAt = [command.now + BigInt(command.ttlSeconds) * NS_PER_SECOND, ...sheetsExpire].reduce(
    (a, b) => (a < b ? a : b),
  );
  const quote: Quote = {
    id: command.quoteId,
    requestedBy: command.actor,
    fixed: command.fixed,
    route: search.route,
    createdAt: command.now,
    expiresAt,
    evidence: search.route.legs.map(
      (leg) => world.fx.sheets.get(rateSheetKey(leg.provider, leg.from, leg.to))!.evidence,
    ),
    usedBy: null,
  };
  return accepted([{ type: 'QuoteIssued', streamId: quoteStreamId(quote.id), data: { quote } }], { quote });
}

/** Why a quote cannot be used for a payment now, or null if it can. */
export function quoteUnusable(
  fx: FxState,
  quoteId: string,
  payer: string,
  now: bigint,
): 'quote_unknown' | 'quote_expired' | 'quote_used' | null {
  const quote = fx.quotes.get(quoteId);
  if (quote === undefined || quote.requestedBy !== payer) return 'quote_unknown';
  if (quote.usedBy !== null) return 'quote_used';
  if (quote.expiresAt <= now) return 'quote_expired';
  return null;
}

export function evolveFx(state: FxState, event: FxEvent): FxState {
  switch (event.type) {
    case 'RateSheetPublished': {
      const s = event.data.sheet;
      state.sheets.set(rateSheetKey(s.provider, s.from, s.to), s);
      return state;
    }
    case 'RateSheetWithdrawn':
      state.sheets.delete(rateSheetKey(event.data.provider, event.data.from, event.data.to));
      return state;
    case 'QuoteIssued': {
      const quote = event.data.quote;
      state.quotes.set(quote.id, quote);
      // Memory stays bounded by time: quotes long expired go (deterministically, by event time).
      for (const [id, old] of state.quotes.entries()) {
        if (old.expiresAt + QUOTE_RETENTION_NS < quote.createdAt) state.quotes.delete(id);
        else break;
      }
      return state;
    }
    case 'QuoteUsed': {
      const quote = state.quotes.get(event.data.quoteId);
      if (quote !== undefined) state.quotes.set(quote.id, { ...quote, usedBy: event.data.paymentId });
      return state;
    }
    default:
      return assertNever(event);
  }
}
