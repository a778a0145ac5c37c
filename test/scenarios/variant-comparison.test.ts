import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadScenarioFile, scenarioSchemaPath } from '../../src/scenarios/load-scenario.js';
import { runScenarios } from '../../src/scenarios/scenario-run.js';
import { pairedDifference } from '../../src/scenarios/statistics.js';

describe('variant comparison with confidence intervals', () => {
  it('gridlock: liquidity saving on settles payments net and saves liquidity; off saves none (CI excludes 0)', async () => {
    const plan = loadScenarioFile(path.join(path.dirname(scenarioSchemaPath()), 'gridlock.yaml'));
    const runs = plan.variants.map((v) => ({ label: v.name, plan, variant: v.name }));
    const results = await runScenarios(runs, { workers: 2, replications: 4 });
    const [on, off] = results.runs;
    assert.ok(Number(on!.summary['liquidity.saved']!.mean) > 0);
    assert.equal(off!.summary['liquidity.saved']!.mean, '0.0000');
    assert.equal(
      off!.summary['payments.settled']!.mean,
      '0.0000',
      'gross alone settles nothing in a gridlock',
    );
    const saved = results.comparisons[0]!.differences['liquidity.saved']!;
    assert.equal(results.comparisons[0]!.variant, 'lsm-off');
    assert.ok(saved.significant, JSON.stringify(saved));
    assert.ok(Number(saved.high) < 0, 'off − on is negative');
    assert.equal(
      results.comparisons[0]!.differences['payments.received']!.mean,
      '0.0000',
      'the same workload',
    );
  });

  it('the paired CI uses Student’s t and says when it excludes zero', () => {
    const d = pairedDifference(['10', '12', '11', '13'], ['12', '15', '13', '16']);
    assert.equal(d.mean, '2.5000');
    // sd of (2, 3, 2, 3) = 0.57735; t(3) = 3.182; half-width = 3.182 × 0.57735 / 2 = 0.9186
    assert.equal(d.ci95, '0.9186');
    assert.equal(d.significant, true);
    assert.equal(pairedDifference(['1', '2'], ['2', '1']).significant, false);
  });
});
