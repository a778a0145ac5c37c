import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { bankWalletAccountId } from '../../src/institutions/domain/chart-of-accounts.js';
import type { OpenCorridor, SetCorridorSideRules } from '../../src/corridors/domain/corridors.commands.js';
import { corridorFee, screenCorridor } from '../../src/corridors/domain/corridors.decider.js';
import { feeFor } from '../../src/corridors/domain/corridor.js';
import { spec } from '../support/decider-spec.js';
import { NOW, smallNetwork } from '../support/institution-fixtures.js';
import { history, worldDecider } from '../support/world.js';

const SECOND = 1_000_000_000n;
/** 2026-01-05 (a Monday) at hh:mm in Asia/Shanghai (UTC+8), in ns. */
const shanghai = (day: number, hh: number, mm: number) =>
  BigInt(Date.UTC(2026, 0, day, hh - 8, mm)) * 1_000_000n;

const open = (fees: OpenCorridor['fees'] = {}, actor = 'OPERATOR'): OpenCorridor => ({
  type: 'OpenCorridor',
  actor,
  jurisdictions: ['HK', 'CN'],
  fees,
  now: NOW,
});

function rules(
  actor: string,
  jurisdiction: string,
  fields: Partial<SetCorridorSideRules> = {},
): SetCorridorSideRules {
  return {
    type: 'SetCorridorSideRules',
    actor,
    corridorId: 'CN-HK',
    jurisdiction,
    hours: null,
    maxPaymentMinor: null,
    dailyOutboundQuotaMinor: null,
    now: NOW,
    ...fields,
  };
}

function after(events: readonly DomainEvent[], command: Parameters<typeof worldDecider.decide>[0]) {
  const then = spec(worldDecider).given(events).when(command);
  if (then.decision.kind === 'rejected')
    assert.fail(`${then.decision.rejection.code}: ${then.decision.rejection.detail}`);
  return [...events, ...(then.decision.kind === 'accepted' ? then.decision.events : [])];
}

const withCorridor = () => after(history(smallNetwork()), open());

describe('corridors: opening and governing', () => {
  it('the operator opens a corridor once; its id orders the jurisdictions', () => {
    const events = withCorridor();
    const world = spec(worldDecider).given(events).when(open()).then([]).stateAfter();
    const corridor = world.corridors.corridors.get('CN-HK')!;
    assert.deepEqual(
      corridor.sides.map((s) => [s.jurisdiction, s.currency, s.timeZone]),
      [
        ['CN', 'CNY', 'Asia/Shanghai'],
        ['HK', 'HKD', 'Asia/Hong_Kong'],
      ],
    );
    spec(worldDecider).given(history(smallNetwork())).when(open({}, 'PBOC')).thenRejects('forbidden_role');
    spec(worldDecider)
      .given(history(smallNetwork()))
      .when({ ...open(), jurisdictions: ['CN', 'JP'] })
      .thenRejects('jurisdiction_unknown');
    spec(worldDecider)
      .given(history(smallNetwork()))
      .when({ ...open(), jurisdictions: ['CN', 'CN'] })
      .thenRejects('corridor_invalid');
  });

  it("fees open the operator's fee wallet in the side's currency, once", () => {
    const world = spec(worldDecider)
      .given(withCorridor())
      .when(open({ CN: { fixedMinor: 1_00n, bps: 5 } }))
      .stateAfter();
    assert.ok(world.ledger.accounts.has(bankWalletAccountId('OPERATOR', 'CNY')));
    assert.ok(!world.ledger.accounts.has(bankWalletAccountId('OPERATOR', 'HKD')));
    assert.equal(world.wallets.wallets.get('OPERATOR.CNY')?.bankId, 'OPERATOR');
    assert.equal(corridorFee(world.corridors, 'CN', 'HK', 10_000_00n), 1_00n + 5_00n);
    assert.equal(corridorFee(world.corridors, 'HK', 'CN', 10_000_00n), 0n);
  });

  it('a central bank governs its own side only; either side suspends, and the corridor is closed while any side does', () => {
    const given = spec(worldDecider).given(withCorridor());
    given.when(rules('HKMA', 'CN')).thenRejects('forbidden_scope');
    given.when(rules('BANKCN1', 'CN')).thenRejects('forbidden_role');
    given.when({ ...rules('PBOC', 'CN'), corridorId: 'CN-TH' }).thenRejects('corridor_not_found');
    const suspended = after(withCorridor(), {
      type: 'SuspendCorridor',
      actor: 'HKMA',
      corridorId: 'CN-HK',
      reason: 'market stress',
      now: NOW,
    });
    const world = spec(worldDecider)
      .given(suspended)
      .when({ type: 'SuspendCorridor', actor: 'HKMA', corridorId: 'CN-HK', reason: 'again', now: NOW })
      .then([])
      .stateAfter();
    assert.equal(
      screenCorridor(world.corridors, { from: 'CN', to: 'HK', amountMinor: 1n, now: NOW })?.code,
      'corridor_suspended',
    );
    // PBOC cannot lift HKMA's suspension; HKMA can.
    const pbocResume = spec(worldDecider)
      .given(suspended)
      .when({ type: 'ResumeCorridor', actor: 'PBOC', corridorId: 'CN-HK', reason: 'ok', now: NOW })
      .then([])
      .stateAfter();
    assert.equal(
      screenCorridor(pbocResume.corridors, { from: 'HK', to: 'CN', amountMinor: 1n, now: NOW })?.code,
      'corridor_suspended',
    );
    const resumed = after(suspended, {
      type: 'ResumeCorridor',
      actor: 'HKMA',
      corridorId: 'CN-HK',
      reason: 'calm',
      now: NOW,
    });
    assert.equal(
      screenCorridor(spec(worldDecider).given(resumed).state.corridors, {
        from: 'HK',
        to: 'CN',
        amountMinor: 1n,
        now: NOW,
      }),
      null,
    );
  });
});

describe('corridors: screening a payment at the edges', () => {
  it('opening hours in each side’s own time zone: open at 09:00, closed at 17:00, closed at weekends', () => {
    const events = after(
      withCorridor(),
      rules('PBOC', 'CN', { hours: { open: '09:00', close: '17:00', days: [1, 2, 3, 4, 5] } }),
    );
    const state = spec(worldDecider).given(events).state.corridors;
    const at = (now: bigint) =>
      screenCorridor(state, { from: 'HK', to: 'CN', amountMinor: 1n, now })?.code ?? 'ok';
    assert.equal(at(shanghai(5, 8, 59)), 'corridor_closed');
    assert.equal(at(shanghai(5, 9, 0)), 'ok');
    assert.equal(at(shanghai(5, 16, 59)), 'ok');
    assert.equal(at(shanghai(5, 17, 0)), 'corridor_closed');
    assert.equal(at(shanghai(10, 12, 0)), 'corridor_closed'); // Saturday
  });

  it('the largest payment out of a side: at the maximum passes, one minor unit over does not', () => {
    const events = after(withCorridor(), rules('PBOC', 'CN', { maxPaymentMinor: 50_000_00n }));
    const state = spec(worldDecider).given(events).state.corridors;
    assert.equal(screenCorridor(state, { from: 'CN', to: 'HK', amountMinor: 50_000_00n, now: NOW }), null);
    assert.equal(
      screenCorridor(state, { from: 'CN', to: 'HK', amountMinor: 50_000_01n, now: NOW })?.code,
      'payment_over_maximum',
    );
    // The other direction is HKMA's to limit.
    assert.equal(screenCorridor(state, { from: 'HK', to: 'CN', amountMinor: 10n ** 12n, now: NOW }), null);
  });

  it('the daily outbound quota counts what left today (local day), up to exactly the quota', () => {
    const monday = shanghai(5, 10, 0);
    let events = after(withCorridor(), rules('PBOC', 'CN', { dailyOutboundQuotaMinor: 1_000_00n }));
    events = [
      ...events,
      {
        type: 'CorridorOutflowRecorded',
        streamId: 'corridor-CN-HK',
        data: {
          corridorId: 'CN-HK',
          jurisdiction: 'CN',
          date: '2026-01-05',
          amountMinor: 600_00n,
          paymentId: 'p1',
        },
      },
    ];
    const state = spec(worldDecider).given(events).state.corridors;
    assert.equal(screenCorridor(state, { from: 'CN', to: 'HK', amountMinor: 400_00n, now: monday }), null);
    assert.equal(
      screenCorridor(state, { from: 'CN', to: 'HK', amountMinor: 400_01n, now: monday })?.code,
      'outbound_quota_exceeded',
    );
    // A new local day (00:00 in Shanghai, 16:00 UTC the day before) starts from zero.
    assert.equal(
      screenCorridor(state, { from: 'CN', to: 'HK', amountMinor: 1_000_00n, now: shanghai(6, 0, 0) }),
      null,
    );
    assert.equal(
      screenCorridor(state, {
        from: 'CN',
        to: 'HK',
        amountMinor: 400_01n,
        now: shanghai(5, 23, 59) + 59n * SECOND,
      })?.code,
      'outbound_quota_exceeded',
    );
  });

  it('no corridor, no payment', () => {
    const state = spec(worldDecider).given(history(smallNetwork())).state.corridors;
    assert.equal(
      screenCorridor(state, { from: 'CN', to: 'HK', amountMinor: 1n, now: NOW })?.code,
      'corridor_not_found',
    );
  });

  it('fees: fixed plus basis points, rounded down to the minor unit', () => {
    assert.equal(feeFor({ fixedMinor: 0n, bps: 5 }, 1_999n), 0n); // 0.9995 → 0
    assert.equal(feeFor({ fixedMinor: 0n, bps: 5 }, 2_000n), 1n);
    assert.equal(feeFor({ fixedMinor: 2_50n, bps: 10 }, 1_234_567n), 2_50n + 1_234n);
  });
});
