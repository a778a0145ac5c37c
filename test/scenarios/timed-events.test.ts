import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runReplication, type ReplicationResult } from '../../src/scenarios/run-replication.js';
import type { ScenarioPlan } from '../../src/scenarios/scenario.js';
import type { SimulationWorld } from '../../src/scenarios/simulation-world.js';
import { smallScenario } from './small-scenario.js';

function run(
  plan: ScenarioPlan,
  variant = 'baseline',
): { result: ReplicationResult; world: SimulationWorld } {
  let world: SimulationWorld | undefined;
  const result = runReplication(
    { plan, variant, replication: 0, seed: plan.seed },
    { inspect: (_, w) => (world = w) },
  );
  return { result, world: world! };
}

const baseline = run(smallScenario()).result;

describe('scenario timed events: each one changes what the deciders do', () => {
  it('the baseline settles everything (so each effect below is the event’s)', () => {
    assert.ok(baseline.metrics.payments.received > 80);
    assert.equal(baseline.metrics.payments.settled, baseline.metrics.payments.received);
    assert.deepEqual(baseline.metrics.payments.rejected, {});
  });

  it('provider outage: the providers withdraw their sheets, payments meanwhile find no route', () => {
    const { result } = run(
      smallScenario(`events:
  - { at: 6h, type: provider_outage, provider: LPCN, duration: 6h }
  - { at: 6h, type: provider_outage, provider: LPHK, duration: 6h }`),
    );
    assert.ok((result.metrics.payments.rejected.no_route ?? 0) > 5, JSON.stringify(result.metrics.payments));
    assert.match(result.timedEvents[0]!.outcome, /WithdrawRateSheet: ok/);
    assert.match(result.timedEvents.at(-1)!.outcome, /PublishRateSheet: ok/);
    assert.equal(result.metrics.payments.received, baseline.metrics.payments.received, 'the same workload');
  });

  it('FX shock: providers republish on the moved mid rate, payees get the new rate', () => {
    const { result, world } = run(
      smallScenario(`events:\n  - { at: 0s, type: fx_shock, currency: HKD, change: 0.5 }`),
    );
    const sheet = [...world.fx.sheets.values()].find((s) => s.from === 'CNY' && s.to === 'HKD')!;
    assert.equal(sheet.rate, '1.62');
    const pair = (r: ReplicationResult) => r.metrics.fx.byPair['CNY>HKD']!;
    const ratio = (r: ReplicationResult) => Number(pair(r).bought) / Number(pair(r).sold);
    assert.ok(ratio(result) > 1.6 && ratio(result) < 1.62, `bought/sold ${ratio(result)}`);
    assert.ok(ratio(baseline) > 1.07 && ratio(baseline) < 1.08, `baseline bought/sold ${ratio(baseline)}`);
  });

  it('corridor suspension: payments meanwhile are rejected corridor_suspended, and it resumes', () => {
    const { result } = run(
      smallScenario(
        `events:\n  - { at: 6h, type: corridor_suspension, corridor: [CN, HK], by: HK, duration: 6h }`,
      ),
    );
    const suspended = result.metrics.payments.rejected.corridor_suspended ?? 0;
    assert.ok(suspended > 10, JSON.stringify(result.metrics.payments));
    assert.ok(result.metrics.payments.settled > suspended, 'payments settle again after it resumes');
  });

  it('bank run: the central bank redeems the bank’s CBDC, its payments wait for funds', () => {
    const { result } = run(smallScenario(`events:\n  - { at: 0s, type: bank_run, bank: CNB01, share: 1 }`));
    assert.match(result.timedEvents[0]!.outcome, /^IssueDirectly: ok$/);
    assert.ok(result.metrics.payments.queuedOnArrival > baseline.metrics.payments.queuedOnArrival + 5);
    // They settle once payments to the bank bring it funds again: later than without the run.
    assert.ok(
      Number(result.metrics.settlementTimeSeconds.mean) >
        Number(baseline.metrics.settlementTimeSeconds.mean) + 60,
    );
  });

  it('freeze: the frozen bank can neither send nor receive until the freeze is lifted', () => {
    const { result } = run(
      smallScenario(`events:\n  - { at: 0s, type: freeze, institution: HKB01, duration: 12h }`),
    );
    const rejected = result.metrics.payments.rejected;
    assert.ok(
      (rejected.sender_frozen ?? 0) > 3 && (rejected.recipient_frozen ?? 0) > 3,
      JSON.stringify(rejected),
    );
    assert.match(result.timedEvents[1]!.outcome, /UnfreezeInstitution: ok/);
  });

  it('PvP off: the payee leg settles later on its own, and Herstatt exposure appears', () => {
    const plan = smallScenario(
      `variants:\n  - { name: pvp-off, policies: { pvp: false, correspondentLag: 1h } }`,
    );
    const off = run(plan, 'pvp-off').result;
    assert.equal(baseline.metrics.herstatt.peakExposure, '0.00');
    assert.ok(Number(off.metrics.herstatt.peakExposure) > 0);
    assert.ok(Number(off.metrics.settlementTimeSeconds.p50) >= 3_600, 'the payee leg waits the lag');
    assert.equal(off.metrics.payments.settledBy.correspondent, off.metrics.payments.settled);
  });
});
