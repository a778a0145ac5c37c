import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resultsJson } from '../../src/scenarios/results.js';
import { runScenarios, writeOutput } from '../../src/scenarios/scenario-run.js';
import { smallScenario } from './small-scenario.js';

const EXTRA = `events:\n  - { at: 6h, type: provider_outage, provider: LPHK, duration: 2h }
variants:\n  - { name: pvp-off, policies: { pvp: false } }`;

describe('scenario runs are reproducible from the seed', () => {
  it('same file and seed → byte-identical results.json, whether in one thread or in workers', async () => {
    const plan = smallScenario(EXTRA, { replications: 2 });
    const runs = plan.variants.map((v) => ({ label: v.name, plan, variant: v.name }));
    const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-scen-a-'));
    const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-scen-b-'));
    try {
      await writeOutput(dirA, await runScenarios(runs, { workers: 1 }));
      await writeOutput(dirB, await runScenarios(runs, { workers: 2 }));
      const a = fs.readFileSync(path.join(dirA, 'results.json'));
      assert.ok(
        a.equals(fs.readFileSync(path.join(dirB, 'results.json'))),
        'results.json differs between two runs',
      );
      assert.ok(
        fs.readFileSync(path.join(dirA, 'queue.csv')).equals(fs.readFileSync(path.join(dirB, 'queue.csv'))),
      );
      const html = fs.readFileSync(path.join(dirA, 'report.html'), 'utf8');
      assert.equal((html.match(/<svg/g) ?? []).length, 10, 'ten charts rendered to SVG');
    } finally {
      fs.rmSync(dirA, { recursive: true, force: true });
      fs.rmSync(dirB, { recursive: true, force: true });
    }
  });

  it('another seed gives another run', async () => {
    const plan = smallScenario();
    const runs = [{ label: 'baseline', plan, variant: 'baseline' }];
    const a = resultsJson(await runScenarios(runs, { workers: 1 }));
    const b = resultsJson(await runScenarios(runs, { workers: 1, seed: 43 }));
    assert.notEqual(a, b);
  });
});
