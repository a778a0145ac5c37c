import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  loadScenarioFile,
  parseScenario,
  scenarioSchemaPath,
  ScenarioInvalid,
} from '../../src/scenarios/load-scenario.js';
import { smallScenario } from './small-scenario.js';

function problemsOf(text: string): readonly string[] {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (error) {
    assert.ok(error instanceof ScenarioInvalid, String(error));
    return error.problems;
  }
  assert.fail('the scenario was accepted');
}

const VALID = fs.readFileSync(path.join(path.dirname(scenarioSchemaPath()), 'gridlock.yaml'), 'utf8');

describe('scenario files: the published schema and its errors', () => {
  it('accepts every bundled scenario', () => {
    const dir = path.dirname(scenarioSchemaPath());
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const plan = loadScenarioFile(path.join(dir, file));
      assert.ok(plan.workload.length > 0, file);
    }
  });

  it('names the path of a bad value', () => {
    const problems = problemsOf(VALID.replace('perDay: 12,', 'perDay: -3,'));
    assert.ok(
      problems.some((p) => p.startsWith('/workload/0/perDay: must be > 0')),
      problems.join('\n'),
    );
  });

  it('names an unknown property', () => {
    const problems = problemsOf(VALID.replace('seed: 7', 'seed: 7\nsede: 8'));
    assert.deepEqual(problems, ["/: must NOT have additional properties ('sede')"]);
  });

  it('reports a bad timed event by its type, not as a failed oneOf', () => {
    const problems = problemsOf(`${VALID}\nevents:\n  - { at: 1h, type: fx_shock, currency: THB }\n`);
    assert.ok(
      problems.some((p) => p.includes("/events/0: must have required property 'change'")),
      problems.join('\n'),
    );
    const unknown = problemsOf(`${VALID}\nevents:\n  - { at: 1h, type: meteor, bank: X }\n`);
    assert.deepEqual(unknown, ['/events/0/type: is not one of the known event types']);
  });

  it('checks what the schema cannot: undeclared jurisdictions, unknown banks, too many decimals', () => {
    const problems = problemsOf(
      VALID.replace('{ from: CN, to: HK, perDay: 12,', '{ from: CN, to: JP, perDay: 12,').replace(
        'reserves: "1000000", issued: "0"',
        'reserves: "1000000.001", issued: "0"',
      ),
    );
    assert.ok(
      problems.some((p) => p.startsWith('/workload/0/to: jurisdiction JP is not declared')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('has more than 2 decimals')),
      problems.join('\n'),
    );
    const event = problemsOf(`${VALID}\nevents:\n  - { at: 1h, type: provider_outage, provider: GCN01 }\n`);
    assert.deepEqual(event, ['/events/0/provider: GCN01 is not a liquidity provider in the scenario']);
  });

  it('reads money exactly into minor units and durations into seconds', () => {
    const plan = smallScenario();
    const lp = plan.jurisdictions[0]!.banks[0]!;
    assert.equal(lp.reservesMinor, 1_000_000_000n);
    assert.deepEqual(lp.liquidityProvider!.holdings, [{ currency: 'HKD', amountMinor: 200_000_000n }]);
    assert.equal(plan.durationSeconds, 86_400);
    assert.equal(plan.variants[0]!.policies.expiresInSeconds, 43_200);
  });

  it('rejects text that is not YAML', () => {
    assert.match(problemsOf('name: [unclosed')[0]!, /^not valid YAML\/JSON/);
  });
});
