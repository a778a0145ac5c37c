import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { transferInput } from '../../src/ledger/domain/ledger-effects.js';
import { nameBasedId } from '../../src/ledger/domain/id.js';
import {
  bankWalletAccountId,
  cbdcIssuanceAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import { buyAmountFor, effectiveRate, sellAmountFor } from '../../src/fx/domain/conversion.js';
import type { PublishRateSheet, RequestQuote } from '../../src/fx/domain/fx.commands.js';
import { quoteUnusable } from '../../src/fx/domain/fx.decider.js';
import type { Quote } from '../../src/fx/domain/quote.js';
import { spec } from '../support/decider-spec.js';
import { NOW, register } from '../support/institution-fixtures.js';
import { history, worldDecider } from '../support/world.js';

const SECOND = 1_000_000_000n;
const CENTRAL_BANKS: Record<string, string> = { CNY: 'PBOC', HKD: 'HKMA', THB: 'BOT', AED: 'CBUAE' };

/** Four jurisdictions; liquidity providers in three; a payer bank in TH. */
function network() {
  return [
    register('system', 'OPERATOR', 'operator', null),
    register('OPERATOR', 'PBOC', 'central_bank', 'CN'),
    register('OPERATOR', 'HKMA', 'central_bank', 'HK'),
    register('OPERATOR', 'BOT', 'central_bank', 'TH'),
    register('OPERATOR', 'CBUAE', 'central_bank', 'AE'),
    register('PBOC', 'LPCN1', 'commercial_bank', 'CN', { roles: ['liquidity_provider'] }),
    register('PBOC', 'LPCN2', 'commercial_bank', 'CN', { roles: ['liquidity_provider'] }),
    register('HKMA', 'LPHK', 'commercial_bank', 'HK', { roles: ['liquidity_provider'] }),
    register('BOT', 'LPTH', 'commercial_bank', 'TH', { roles: ['liquidity_provider'] }),
    register('BOT', 'PAYERTH', 'commercial_bank', 'TH'),
    register('CBUAE', 'PAYEEAE', 'commercial_bank', 'AE'),
  ];
}

const openWallet = (actor: string, currency: string) => ({
  type: 'OpenWallet',
  actor,
  wallet: { kind: 'bank', currency },
  now: NOW,
});

let funding = 0;
/** Puts `amount` minor units of `currency` in the bank's wallet, straight from the issuer's account. */
function fund(bank: string, currency: string, amount: bigint) {
  return {
    type: 'CreateTransfers',
    // The ledger's internal path (as issuance uses it): the REST path refuses platform accounts.
    strict: false,
    now: NOW,
    transfers: [
      transferInput({
        id: nameBasedId(`test-funding-${++funding}`),
        debitAccountId: cbdcIssuanceAccountId(CENTRAL_BANKS[currency]!, currency),
        creditAccountId: bankWalletAccountId(bank, currency),
        amount,
        currency,
        code: 110,
      }),
    ],
  };
}

function publish(
  provider: string,
  from: string,
  to: string,
  rate: string,
  options: Partial<PublishRateSheet> = {},
): PublishRateSheet {
  return {
    type: 'PublishRateSheet',
    actor: provider,
    from,
    to,
    rate,
    spreadBps: 0,
    maxAmount: 10n ** 12n,
    validForSeconds: 3600,
    evidence: null,
    now: NOW,
    ...options,
  };
}

function quote(
  actor: string,
  from: string,
  to: string,
  amount: bigint,
  options: Partial<RequestQuote> = {},
): RequestQuote {
  return {
    type: 'RequestQuote',
    actor,
    quoteId: 'q-1',
    from,
    to,
    fixed: 'source',
    amount,
    provider: null,
    ttlSeconds: 30,
    now: NOW + SECOND,
    ...options,
  };
}

function quoted(events: readonly DomainEvent[], command: RequestQuote): Quote {
  const decision = spec(worldDecider).given(events).when(command).decision;
  if (decision.kind === 'rejected') assert.fail(`${decision.rejection.code}: ${decision.rejection.detail}`);
  return (decision.reply as { quote: Quote }).quote;
}

/** LPs selling HKD for CNY: LPCN1 and LPCN2 (both CN banks with an HKD wallet) and LPHK. */
function hkdMarket(lpcn2Hkd: bigint) {
  return history([
    ...network(),
    openWallet('LPCN1', 'HKD'),
    openWallet('LPCN2', 'HKD'),
    openWallet('LPHK', 'CNY'),
    fund('LPCN1', 'HKD', 1_000_000_00n),
    ...(lpcn2Hkd > 0n ? [fund('LPCN2', 'HKD', lpcn2Hkd)] : []),
    fund('LPHK', 'HKD', 1_000_000_00n),
    publish('LPCN1', 'CNY', 'HKD', '1.08', { spreadBps: 10 }),
    publish('LPCN2', 'CNY', 'HKD', '1.09', { spreadBps: 10 }),
    publish('LPHK', 'CNY', 'HKD', '1.085', { spreadBps: 10 }),
  ]);
}

describe('fx: conversion (decimal.js, rounding stated)', () => {
  it('source fixed rounds the payee amount down; target fixed rounds the payer amount up', () => {
    const rate = effectiveRate('0.5123', 0);
    assert.equal(buyAmountFor(1_000_01n, 'CNY', 'AED', rate), 512_30n); // 1000.01 × 0.5123 = 512.305123 → 512.30
    assert.equal(sellAmountFor(512_30n, 'CNY', 'AED', rate), 1_000_00n); // 512.30 / 0.5123 = 999.9999... → 1000.00
    assert.equal(sellAmountFor(512_31n, 'CNY', 'AED', rate), 1_000_02n); // 1000.019519... → 1000.02
  });

  it('is exact across 0- and 3-decimal currencies', () => {
    assert.equal(buyAmountFor(1_000_00n, 'CNY', 'JPY', effectiveRate('21.3', 0)), 21_300n); // 1000.00 CNY → 21300 JPY
    assert.equal(buyAmountFor(12_345n, 'JPY', 'KWD', effectiveRate('0.002', 0)), 24_690n); // 12345 JPY → 24.690 KWD
    assert.equal(sellAmountFor(1n, 'KWD', 'JPY', effectiveRate('0.3', 0)), 3_334n); // 1 JPY costs 3.3333… KWD → 3.334 (up)
    assert.equal(buyAmountFor(1n, 'KWD', 'JPY', effectiveRate('0.3', 0)), 0n); // 0.001 KWD buys 0.0003 JPY → 0 (down)
  });

  it('takes the spread off the rate', () => {
    assert.equal(effectiveRate('2', 25).toString(), '1.995');
    assert.equal(buyAmountFor(100_00n, 'CNY', 'HKD', effectiveRate('1.08', 10)), 107_89n); // 100 × 1.07892 = 107.892
  });
});

describe('fx: rate sheets', () => {
  const given = () => spec(worldDecider).given(history([...network(), openWallet('LPCN1', 'HKD')]));

  it('only a liquidity provider publishes, for currencies it holds wallets in, issued on the platform', () => {
    given()
      .when(publish('PAYERTH', 'THB', 'CNY', '0.2'))
      .thenRejects('forbidden_role');
    given()
      .when(publish('PBOC', 'CNY', 'HKD', '1.08'))
      .thenRejects('forbidden_role');
    given()
      .when(publish('LPCN1', 'CNY', 'AED', '0.5'))
      .thenRejects('wallet_required');
    given()
      .when(publish('LPCN1', 'CNY', 'JPY', '21'))
      .thenRejects('currency_not_issued');
    given()
      .when(publish('LPCN1', 'CNY', 'CNY', '1'))
      .thenRejects('currency_pair_invalid');
    const world = given()
      .when(publish('LPCN1', 'CNY', 'HKD', '1.08'))
      .stateAfter();
    assert.equal(world.fx.sheets.get('LPCN1:CNY:HKD')?.expiresAt, NOW + 3600n * SECOND);
  });

  it('a withdrawn sheet no longer quotes; withdrawing twice changes nothing', () => {
    const events = history([
      ...network(),
      openWallet('LPCN1', 'HKD'),
      fund('LPCN1', 'HKD', 10_000_00n),
      publish('LPCN1', 'CNY', 'HKD', '1.08'),
    ]);
    const withdrawn = spec(worldDecider)
      .given(events)
      .when({ type: 'WithdrawRateSheet', actor: 'LPCN1', from: 'CNY', to: 'HKD', now: NOW });
    assert.equal(withdrawn.decision.kind, 'accepted');
    const after = [...events, ...(withdrawn.decision.kind === 'accepted' ? withdrawn.decision.events : [])];
    spec(worldDecider)
      .given(after)
      .when(quote('PAYERTH', 'CNY', 'HKD', 100_00n))
      .thenRejects('no_rate');
    spec(worldDecider)
      .given(after)
      .when({ type: 'WithdrawRateSheet', actor: 'LPCN1', from: 'CNY', to: 'HKD', now: NOW })
      .then([]);
  });
});

describe('fx: the best quote among providers', () => {
  it('takes the best rate among providers that hold enough now', () => {
    const best = quoted(hkdMarket(1_000_000_00n), quote('PAYERTH', 'CNY', 'HKD', 1_000_00n));
    assert.deepEqual(
      best.route.legs.map((l) => [l.provider, l.sellMinor, l.buyMinor]),
      [['LPCN2', 1_000_00n, 1_088_91n]], // 1000 × 1.09 × 0.999 = 1088.91
    );
    // LPCN2 holds too little HKD for this payment: the next best, LPHK, quotes.
    const next = quoted(hkdMarket(1_000_00n), quote('PAYERTH', 'CNY', 'HKD', 1_000_00n));
    assert.deepEqual(
      next.route.legs.map((l) => [l.provider, l.buyMinor]),
      [['LPHK', 1_083_91n]], // 1000 × 1.085 × 0.999 = 1083.915 → 1083.91 (down)
    );
  });

  it('target fixed: the least the payer pays, rounded up', () => {
    const best = quoted(
      hkdMarket(1_000_000_00n),
      quote('PAYERTH', 'CNY', 'HKD', 1_000_00n, { fixed: 'target' }),
    );
    assert.equal(best.route.legs[0]!.provider, 'LPCN2');
    assert.equal(best.route.sellMinor, 918_35n); // 1000 / (1.09 × 0.999) = 918.3465... → 918.35
    assert.equal(best.route.buyMinor, 1_000_00n);
  });

  it('names the reason when nobody can quote', () => {
    spec(worldDecider)
      .given(hkdMarket(0n))
      .when(quote('PAYERTH', 'CNY', 'HKD', 10n ** 11n))
      .thenRejects('insufficient_liquidity');
    spec(worldDecider)
      .given(hkdMarket(0n))
      .when(quote('PAYERTH', 'HKD', 'CNY', 100n))
      .thenRejects('no_rate');
    spec(worldDecider)
      .given(hkdMarket(0n))
      .when(quote('PBOC', 'CNY', 'HKD', 100n))
      .thenRejects('forbidden_role');
    // A sheet's maximum caps what it quotes.
    const capped = history([
      ...network(),
      openWallet('LPCN1', 'HKD'),
      fund('LPCN1', 'HKD', 10n ** 10n),
      publish('LPCN1', 'CNY', 'HKD', '1', { maxAmount: 500_00n }),
    ]);
    assert.equal(quoted(capped, quote('PAYERTH', 'CNY', 'HKD', 500_00n)).route.buyMinor, 500_00n);
    spec(worldDecider)
      .given(capped)
      .when(quote('PAYERTH', 'CNY', 'HKD', 500_01n))
      .thenRejects('insufficient_liquidity');
  });

  it('a quote naming a provider is priced by that provider only', () => {
    const named = quoted(
      hkdMarket(1_000_000_00n),
      quote('PAYERTH', 'CNY', 'HKD', 1_000_00n, { provider: 'LPCN1' }),
    );
    assert.deepEqual(
      named.route.legs.map((l) => l.provider),
      ['LPCN1'],
    );
  });
});

describe('fx: routing through a bridge currency', () => {
  const bridged = () =>
    history([
      ...network(),
      openWallet('LPTH', 'CNY'),
      openWallet('LPCN1', 'THB'),
      openWallet('LPCN1', 'AED'),
      fund('LPTH', 'CNY', 1_000_000_00n),
      fund('LPCN1', 'AED', 1_000_000_00n),
      publish('LPTH', 'THB', 'CNY', '0.2'),
      publish('LPCN1', 'CNY', 'AED', '0.5'),
    ]);

  it('THB → AED with no direct rate goes THB → CNY → AED by two providers, as one route', () => {
    const q = quoted(bridged(), quote('PAYERTH', 'THB', 'AED', 10_000_00n));
    assert.deepEqual(
      q.route.legs.map((l) => [l.provider, l.from, l.to, l.sellMinor, l.buyMinor]),
      [
        ['LPTH', 'THB', 'CNY', 10_000_00n, 2_000_00n],
        ['LPCN1', 'CNY', 'AED', 2_000_00n, 1_000_00n],
      ],
    );
    assert.equal(q.route.rate, '0.1');
    // Target fixed works backwards through the bridge, rounding up at each step.
    const t = quoted(bridged(), quote('PAYERTH', 'THB', 'AED', 1_000_00n, { fixed: 'target' }));
    assert.deepEqual(
      [t.route.sellMinor, t.route.legs[0]!.buyMinor, t.route.buyMinor],
      [10_000_00n, 2_000_00n, 1_000_00n],
    );
  });

  it('prefers a direct rate when one gives the payee at least as much', () => {
    // LPCN1 also quotes THB → AED directly, at exactly the bridged rate: direct wins the tie.
    const events = [...bridged(), ...history([])];
    const direct = spec(worldDecider)
      .given(bridged())
      .when(publish('LPCN1', 'THB', 'AED', '0.1'));
    assert.equal(direct.decision.kind, 'accepted');
    events.push(...(direct.decision.kind === 'accepted' ? direct.decision.events : []));
    const q = quoted(events, quote('PAYERTH', 'THB', 'AED', 10_000_00n));
    assert.deepEqual(
      q.route.legs.map((l) => l.provider),
      ['LPCN1'],
    );
    assert.equal(q.route.buyMinor, 1_000_00n);
  });
});

describe('fx: quotes expire', () => {
  it('at the quote time-to-live, or earlier when a sheet it uses expires; a used quote cannot be used again', () => {
    const events = history([
      ...network(),
      openWallet('LPCN1', 'HKD'),
      fund('LPCN1', 'HKD', 10_000_00n),
      publish('LPCN1', 'CNY', 'HKD', '1.08', { validForSeconds: 10 }),
    ]);
    const q = quoted(events, quote('PAYERTH', 'CNY', 'HKD', 100_00n, { ttlSeconds: 30 }));
    assert.equal(q.expiresAt, NOW + 10n * SECOND); // the sheet's expiry comes first
    const world = spec(worldDecider)
      .given(events)
      .when(quote('PAYERTH', 'CNY', 'HKD', 100_00n, { ttlSeconds: 5 }))
      .stateAfter();
    assert.equal(quoteUnusable(world.fx, 'q-1', 'PAYERTH', NOW + 5n * SECOND), null);
    assert.equal(quoteUnusable(world.fx, 'q-1', 'PAYERTH', NOW + 6n * SECOND), 'quote_expired');
    assert.equal(quoteUnusable(world.fx, 'q-1', 'LPHK', NOW + 2n * SECOND), 'quote_unknown');
    worldDecider.evolve(world, {
      type: 'QuoteUsed',
      streamId: 'quote-q-1',
      data: { quoteId: 'q-1', paymentId: 'p-1', at: NOW + 2n * SECOND },
    });
    assert.equal(quoteUnusable(world.fx, 'q-1', 'PAYERTH', NOW + 2n * SECOND), 'quote_used');
  });
});
