import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bankWalletId } from '../../src/wallets/domain/wallet.js';
import { spec } from '../support/decider-spec.js';
import { worldDecider } from '../support/world.js';
import {
  W,
  type Command,
  acceptedEvents,
  cny,
  fund,
  fundCustomer,
  given,
  network,
  openCustomer,
  pay,
  setLimits,
} from './wallet-fixtures.js';
import {
  bankWalletAccountId,
  customerWalletAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';

const BANK = bankWalletId('BANKCN1', 'CNY');

/** A tier-4 CNY wallet W1 at BANKCN1 holding 10,000 CNY (its balance cap), and a tier-1 W9. */
const tier4 = () => [
  ...network(),
  openCustomer('BANKCN1', W(1), 4),
  openCustomer('BANKCN2', W(9), 1),
  fundCustomer(W(1), cny('10000')),
];

describe('tier 4 single-payment limit (2,000 CNY) at its edge', () => {
  for (const [amount, outcome] of [
    ['1999.99', 'ok'],
    ['2000.00', 'ok'],
    ['2000.01', 'single_payment_limit_exceeded'],
  ] as const) {
    it(`${amount} CNY: ${outcome}`, () => {
      const then = spec(worldDecider)
        .given(given(...tier4()))
        .when(pay('BANKCN1', W(1), W(9), cny(amount)));
      if (outcome === 'ok') acceptedEvents(then.decision);
      else
        then.thenRejects(outcome, (r) => assert.match(r.detail, /2000\.00 CNY in one payment; 2000\.01 CNY/));
    });
  }

  it('the amount may be written in major units (the sender wallet gives the decimals)', () => {
    spec(worldDecider)
      .given(given(...tier4()))
      .when(pay('BANKCN1', W(1), W(9), { major: '2000.01' }))
      .thenRejects('single_payment_limit_exceeded');
  });
});

describe('tier 4 daily limit (5,000 CNY) at its edge', () => {
  // 4,000 spent today: 1,000 left.
  const spent = () => [
    ...tier4(),
    pay('BANKCN1', W(1), W(9), cny('2000')),
    pay('BANKCN1', W(1), W(9), cny('2000')),
  ];
  for (const [amount, outcome] of [
    ['999.99', 'ok'],
    ['1000.00', 'ok'],
    ['1000.01', 'daily_limit_exceeded'],
  ] as const) {
    it(`${amount} CNY after 4,000 today: ${outcome}`, () => {
      const then = spec(worldDecider)
        .given(given(...spent()))
        .when(pay('BANKCN1', W(1), W(9), cny(amount)));
      if (outcome === 'ok') acceptedEvents(then.decision);
      else then.thenRejects(outcome);
    });
  }
});

describe('tier 4 balance limit (10,000 CNY) of the receiver at its edge', () => {
  // W2 (tier 4) holds 9,000: it can receive 1,000 more.
  const holding = () => [
    ...network(),
    openCustomer('BANKCN2', W(2), 4),
    fundCustomer(W(2), cny('9000')),
    openCustomer('BANKCN1', W(3), 1),
    fundCustomer(W(3), cny('5000')),
  ];
  for (const [amount, outcome] of [
    ['999.99', 'ok'],
    ['1000.00', 'ok'],
    ['1000.01', 'balance_limit_exceeded'],
  ] as const) {
    it(`${amount} CNY into a wallet holding 9,000: ${outcome}`, () => {
      const then = spec(worldDecider)
        .given(given(...holding()))
        .when(pay('BANKCN1', W(3), W(2), cny(amount)));
      if (outcome === 'ok') acceptedEvents(then.decision);
      else then.thenRejects(outcome, (r) => assert.match(r.detail, /can receive 1000\.00 CNY more/));
    });
  }

  it('a bank wallet paying into it is held to the same cap', () => {
    spec(worldDecider)
      .given(given(...holding(), fund('PBOC', 'CNY', bankWalletAccountId('BANKCN1', 'CNY'), cny('5000'))))
      .when(pay('BANKCN1', BANK, W(2), cny('1000.01')))
      .thenRejects('balance_limit_exceeded');
  });
});

describe('tier 4 annual limit (50,000 CNY) at its edge, counted in local calendar years', () => {
  // Day d (local Asia/Shanghai date 2026-01-0d at noon): refill 5,000 and spend 5,000.
  const noon = (day: number, year = 2026) =>
    BigInt(Date.parse(`${year}-01-${String(day).padStart(2, '0')}T04:00:00Z`)) * 1_000_000n;
  const nineDays = () => {
    const commands: Command[] = [
      ...network(),
      openCustomer('BANKCN1', W(1), 4),
      openCustomer('BANKCN2', W(9), 1),
    ];
    for (let day = 1; day <= 9; day++) {
      commands.push(fundCustomer(W(1), cny('5000'), noon(day)), ...spendDay(day, '1000'));
    }
    return [...commands, fundCustomer(W(1), cny('5000'), noon(10))];
  };
  /** 5,000 of day `day` in three payments (each within the 2,000 single-payment limit), the last `last`. */
  const spendDay = (day: number, last: string) => [
    pay('BANKCN1', W(1), W(9), cny('2000'), noon(day)),
    pay('BANKCN1', W(1), W(9), cny('2000'), noon(day)),
    pay('BANKCN1', W(1), W(9), cny(last), noon(day)),
  ];

  it('one minor unit under the year’s limit passes, and reaching it exactly passes', () => {
    // 49,999.99 spent: 0.01 left this year.
    const under = [...nineDays(), ...spendDay(10, '999.99')];
    acceptedEvents(
      spec(worldDecider)
        .given(given(...under))
        .when(pay('BANKCN1', W(1), W(9), 1n, noon(10))).decision,
    );
  });

  it('one minor unit over the year’s limit is refused, even on a new day', () => {
    const reached = [...nineDays(), ...spendDay(10, '1000')];
    spec(worldDecider)
      .given(given(...reached))
      .when(pay('BANKCN1', W(1), W(9), 1n, noon(11)))
      .thenRejects('annual_limit_exceeded', (r) => assert.match(r.detail, /0\.00 CNY more this year \(2026/));
  });

  it('the new local year starts afresh', () => {
    const newYear = BigInt(Date.parse('2026-12-31T16:00:00Z')) * 1_000_000n;
    const reached = [...nineDays(), ...spendDay(10, '1000'), fundCustomer(W(1), cny('2000'), newYear)];
    // 2026-12-31T16:00Z is midnight on 1 January 2027 in Asia/Shanghai.
    acceptedEvents(
      spec(worldDecider)
        .given(given(...reached))
        .when(pay('BANKCN1', W(1), W(9), cny('2000'), newYear)).decision,
    );
  });
});

describe('tiers 3 and 2 (50,000 / 100,000 / 500,000 / no annual cap) and tier 1 (no caps)', () => {
  const rich = (tier: 1 | 2 | 3) => [
    ...network(),
    openCustomer('BANKCN1', W(1), tier),
    openCustomer('BANKCN2', W(9), 1),
    fundCustomer(W(1), cny('400000')),
  ];
  for (const tier of [2, 3] as const) {
    it(`tier ${tier}: 50,000.00 passes, 50,000.01 is refused`, () => {
      acceptedEvents(
        spec(worldDecider)
          .given(given(...rich(tier)))
          .when(pay('BANKCN1', W(1), W(9), cny('50000'))).decision,
      );
      spec(worldDecider)
        .given(given(...rich(tier)))
        .when(pay('BANKCN1', W(1), W(9), cny('50000.01')))
        .thenRejects('single_payment_limit_exceeded');
    });
    it(`tier ${tier}: the daily limit is 100,000`, () => {
      const twice = [
        ...rich(tier),
        pay('BANKCN1', W(1), W(9), cny('50000')),
        pay('BANKCN1', W(1), W(9), cny('49999.99')),
      ];
      acceptedEvents(
        spec(worldDecider)
          .given(given(...twice))
          .when(pay('BANKCN1', W(1), W(9), 1n)).decision,
      );
      spec(worldDecider)
        .given(given(...twice, pay('BANKCN1', W(1), W(9), 1n)))
        .when(pay('BANKCN1', W(1), W(9), 1n))
        .thenRejects('daily_limit_exceeded');
    });
    it(`tier ${tier}: holds up to 500,000`, () => {
      spec(worldDecider)
        .given(given(...rich(tier)))
        .when(fundCustomer(W(1), cny('100000')))
        .thenReply({ kind: 'CreateTransfers', results: ['ok'] } as never);
      spec(worldDecider)
        .given(
          given(
            ...network(),
            openCustomer('BANKCN1', W(1), tier),
            openCustomer('BANKCN2', W(9), 1),
            fundCustomer(W(9), cny('600000')),
          ),
        )
        .when(pay('BANKCN2', W(9), W(1), cny('500000.01')))
        .thenRejects('balance_limit_exceeded');
    });
  }
  it('tier 1: a payment of 400,000 passes', () => {
    acceptedEvents(
      spec(worldDecider)
        .given(given(...rich(1)))
        .when(pay('BANKCN1', W(1), W(9), cny('400000'))).decision,
    );
  });
});

describe('limits set by the central bank of the currency', () => {
  it('PBOC lowers tier 4’s single payment to 500 CNY: 500.00 passes, 500.01 is refused', () => {
    const lowered = [...tier4(), setLimits('PBOC', 'CNY', 4, { singlePayment: cny('500') })];
    acceptedEvents(
      spec(worldDecider)
        .given(given(...lowered))
        .when(pay('BANKCN1', W(1), W(9), cny('500'))).decision,
    );
    spec(worldDecider)
      .given(given(...lowered))
      .when(pay('BANKCN1', W(1), W(9), cny('500.01')))
      .thenRejects('single_payment_limit_exceeded');
  });

  it('a PUT states the whole tier: the limits left out (null) are lifted', () => {
    const lowered = [...tier4(), setLimits('PBOC', 'CNY', 4, { singlePayment: cny('500') })];
    // The default daily limit (5,000) no longer applies: 20 payments of 500 pass.
    const many = Array.from({ length: 19 }, () => pay('BANKCN1', W(1), W(9), cny('500')));
    acceptedEvents(
      spec(worldDecider)
        .given(given(...lowered, ...many))
        .when(pay('BANKCN1', W(1), W(9), cny('500'))).decision,
    );
  });

  it('records WalletTierLimitsSet, and setting the same limits again records nothing', () => {
    const set = setLimits('PBOC', 'CNY', 4, { singlePayment: cny('500'), daily: null });
    spec(worldDecider)
      .given(given(...network()))
      .when(set)
      .then([
        {
          type: 'WalletTierLimitsSet',
          streamId: 'wallet-tiers-CNY',
          data: { currency: 'CNY', tier: 4, limits: set.limits, setBy: 'PBOC' },
        },
      ]);
    spec(worldDecider)
      .given(given(...network(), set))
      .when(set)
      .then([]);
  });

  it('another central bank may not set them (forbidden_scope); a commercial bank or regulator may not at all', () => {
    spec(worldDecider)
      .given(given(...network()))
      .when(setLimits('HKMA', 'CNY', 4, {}))
      .thenRejects('forbidden_scope');
    spec(worldDecider)
      .given(given(...network()))
      .when(setLimits('BANKCN1', 'CNY', 4, {}))
      .thenRejects('forbidden_role');
    spec(worldDecider)
      .given(given(...network()))
      .when(setLimits('REG-CN', 'CNY', 4, {}))
      .thenRejects('forbidden_role');
    spec(worldDecider)
      .given(given(...network()))
      .when(setLimits('PBOC', 'USD', 4, {}))
      .thenRejects('currency_not_issued');
  });

  it('other currencies have no caps until their central bank sets them', () => {
    const hkd = [
      ...network(),
      openCustomer('BANKHK1', W(5), 4),
      openCustomer('BANKHK1', W(6), 4),
      fund('HKMA', 'HKD', customerWalletAccountId(W(5)), 100_000_000n),
    ];
    acceptedEvents(
      spec(worldDecider)
        .given(given(...hkd))
        .when(pay('BANKHK1', W(5), W(6), 50_000_000n)).decision,
    );
    const capped = [...hkd, setLimits('HKMA', 'HKD', 4, { singlePayment: 10_000n })];
    acceptedEvents(
      spec(worldDecider)
        .given(given(...capped))
        .when(pay('BANKHK1', W(5), W(6), 10_000n)).decision,
    );
    spec(worldDecider)
      .given(given(...capped))
      .when(pay('BANKHK1', W(5), W(6), 10_001n))
      .thenRejects('single_payment_limit_exceeded', (r) => assert.match(r.detail, /100\.00 HKD/));
  });
});

describe('a currency without decimals (JPY)', () => {
  const jpy = () => [
    ...network(),
    setLimits('BOJ', 'JPY', 4, { singlePayment: 2000n }),
    openCustomer('BANKJP1', W(7), 4),
    openCustomer('BANKJP1', W(8), 1),
    fund('BOJ', 'JPY', customerWalletAccountId(W(7)), 100_000n),
  ];
  for (const [amount, outcome] of [
    ['1999', 'ok'],
    ['2000', 'ok'],
    ['2001', 'single_payment_limit_exceeded'],
  ] as const) {
    it(`¥${amount} (major units, no decimals): ${outcome}`, () => {
      const then = spec(worldDecider)
        .given(given(...jpy()))
        .when(pay('BANKJP1', W(7), W(8), { major: amount }));
      if (outcome === 'ok') acceptedEvents(then.decision);
      else then.thenRejects(outcome, (r) => assert.match(r.detail, /2000 JPY in one payment; 2001 JPY/));
    });
  }

  it('one minor unit is one yen: amountMinor 2000 moves ¥2,000', () => {
    const events = acceptedEvents(
      spec(worldDecider)
        .given(given(...jpy()))
        .when(pay('BANKJP1', W(7), W(8), 2000n)).decision,
    );
    const settled = events.find((e) => e.type === 'DomesticTransferSettled')!;
    assert.equal((settled.data as { amount: bigint }).amount, 2000n);
  });

  it('a decimal is refused as too precise (400), before any rule', () => {
    spec(worldDecider)
      .given(given(...jpy()))
      .when(pay('BANKJP1', W(7), W(8), { major: '1.5' }))
      .thenRejects('invalid_request', (r) => {
        assert.equal(r.status, 400);
        assert.equal(r.errors?.[0]?.code, 'amount_too_precise');
        assert.equal(r.errors?.[0]?.field, '/amount');
      });
  });
});
