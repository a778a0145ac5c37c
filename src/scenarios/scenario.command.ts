import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliError } from '../cli/cli-error.js';
import { usageError } from '../cli/cli-options.js';
import { loadScenarioFile, ScenarioInvalid } from './load-scenario.js';
import { defaultWorkers, type PoolProgress } from './replication-pool.js';
import { summaryTable } from './report-html.js';
import type { RunSpec } from './results.js';
import { ScenarioSetupFailed } from './run-replication.js';
import { runScenarios, writeOutput } from './scenario-run.js';
import type { ScenarioPlan } from './scenario.js';

export const SCENARIO_USAGE = `Usage: yuanbridge scenario run <file.yaml> [options]
       yuanbridge scenario run --compare <a.yaml> <b.yaml> [options]

Runs a scenario (scenarios/scenario.schema.json) in process on virtual time, with the service's
own deciders, and writes results.json, queue.csv, liquidity.csv and report.html.

Options:
  --out <dir>           output folder (default: out/<scenario name>)
  --replications <n>    replications per run (default: the file's)
  --seed <s>            seed (default: the file's), an integer 0..4294967295
  --variant <name>      run only this variant (repeatable; default: baseline and every variant)
  --compare             compare the baselines of two or more files (the first is the reference)
  --workers <n>         parallel worker threads (default: the number of cores)
  --target <url>        run against a live service (not yet supported)
  --database-url <url>  persist the run (not yet supported)
  -h, --help            this help`;

export async function runScenarioCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        replications: { type: 'string' },
        seed: { type: 'string' },
        variant: { type: 'string', multiple: true },
        compare: { type: 'boolean' },
        workers: { type: 'string' },
        target: { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(usageError('scenario', (error as Error).message));
  }
  const { values, positionals } = parsed;
  const [action, ...files] = positionals;
  if (values.help || action === undefined) {
    console.log(SCENARIO_USAGE);
    return values.help ? 0 : 2;
  }
  if (action !== 'run') throw new CliError(`scenario: unknown action '${action}' (run)`);
  if (values.target !== undefined)
    throw new CliError(
      'scenario: --target (running against a live service) is not yet supported; run in process without it',
    );
  if (values['database-url'] !== undefined)
    throw new CliError(
      'scenario: --database-url (persisting a run) is not yet supported; results go to --out',
    );
  const integer = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max)
      throw new CliError(`scenario: --${name} must be an integer from ${min} to ${max}, got '${text}'`);
    return Number(text);
  };
  const replications = integer('replications', values.replications, 1, 1000);
  const seed = integer('seed', values.seed, 0, 4294967295);
  const workers = integer('workers', values.workers, 1, 256) ?? defaultWorkers();
  if (files.length === 0)
    throw new CliError('scenario run: name a scenario file (see yuanbridge scenario --help)');
  if (values.compare === true ? files.length < 2 : files.length !== 1)
    throw new CliError(
      values.compare === true
        ? 'scenario run --compare: name two or more scenario files'
        : `scenario run: one scenario file, or --compare with several (got ${files.length})`,
    );

  const load = (file: string): ScenarioPlan => {
    try {
      return loadScenarioFile(file);
    } catch (error) {
      if (error instanceof ScenarioInvalid) throw new CliError(`scenario: ${error.message}`);
      throw error;
    }
  };
  const plans = files.map(load);
  let runs: RunSpec[];
  if (values.compare === true) {
    runs = plans.map((plan, i) => ({
      label: `${path.basename(files[i]!).replace(/\.(ya?ml|json)$/, '')}`,
      plan,
      variant: 'baseline',
    }));
    if (new Set(runs.map((r) => r.label)).size !== runs.length)
      runs = runs.map((r, i) => ({ ...r, label: `${i + 1}:${r.label}` }));
  } else {
    const plan = plans[0]!;
    const wanted = values.variant ?? plan.variants.map((v) => v.name);
    for (const name of wanted)
      if (!plan.variants.some((v) => v.name === name))
        throw new CliError(
          `scenario: no variant '${name}' in ${files[0]} (it has: ${plan.variants.map((v) => v.name).join(', ')})`,
        );
    runs = wanted.map((variant) => ({ label: variant, plan, variant }));
  }
  const out = values.out ?? path.join('out', plans.map((p) => p.name).join('-vs-'));
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let results;
  try {
    results = await runScenarios(runs, {
      replications,
      seed,
      workers,
      onProgress: tty ? progressBar() : undefined,
    });
  } catch (error) {
    if (error instanceof ScenarioSetupFailed) throw new CliError(`scenario: ${error.message}`, 1);
    throw error;
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
  const written = await writeOutput(out, results);
  process.stdout.write(summaryTable(results));
  const payments = results.runs.reduce(
    (s, r) => s + r.replications.reduce((t, x) => t + x.metrics.payments.received, 0),
    0,
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\n${results.runs.length} run(s) × ${results.runs[0]!.replications.length} replication(s), ${payments} payments simulated in ${seconds.toFixed(1)} s; written: ${written.join(', ')}`,
  );
  return 0;
}

/** A one-line progress bar on stderr, redrawn at most ten times a second. */
function progressBar(): (p: PoolProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.finished < p.total) return;
    last = now;
    const width = 30;
    const filled = Math.round(p.fraction * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(p.fraction * 100).toFixed(0).padStart(3)}%  ${p.finished}/${p.total} replications`,
    );
  };
}
