import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { loadScenarioFile, ScenarioInvalid, scenarioSchemaPath } from '../../src/scenarios/load-scenario.js';
import { loadScenario, loadScenarioScript } from '../../src/scenarios/load-script.js';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const SCENARIOS = path.dirname(scenarioSchemaPath());
const REPO = path.dirname(SCENARIOS);
const PUBLIC_TYPES = path.join(REPO, 'dist', 'src', 'scenarios', 'public.js');

/** results.json without the source's digest (a script's text is not the YAML file's). */
function withoutDigest(file: string): unknown {
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as { runs: Array<Record<string, unknown>> };
  for (const r of results.runs) assert.match(String(r.sourceDigest), /^[0-9a-f]{64}$/);
  return { ...results, runs: results.runs.map(({ sourceDigest: _digest, ...r }) => r) };
}

/** Type-checks files with the project's compiler settings; the error messages, file by file. */
function typeErrors(files: readonly string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

describe('TypeScript scenario scripts', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-script-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('scenarios/gridlock.ts gives the same plan and byte-identical results as gridlock.yaml (through the CLI)', async () => {
    const script = loadScenario(path.join(SCENARIOS, 'gridlock.ts'));
    const yaml = loadScenarioFile(path.join(SCENARIOS, 'gridlock.yaml'));
    assert.notEqual(script.sourceDigest, yaml.sourceDigest);
    assert.deepEqual({ ...script, sourceDigest: '' }, { ...yaml, sourceDigest: '' });

    const results: Record<string, unknown> = {};
    for (const file of ['gridlock.ts', 'gridlock.yaml']) {
      const out = path.join(dir, file);
      const cli = await run(process.execPath, [
        CLI,
        'scenario',
        'run',
        path.join(SCENARIOS, file),
        '--replications',
        '2',
        '--workers',
        '2',
        '--out',
        out,
      ]);
      assert.match(cli.stdout, /2 run\(s\) × 2 replication\(s\)/);
      results[file] = withoutDigest(path.join(out, 'results.json'));
    }
    assert.deepEqual(results['gridlock.ts'], results['gridlock.yaml']);
  });

  it('a default export that is a function of the seed is called with --seed, else with its default', () => {
    const file = path.join(SCENARIOS, 'gridlock.ts');
    assert.equal(loadScenarioScript(file).seed, 7);
    assert.equal(loadScenarioScript(file, 9).seed, 9);
  });

  it('imports other .ts files of the script, and reports schema errors with their paths, syntax errors with line and column', () => {
    fs.writeFileSync(
      path.join(dir, 'parts.ts'),
      `export const HK = { code: 'HK', currency: 'HKD', centralBank: 'HKMA', midRate: '1.08' } as const;\n`,
    );
    const base = (extra: string) => `import { defineScenario } from 'yuanbridge/scenarios';
import { HK } from './parts.js';
export default defineScenario({
  name: 'two', seed: 3, duration: '1d',
  jurisdictions: [{ code: 'CN', currency: 'CNY', centralBank: 'PBOC', midRate: '1', banks: [{ id: 'CNB1', reserves: '100', issued: '100' }] },
                  { ...HK, banks: [{ id: 'HKB1', reserves: '100', issued: '100' }] }],
  corridors: [{ between: ['CN', 'HK'] }],
  workload: [{ from: 'CN', to: 'HK', perDay: ${extra}, amount: { distribution: 'fixed', value: 1 } }],
});
`;
    const good = path.join(dir, 'good.ts');
    fs.writeFileSync(good, base('5'));
    const plan = loadScenarioScript(good);
    assert.equal(plan.jurisdictions[1]!.centralBank, 'HKMA');
    assert.equal(plan.workload[0]!.perDay, 5);

    const bad = path.join(dir, 'bad.ts');
    fs.writeFileSync(bad, base('-1'));
    assert.throws(
      () => loadScenarioScript(bad),
      (e: Error) => e instanceof ScenarioInvalid && /\/workload\/0\/perDay: must be > 0/.test(e.message),
    );
    fs.writeFileSync(bad, base('5 5'));
    assert.throws(
      () => loadScenarioScript(bad),
      (e: Error) => e instanceof ScenarioInvalid && /bad\.ts: 8:\d+: ',' expected/.test(e.message),
    );
    fs.writeFileSync(bad, 'export default 42;\n');
    assert.throws(() => loadScenarioScript(bad), /the default export must be a scenario object/);
  });

  it('the types of yuanbridge/scenarios accept every bundled scenario and the example script, and reject a wrong one', () => {
    const files: string[] = [path.join(SCENARIOS, 'gridlock.ts')];
    const yamls = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));
    assert.ok(yamls.length >= 7);
    for (const yaml of yamls) {
      const document = parseYaml(fs.readFileSync(path.join(SCENARIOS, yaml), 'utf8')) as object;
      const file = path.join(dir, `${yaml}.ts`);
      fs.writeFileSync(
        file,
        `import type { ScenarioDefinition } from ${JSON.stringify(PUBLIC_TYPES)};\nexport const scenario: ScenarioDefinition = ${JSON.stringify(document, null, 1)};\n`,
      );
      files.push(file);
    }
    assert.deepEqual(typeErrors(files), []);

    const wrong = path.join(dir, 'wrong.ts');
    fs.writeFileSync(
      wrong,
      `import type { ScenarioDefinition } from ${JSON.stringify(PUBLIC_TYPES)};
export const scenario: ScenarioDefinition = { name: 'x', seed: 1, duration: '1d', jurisdictions: [], corridors: [],
  workload: [{ from: 'CN', to: 'HK', perDay: 1, amount: { distribution: 'normal', mean: 1 } }] };
`,
    );
    const errors = typeErrors([wrong]);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /wrong\.ts: .*"normal"/);
  });
});
