import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { spec } from '../support/decider-spec.js';
import { NOW } from '../support/institution-fixtures.js';
import { worldDecider } from '../support/world.js';
import { legTransferId } from '../../src/payments/domain/settlement.js';
import { settledOnReceipt } from '../../src/payments/domain/payments.decider.js';
import {
  balanceOf,
  cycle,
  fund,
  network,
  openWallet,
  pay,
  run,
  SECOND,
  sheet,
  types,
  worldOf,
} from './payment-fixtures.js';

/** CN → HK: PAYCN holds 10,000 CNY; LPHK sells HKD for CNY at 1.08 and holds 1,000,000 HKD. */
function cnToHk(payerCny = 10_000_00n, lpHkd = 1_000_000_00n) {
  return run([
    ...network(),
    openWallet('LPHK', 'CNY'),
    ...(payerCny > 0n ? [fund('PAYCN', 'CNY', payerCny)] : []),
    ...(lpHkd > 0n ? [fund('LPHK', 'HKD', lpHkd)] : []),
    sheet('LPHK', 'CNY', 'HKD', '1.08'),
  ]);
}

/** cnToHk, with a fixed fee of 5 CNY on the corridor's CN side. */
function cnToHkWithFee(payerCny: bigint) {
  return run(
    [
      {
        type: 'OpenCorridor',
        actor: 'OPERATOR',
        jurisdictions: ['CN', 'HK'],
        fees: { CN: { fixedMinor: 5_00n, bps: 0 } },
        now: NOW,
      },
    ],
    cnToHk(payerCny),
  );
}

function decide(events: readonly DomainEvent[], command: Parameters<typeof worldDecider.decide>[0]) {
  const then = spec(worldDecider).given(events).when(command);
  if (then.decision.kind === 'rejected')
    assert.fail(`${then.decision.rejection.code}: ${then.decision.rejection.detail}`);
  return {
    events: [...events, ...then.decision.events],
    decided: then.decision.events,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    reply: then.decision.reply as any,
  };
}

describe('payments: payment-versus-payment settlement', () => {
  it('settles both legs at once: payer → provider in CNY, provider → payee in HKD', () => {
    const { events, decided, reply } = decide(cnToHk(), pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.equal(reply.status, 'settled');
    assert.deepEqual(types(decided), [
      'PaymentReceived',
      'PaymentScreened',
      'TransferCreated',
      'TransferCreated',
      'PaymentSettled',
      'CorridorOutflowRecorded',
    ]);
    const world = worldOf(events);
    assert.equal(balanceOf(world, 'PAYCN', 'CNY'), 9_000_00n);
    assert.equal(balanceOf(world, 'LPHK', 'CNY'), 1_000_00n);
    assert.equal(balanceOf(world, 'LPHK', 'HKD'), 1_000_000_00n - 1_080_00n);
    assert.equal(balanceOf(world, 'PAYHK', 'HKD'), 1_080_00n);
    assert.equal(world.payments.queue.size, 0);
  });

  it('a bank that makes the market pays through another provider, never through itself', () => {
    // LPCN quotes CNY → HKD better than LPHK; it carries others' payments, not its own.
    const given = run([
      ...network(),
      openWallet('LPHK', 'CNY'),
      openWallet('LPCN', 'HKD'),
      fund('PAYCN', 'CNY', 10_000_00n),
      fund('LPCN', 'CNY', 10_000_00n),
      fund('LPCN', 'HKD', 1_000_000_00n),
      fund('LPHK', 'HKD', 1_000_000_00n),
      sheet('LPHK', 'CNY', 'HKD', '1.08'),
      sheet('LPCN', 'CNY', 'HKD', '1.09'),
    ]);
    const providers = (decided: readonly DomainEvent[]) =>
      (decided.find((e) => e.type === 'PaymentSettled')?.data as { providers: string[] }).providers;
    const others = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.deepEqual(providers(others.decided), ['LPCN']);
    const own = decide(given, pay('LPCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.equal(own.reply.status, 'settled');
    assert.deepEqual(providers(own.decided), ['LPHK']);
    assert.equal(balanceOf(worldOf(own.events), 'PAYHK', 'HKD'), 1_080_00n);
  });

  it('target fixed: the payee receives exactly the amount, the payer pays what it costs (rounded up)', () => {
    const { events, reply } = decide(cnToHk(), pay('PAYCN', 'PAYHK', 1_000_00n, 'HKD'));
    assert.equal(reply.status, 'settled');
    const world = worldOf(events);
    assert.equal(balanceOf(world, 'PAYHK', 'HKD'), 1_000_00n);
    assert.equal(balanceOf(world, 'PAYCN', 'CNY'), 10_000_00n - 925_93n); // 1000 / 1.08 = 925.925… → 925.93
  });

  it('charges the corridor fee as its own leg, to the operator, in the payer’s currency', () => {
    const given = run(
      [
        {
          type: 'OpenCorridor',
          actor: 'OPERATOR',
          jurisdictions: ['CN', 'HK'],
          fees: { CN: { fixedMinor: 2_00n, bps: 10 } },
          now: NOW,
        },
      ],
      cnToHk(),
    );
    const { events, decided } = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.equal(types(decided).filter((t) => t === 'TransferCreated').length, 3);
    const world = worldOf(events);
    assert.equal(balanceOf(world, 'OPERATOR', 'CNY'), 2_00n + 1_00n); // 2.00 + 10 bps of 1000.00
    assert.equal(balanceOf(world, 'PAYCN', 'CNY'), 10_000_00n - 1_000_00n - 3_00n);
  });

  it('routes through a bridge currency when no provider offers the pair: THB → CNY → AED, one atomic chain', () => {
    const given = run(
      [
        openWallet('LPTH', 'CNY'),
        openWallet('LPCN', 'THB'),
        openWallet('LPCN', 'AED'),
        fund('PAYTH', 'THB', 100_000_00n),
        fund('LPTH', 'CNY', 100_000_00n),
        fund('LPCN', 'AED', 100_000_00n),
        sheet('LPTH', 'THB', 'CNY', '0.2'),
        sheet('LPCN', 'CNY', 'AED', '0.5'),
      ],
      run(network()),
    );
    const { events, decided, reply } = decide(given, pay('PAYTH', 'PAYAE', 10_000_00n, 'THB'));
    assert.equal(reply.status, 'settled');
    assert.equal(types(decided).filter((t) => t === 'TransferCreated').length, 3);
    const world = worldOf(events);
    assert.equal(balanceOf(world, 'PAYAE', 'AED'), 1_000_00n);
    assert.equal(balanceOf(world, 'LPTH', 'THB'), 10_000_00n);
    assert.equal(balanceOf(world, 'LPTH', 'CNY'), 100_000_00n - 2_000_00n);
    assert.equal(balanceOf(world, 'LPCN', 'CNY'), 2_000_00n);
    assert.equal(balanceOf(world, 'LPCN', 'AED'), 100_000_00n - 1_000_00n);
  });
});

describe('payments: each leg failing in turn leaves no leg settled', () => {
  it('the payer lacks funds: queued, nothing moved', () => {
    const { events, decided, reply } = decide(cnToHk(500_00n), pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.deepEqual([reply.status, reply.reason?.code], ['queued', 'awaiting_funds']);
    assert.ok(!types(decided).includes('TransferCreated'));
    const world = worldOf(events);
    assert.equal(balanceOf(world, 'PAYCN', 'CNY'), 500_00n);
    assert.equal(balanceOf(world, 'PAYHK', 'HKD'), 0n);
    assert.equal(world.payments.queue.size, 1);
  });

  it('the provider lacks liquidity: queued, nothing moved', () => {
    const { events, decided, reply } = decide(
      cnToHk(10_000_00n, 500_00n),
      pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'),
    );
    assert.deepEqual([reply.status, reply.reason?.code], ['queued', 'awaiting_liquidity']);
    assert.ok(!types(decided).includes('TransferCreated'));
    assert.equal(balanceOf(worldOf(events), 'PAYCN', 'CNY'), 10_000_00n);
  });

  it("the payee's wallet is frozen: rejected, nothing moved", () => {
    const given = run(
      [
        {
          type: 'FreezeWallet',
          actor: 'HKMA',
          walletId: 'PAYHK.HKD',
          scope: 'all',
          reason: 'court order',
          now: NOW,
        },
      ],
      cnToHk(),
    );
    const { events, decided, reply } = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.deepEqual([reply.status, reply.reason?.code], ['rejected', 'recipient_frozen']);
    assert.deepEqual(types(decided), ['PaymentReceived', 'PaymentRejected']);
    assert.equal(balanceOf(worldOf(events), 'PAYCN', 'CNY'), 10_000_00n);
  });

  it('the fee leg cannot be paid (payer holds the amount but not the fee): queued, nothing moved', () => {
    const given = cnToHkWithFee(1_000_00n);
    const { events, decided, reply } = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.equal(reply.status, 'queued');
    assert.ok(!types(decided).includes('TransferCreated'));
    assert.equal(balanceOf(worldOf(events), 'PAYCN', 'CNY'), 1_000_00n);
  });
});

describe('payments: screening', () => {
  it('records a rejection with its reason: sanctions, corridor, route', () => {
    const given = cnToHk();
    const code = (command: ReturnType<typeof pay>) => decide(given, command).reply.reason?.code;
    assert.equal(
      code(
        pay('PAYCN', 'PAYHK', 1_00n, 'CNY', {
          payee: { bank: 'PAYHK', wallet: null, name: 'ivan  SANCTIONED' },
        }),
      ),
      'sanctions_hit',
    );
    assert.equal(code(pay('BADBANK', 'PAYHK', 1_00n, 'CNY')), 'sanctions_hit');
    assert.equal(code(pay('PAYCN', 'PAYAE', 1_00n, 'CNY')), 'corridor_not_found');
    assert.equal(code(pay('PAYHK', 'PAYCN', 1_00n, 'HKD')), 'no_route');
    const suspended = run(
      [{ type: 'SuspendCorridor', actor: 'PBOC', corridorId: 'CN-HK', reason: 'stress', now: NOW }],
      given,
    );
    assert.equal(
      decide(suspended, pay('PAYCN', 'PAYHK', 1_00n, 'CNY')).reply.reason?.code,
      'corridor_suspended',
    );
  });

  it('the daily outbound quota at its edge: exactly the quota settles, one minor unit more is rejected', () => {
    const given = run(
      [
        {
          type: 'SetCorridorSideRules',
          actor: 'PBOC',
          corridorId: 'CN-HK',
          jurisdiction: 'CN',
          hours: null,
          maxPaymentMinor: null,
          dailyOutboundQuotaMinor: 1_500_00n,
          now: NOW,
        },
      ],
      cnToHk(),
    );
    const first = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.equal(first.reply.status, 'settled');
    assert.equal(
      decide(first.events, pay('PAYCN', 'PAYHK', 500_01n, 'CNY')).reply.reason?.code,
      'outbound_quota_exceeded',
    );
    assert.equal(decide(first.events, pay('PAYCN', 'PAYHK', 500_00n, 'CNY')).reply.status, 'settled');
  });

  it('refuses outright (nothing written) what is not a cross-border payment the caller may make', () => {
    const given = spec(worldDecider).given(cnToHk());
    given.when(pay('PAYCN', 'PAYHK', 1_00n, 'CNY', { actor: 'LPCN' })).thenRejects('forbidden_scope');
    given.when(pay('PBOC', 'PAYHK', 1_00n, 'CNY')).thenRejects('forbidden_role');
    given.when(pay('PAYCN', 'LPCN', 1_00n, 'CNY')).thenRejects('not_cross_border');
    given.when(pay('PAYCN', 'NOBODY', 1_00n, 'CNY')).thenRejects('payee_unknown');
    given.when(pay('PAYCN', 'PAYHK', 1_00n, 'THB')).thenRejects('currency_mismatch');
  });
});

describe('payments: a sanctioned liquidity provider never carries a payment', () => {
  it('the best route skips it, even when it offers the best rate', () => {
    const given = run(
      [
        {
          type: 'SetInstitutionRole',
          actor: 'PBOC',
          institutionId: 'BADBANK',
          role: 'liquidity_provider',
          granted: true,
          now: NOW,
        },
        openWallet('BADBANK', 'HKD'),
        fund('BADBANK', 'HKD', 1_000_000_00n),
        sheet('BADBANK', 'CNY', 'HKD', '1.2'),
      ],
      cnToHk(),
    );
    const { events, reply } = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.equal(reply.status, 'settled');
    const settled = events.find((e) => e.type === 'PaymentSettled')!.data as { providers: string[] };
    assert.deepEqual(settled.providers, ['LPHK']);
  });
});

describe('payments: quotes', () => {
  const quoted = (ttl = 30) =>
    run(
      [
        {
          type: 'RequestQuote',
          actor: 'PAYCN',
          quoteId: 'q-1',
          from: 'CNY',
          to: 'HKD',
          fixed: 'source',
          amount: 1_000_00n,
          provider: null,
          ttlSeconds: ttl,
          now: NOW,
        },
      ],
      cnToHk(),
    );

  it('a payment naming a quote settles at its price, once', () => {
    const { events, decided, reply } = decide(
      quoted(),
      pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { quoteId: 'q-1' }),
    );
    assert.equal(reply.status, 'settled');
    assert.ok(types(decided).includes('QuoteUsed'));
    assert.equal(
      decide(events, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { quoteId: 'q-1' })).reply.reason?.code,
      'quote_used',
    );
  });

  it('a queued payment whose quote expires ends as rejected in the next cycle', () => {
    const unfunded = run(
      [
        {
          type: 'RequestQuote',
          actor: 'PAYCN',
          quoteId: 'q-9',
          from: 'CNY',
          to: 'HKD',
          fixed: 'source',
          amount: 1_000_00n,
          provider: null,
          ttlSeconds: 5,
          now: NOW,
        },
      ],
      cnToHk(0n),
    );
    const queued = decide(unfunded, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { quoteId: 'q-9' }));
    assert.equal(queued.reply.status, 'queued');
    const later = decide(queued.events, cycle(NOW + 10n * SECOND));
    assert.equal(later.reply.rejected, 1);
    assert.deepEqual(
      later.decided.map((e) => [e.type, (e.data as { code?: string }).code]),
      [['PaymentRejected', 'quote_expired']],
    );
    assert.equal(worldOf(later.events).payments.queue.size, 0);
  });

  it('an expired quote, or one for another amount, is a recorded rejection', () => {
    assert.equal(
      decide(quoted(1), pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { quoteId: 'q-1', now: NOW + 2n * SECOND }))
        .reply.reason?.code,
      'quote_expired',
    );
    assert.equal(
      decide(quoted(), pay('PAYCN', 'PAYHK', 999_00n, 'CNY', { quoteId: 'q-1' })).reply.reason?.code,
      'quote_mismatch',
    );
    assert.equal(
      decide(quoted(), pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { quoteId: 'q-2' })).reply.reason?.code,
      'quote_unknown',
    );
  });
});

describe('payments: the queue', () => {
  it('a queued payment settles in the next cycle once the payer is funded, exactly once', () => {
    const queued = decide(cnToHk(0n), pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.equal(queued.reply.status, 'queued');
    const funded = run([fund('PAYCN', 'CNY', 1_000_00n)], queued.events);
    const settled = decide(funded, cycle());
    assert.deepEqual(settled.reply, {
      expired: 0,
      rejected: 0,
      settledGross: 1,
      settledNet: 0,
      sets: [],
      queued: 0,
    });
    assert.equal(balanceOf(worldOf(settled.events), 'PAYHK', 'HKD'), 1_080_00n);
    assert.deepEqual(decide(settled.events, cycle(NOW + 3n * SECOND)).decided, []);
  });

  it('a payment that waits through cycles settles under the leg ids its id names, whichever cycle books it', () => {
    // The fee leg fails at submission (the ids are derived, then kept for the queue), again in a
    // cycle without funds, and the chain is booked by the cycle after the payer is funded.
    const given = cnToHkWithFee(1_000_00n);
    const submit = pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY');
    const queued = decide(given, submit);
    assert.equal(queued.reply.status, 'queued');
    const waiting = decide(queued.events, cycle());
    assert.equal(waiting.reply.queued, 1);
    const funded = run([fund('PAYCN', 'CNY', 5_00n)], waiting.events);
    const settled = decide(funded, cycle(NOW + 3n * SECOND));
    assert.equal(settled.reply.settledGross, 1);
    const expected = [0, 1, 2].map((i) => legTransferId(submit.paymentId, i));
    const booked = settled.decided.filter((e) => e.type === 'TransferCreated');
    assert.deepEqual(
      booked.map((e) => (e.data as { transfer: { id: string } }).transfer.id),
      expected,
    );
    const record = settled.decided.find((e) => e.type === 'PaymentSettled')!;
    assert.deepEqual(
      (record.data as { legs: Array<{ transferId: string }> }).legs.map((l) => l.transferId),
      expected,
    );
  });

  it('higher priority first: with funds for one, the priority-9 payment settles and the other waits', () => {
    let events = cnToHk(0n);
    const low = pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { priority: 1 });
    const high = pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { priority: 9, now: NOW + 2n * SECOND });
    events = run([low, high, fund('PAYCN', 'CNY', 1_000_00n)], events);
    const { decided } = decide(events, cycle(NOW + 3n * SECOND, false));
    const settled = decided
      .filter((e) => e.type === 'PaymentSettled')
      .map((e) => (e.data as { paymentId: string }).paymentId);
    assert.deepEqual(settled, [high.paymentId]);
  });

  it('expires a queued payment at its expiry, and the payer may cancel one while it waits', () => {
    const queued = decide(cnToHk(0n), pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY', { expiresInSeconds: 60 }));
    assert.equal(decide(queued.events, cycle(NOW + 60n * SECOND)).reply.queued, 1);
    const expired = decide(queued.events, cycle(NOW + 61n * SECOND));
    assert.deepEqual(types(expired.decided), ['PaymentExpired']);
    // The provider it was priced through is told it ended, as it was told it queued.
    assert.deepEqual((expired.decided[0]!.data as { parties: string[] }).parties, ['PAYCN', 'PAYHK', 'LPHK']);
    assert.equal(worldOf(expired.events).payments.queue.size, 0);

    const id = (queued.decided[0]!.data as { paymentId: string }).paymentId;
    spec(worldDecider)
      .given(queued.events)
      .when({ type: 'CancelPayment', actor: 'PAYHK', paymentId: id, reason: 'mine', now: NOW })
      .thenRejects('forbidden_scope');
    const cancelled = decide(queued.events, {
      type: 'CancelPayment',
      actor: 'PAYCN',
      paymentId: id,
      reason: 'duplicate',
      now: NOW + 5n * SECOND,
    });
    assert.deepEqual(types(cancelled.decided), ['PaymentCancelled']);
    assert.deepEqual((cancelled.decided[0]!.data as { parties: string[] }).parties, [
      'PAYCN',
      'PAYHK',
      'LPHK',
    ]);
    spec(worldDecider)
      .given(cancelled.events)
      .when({ type: 'CancelPayment', actor: 'PAYCN', paymentId: id, reason: 'again', now: NOW })
      .thenRejects('payment_not_queued');
  });
});

describe('payments: gridlock and the liquidity-saving mechanism', () => {
  /**
   * Three banks, none holding anything: PAYCN pays PAYHK 100, PAYHK pays PAYTH 100, PAYTH pays
   * PAYCN 100 (all at rate 1, providers funded in what they pay out). One by one nothing settles;
   * together each receives what it pays.
   */
  function gridlock() {
    const setup = run(
      [
        openWallet('LPHK', 'CNY'),
        openWallet('LPTH', 'HKD'),
        openWallet('LPCN', 'THB'),
        fund('LPHK', 'HKD', 1_000_00n),
        fund('LPTH', 'THB', 1_000_00n),
        fund('LPCN', 'CNY', 1_000_00n),
        sheet('LPHK', 'CNY', 'HKD', '1'),
        sheet('LPTH', 'HKD', 'THB', '1'),
        sheet('LPCN', 'THB', 'CNY', '1'),
      ],
      run(network()),
    );
    return run(
      [
        pay('PAYCN', 'PAYHK', 100_00n, 'CNY'),
        pay('PAYHK', 'PAYTH', 100_00n, 'HKD'),
        pay('PAYTH', 'PAYCN', 100_00n, 'THB'),
      ],
      setup,
    );
  }

  it('without it, the three payments stay queued', () => {
    const events = gridlock();
    assert.equal(worldOf(events).payments.queue.size, 3);
    const off = decide(events, cycle(NOW + 2n * SECOND, false));
    assert.deepEqual(off.reply, {
      expired: 0,
      rejected: 0,
      settledGross: 0,
      settledNet: 0,
      sets: [],
      queued: 3,
    });
  });

  it('with it, they settle together as a cycle, net, and every balance is as if each had settled', () => {
    const on = decide(gridlock(), cycle());
    assert.deepEqual(on.reply, {
      expired: 0,
      rejected: 0,
      settledGross: 0,
      settledNet: 3,
      sets: [{ mechanism: 'cycle', payments: 3 }],
      queued: 0,
    });
    const world = worldOf(on.events);
    for (const [bank, currency] of [
      ['PAYCN', 'CNY'],
      ['PAYHK', 'HKD'],
      ['PAYTH', 'THB'],
    ] as const)
      assert.equal(balanceOf(world, bank, currency), 0n);
    assert.equal(balanceOf(world, 'LPHK', 'CNY'), 100_00n);
    assert.equal(balanceOf(world, 'LPHK', 'HKD'), 900_00n);
    const settled = on.decided
      .filter((e) => e.type === 'PaymentSettled')
      .map((e) => (e.data as { settledBy: string }).settledBy);
    assert.deepEqual(settled, ['cycle', 'cycle', 'cycle']);
  });

  it('bilateral offsetting: two banks paying each other settle net', () => {
    const setup = run(
      [
        openWallet('LPHK', 'CNY'),
        openWallet('LPCN', 'HKD'),
        fund('LPHK', 'HKD', 1_000_00n),
        fund('LPCN', 'CNY', 1_000_00n),
        sheet('LPHK', 'CNY', 'HKD', '1'),
        sheet('LPCN', 'HKD', 'CNY', '1'),
        fund('PAYCN', 'CNY', 20_00n),
      ],
      run(network()),
    );
    const events = run([pay('PAYCN', 'PAYHK', 100_00n, 'CNY'), pay('PAYHK', 'PAYCN', 80_00n, 'HKD')], setup);
    const { reply, events: after } = decide(events, cycle());
    assert.deepEqual(reply, {
      expired: 0,
      rejected: 0,
      settledGross: 0,
      settledNet: 2,
      sets: [{ mechanism: 'bilateral_offset', payments: 2 }],
      queued: 0,
    });
    const world = worldOf(after);
    assert.equal(balanceOf(world, 'PAYCN', 'CNY'), 0n); // paid 100, received 80, held 20
    assert.equal(balanceOf(world, 'PAYHK', 'HKD'), 20_00n);
  });

  it('multilateral offsetting with removal drops what cannot be covered and settles the rest', () => {
    // The gridlock, plus a fourth payment PAYTH → PAYCN of 500 that nobody's receipts can cover.
    const events = run([pay('PAYTH', 'PAYCN', 500_00n, 'THB', { priority: 1 })], gridlock());
    const { reply } = decide(events, cycle());
    assert.equal(reply.settledNet, 3);
    assert.equal(reply.queued, 1);
  });
});

describe('payments: a payment received and settled in one decision (settledOnReceipt)', () => {
  it('given a payment that settles on arrival, its decision names it, and its payments events leave the state as it was', () => {
    const given = cnToHk();
    const { decided } = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    const before = worldOf(given).payments;
    const paymentId = (decided[0] as { data: { paymentId: string } }).data.paymentId;
    assert.equal(settledOnReceipt(before, decided), paymentId);
    // What a caller may skip: evolving them all gives back the queue and providers it had.
    const after = worldOf([...given, ...decided]).payments;
    assert.deepEqual([...after.queue.entries()], [...before.queue.entries()]);
    assert.deepEqual([...after.queuedProviders.entries()], [...before.queuedProviders.entries()]);
  });

  it('given a payment that waits, or a decision of anything else, names none', () => {
    const given = cnToHk(500_00n);
    const { events, decided } = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    assert.ok(types(decided).includes('PaymentQueued'));
    assert.equal(settledOnReceipt(worldOf(given).payments, decided), null);
    assert.equal(settledOnReceipt(worldOf(events).payments, []), null);
    // The settlement of a queued payment in a later cycle: it is not received there.
    const funded = run([fund('PAYCN', 'CNY', 1_000_00n)], events);
    const settled = decide(funded, cycle()).decided;
    assert.ok(types(settled).includes('PaymentSettled'));
    assert.equal(settledOnReceipt(worldOf(funded).payments, settled), null);
  });

  it('given a decision that receives one payment and settles another, or receives an id already queued, names none', () => {
    const given = cnToHk();
    const { decided } = decide(given, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    const state = worldOf(given).payments;
    const settled = decided.find((e) => e.type === 'PaymentSettled')!;
    const otherSettled = {
      ...settled,
      data: { ...(settled.data as object), paymentId: 'another' },
    } as DomainEvent;
    assert.equal(
      settledOnReceipt(
        state,
        decided.map((e) => (e === settled ? otherSettled : e)),
      ),
      null,
    );
    const waiting = cnToHk(500_00n);
    const queued = decide(waiting, pay('PAYCN', 'PAYHK', 1_000_00n, 'CNY'));
    const queuedId = (queued.decided[0] as { data: { paymentId: string } }).data.paymentId;
    const again = decided.map((e) =>
      'paymentId' in (e.data as object)
        ? ({ ...e, data: { ...(e.data as object), paymentId: queuedId } } as DomainEvent)
        : e,
    );
    assert.equal(settledOnReceipt(worldOf(queued.events).payments, again), null);
  });
});
