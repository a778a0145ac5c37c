import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localDateIn } from '../../src/wallets/domain/local-date.js';
import { spec } from '../support/decider-spec.js';
import { worldDecider } from '../support/world.js';
import {
  W,
  acceptedEvents,
  at,
  cny,
  fundCustomer,
  given,
  network,
  openCustomer,
  pay,
} from './wallet-fixtures.js';

describe('local dates follow the jurisdiction’s time zone', () => {
  it('Asia/Shanghai (UTC+8) turns the day at 16:00 UTC', () => {
    assert.equal(localDateIn('Asia/Shanghai', at('2026-01-01T15:59:59.999Z')), '2026-01-01');
    assert.equal(localDateIn('Asia/Shanghai', at('2026-01-01T16:00:00.000Z')), '2026-01-02');
    assert.equal(localDateIn('UTC', at('2026-01-01T16:00:00.000Z')), '2026-01-01');
  });

  it('a zone with daylight saving (America/New_York) and the year boundary', () => {
    assert.equal(localDateIn('America/New_York', at('2026-07-01T03:59:59Z')), '2026-06-30');
    assert.equal(localDateIn('America/New_York', at('2026-07-01T04:00:00Z')), '2026-07-01');
    assert.equal(localDateIn('Asia/Shanghai', at('2026-12-31T16:00:00Z')), '2027-01-01');
  });
});

describe('the daily window of a tier-4 wallet (5,000 CNY) resets at local midnight in Asia/Shanghai', () => {
  // W1 spent its 5,000 at 18:00 local on 1 January (10:00 UTC).
  const spentOnJan1 = () => [
    ...network(),
    openCustomer('BANKCN1', W(1), 4),
    openCustomer('BANKCN2', W(9), 1),
    fundCustomer(W(1), cny('10000')),
    pay('BANKCN1', W(1), W(9), cny('2000'), at('2026-01-01T10:00:00Z')),
    pay('BANKCN1', W(1), W(9), cny('2000'), at('2026-01-01T10:00:00Z')),
    pay('BANKCN1', W(1), W(9), cny('1000'), at('2026-01-01T10:00:00Z')),
  ];

  it('one millisecond before local midnight (15:59:59.999 UTC): still 1 January, refused', () => {
    spec(worldDecider)
      .given(given(...spentOnJan1()))
      .when(pay('BANKCN1', W(1), W(9), 1n, at('2026-01-01T15:59:59.999Z')))
      .thenRejects('daily_limit_exceeded', (r) => assert.match(r.detail, /2026-01-01, Asia\/Shanghai/));
  });

  it('at local midnight (16:00 UTC, still 1 January in UTC): a new day, 2,000 passes', () => {
    acceptedEvents(
      spec(worldDecider)
        .given(given(...spentOnJan1()))
        .when(pay('BANKCN1', W(1), W(9), cny('2000'), at('2026-01-01T16:00:00Z'))).decision,
    );
  });

  it('UTC midnight is not a boundary: spent at 01:00 local, still refused at 08:30 local (00:30 UTC next day)', () => {
    const spentEarly = [
      ...network(),
      openCustomer('BANKCN1', W(1), 4),
      openCustomer('BANKCN2', W(9), 1),
      fundCustomer(W(1), cny('10000')),
      pay('BANKCN1', W(1), W(9), cny('2000'), at('2026-01-01T17:00:00Z')),
      pay('BANKCN1', W(1), W(9), cny('2000'), at('2026-01-01T17:00:00Z')),
      pay('BANKCN1', W(1), W(9), cny('1000'), at('2026-01-01T17:00:00Z')),
    ];
    spec(worldDecider)
      .given(given(...spentEarly))
      .when(pay('BANKCN1', W(1), W(9), 1n, at('2026-01-02T00:30:00Z')))
      .thenRejects('daily_limit_exceeded');
  });

  it('the event carries the sender’s local date, so replay rebuilds the window without a clock', () => {
    const events = acceptedEvents(
      spec(worldDecider)
        .given(
          given(
            ...network(),
            openCustomer('BANKCN1', W(1), 4),
            openCustomer('BANKCN2', W(9), 1),
            fundCustomer(W(1), 100n),
          ),
        )
        .when(pay('BANKCN1', W(1), W(9), 100n, at('2026-01-01T16:30:00Z'))).decision,
    );
    const settled = events.find((e) => e.type === 'DomesticTransferSettled')!.data as {
      senderLocalDate: string;
    };
    assert.equal(settled.senderLocalDate, '2026-01-02');
  });
});
