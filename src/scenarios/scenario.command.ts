import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliError } from '../cli/cli-error.js';
import { usageError } from '../cli/cli-options.js';
import { durationSeconds as durationSeconds_, ScenarioInvalid } from './load-scenario.js';
import { loadScenario } from './load-script.js';
import { defaultWorkers, type PoolProgress } from './replication-pool.js';
import { summaryTable } from './report-html.js';
import type { RunSpec } from './results.js';
import { ScenarioSetupFailed } from './run-replication.js';
import { runScenarios, writeOutput } from './scenario-run.js';
import type { ScenarioPlan } from './scenario.js';
import { checkPersistable, PersistDiverged, PersistRefused, persistRun } from './persist-run.js';
import { runAgainstTarget, TargetRunRefused, targetSummaryTable, writeTargetOutput } from './target-run.js';

export const SCENARIO_USAGE = `Usage: yuanbridge scenario run <file.yaml|file.ts> [options]
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
  --target <url>        send the workload to a live service instead (see below)
  --keys <file>         with --target: the keys file holding the paying banks' keys (data/keys.json)
  --duration <d>        with --target: wall time of the run, e.g. 60s, 5m (default 60s)
  --speed <x>           with --target: virtual seconds per wall second (default: the file's
                        duration over --duration)
  --concurrency <n>     with --target: requests in flight at most (default 16)
  --database-url <url>  also persist the first run's replication 0 (the baseline, or the first
                        --variant) into that PostgreSQL database, as the service writes it
  --schema <name>       with --database-url: the schema (default YB_DB_SCHEMA, else public)
  --node-key <file>     with --database-url: the node key signing the checkpoints (default: the
                        service's, YB_NODE_KEY_FILE or <YB_DATA_DIR or ./data>/node-key.json)
  -h, --help            this help

With --target, the file's workload generators (corridors, arrival rates, daily profiles, amounts)
are sent as signed payments (POST /v1/payments through the SDK) to a service whose network
already exists; the paying banks must be in the keys file. Virtual time is compressed by --speed.
Writes results.json (counts by status, reason and corridor; latency; achieved rate). The same seed
sends the same payments, with the same idempotency keys. The timed events are sent at their
scaled times by the institutions that cause them (corridor suspension and resumption, freeze,
provider outage: its rate sheets withdrawn, FX shock: sheets republished at the moved rate, bank
run: a redemption), so their signers must be in the keys file too; queueOrder and expiresIn go
with each payment; what a live service cannot be given (pvp: false, liquiditySaving,
settlementInterval, variants) is listed in results.json and on the terminal.

With --database-url, the persisted run's events, audit seal and read models are written by the
service's own sequencer, on the virtual clock: 'yuanbridge audit verify' then checks them, and
the service started on that database serves them. The scenario institutions' keys (from the
file's seed) are written to <out>/keys.json. Refused before simulating: a log that already holds
events, a run with pvp: false. Start the service on it with YB_DEMO=off.

The file may also be a TypeScript script (.ts) whose default export is a scenario, or a
function of the seed returning one, built with defineScenario from 'yuanbridge/scenarios'.
See docs/scenarios.md.`;

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
        keys: { type: 'string' },
        duration: { type: 'string' },
        speed: { type: 'string' },
        concurrency: { type: 'string' },
        'database-url': { type: 'string' },
        schema: { type: 'string' },
        'node-key': { type: 'string' },
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
  const persistOnly = (['schema', 'node-key'] as const).filter((name) => values[name] !== undefined);
  if (values['database-url'] === undefined && persistOnly.length > 0)
    throw new CliError(`scenario: --${persistOnly[0]} goes with --database-url`);
  if (values['database-url'] !== undefined) {
    if (!/^postgres(ql)?:\/\/./.test(values['database-url']))
      throw new CliError('scenario: --database-url must be a postgres:// or postgresql:// URL');
    if (values.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(values.schema))
      throw new CliError(`scenario: --schema must be a plain lowercase identifier, got '${values.schema}'`);
    for (const name of ['target', 'compare'] as const)
      if (values[name] !== undefined)
        throw new CliError(`scenario: --database-url does not go with --${name}`);
  }
  const targetOnly = (['keys', 'duration', 'speed', 'concurrency'] as const).filter(
    (name) => values[name] !== undefined,
  );
  if (values.target === undefined && targetOnly.length > 0)
    throw new CliError(`scenario: --${targetOnly[0]} goes with --target`);
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

  if (values.target !== undefined) {
    if (values.keys === undefined)
      throw new CliError(
        "scenario: --target needs --keys <file> with the paying banks' keys (e.g. data/keys.json)",
      );
    if (!/^https?:\/\/[^/]/.test(values.target))
      throw new CliError(`scenario: --target must be an http(s) URL, got '${values.target}'`);
    for (const name of ['compare', 'variant', 'replications', 'workers'] as const)
      if (values[name] !== undefined) throw new CliError(`scenario: --${name} does not go with --target`);
  }
  const load = (file: string): ScenarioPlan => {
    try {
      return loadScenario(file, seed);
    } catch (error) {
      if (error instanceof ScenarioInvalid) throw new CliError(`scenario: ${error.message}`);
      throw error;
    }
  };
  const plans = files.map(load);
  if (values.target !== undefined)
    return runTarget(plans[0]!, values.target, values.keys!, {
      seed,
      out: values.out,
      duration: values.duration,
      speed: values.speed,
      concurrency: integer('concurrency', values.concurrency, 1, 1024),
    });
  let runs: RunSpec[];
  if (values.compare === true) {
    runs = plans.map((plan, i) => ({
      label: `${path.basename(files[i]!).replace(/\.(ya?ml|json|[mc]?ts)$/, '')}`,
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
  if (values['database-url'] !== undefined) {
    try {
      await checkPersistable(runs[0]!.plan, {
        databaseUrl: values['database-url'],
        schema: values.schema,
        variant: runs[0]!.variant,
      });
    } catch (error) {
      if (error instanceof PersistRefused)
        throw new CliError(`scenario: --database-url: ${error.message}`, 1);
      throw error;
    }
  }
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
  if (values['database-url'] !== undefined)
    await persist(runs[0]!, values['database-url'], out, {
      seed,
      schema: values.schema,
      nodeKey: values['node-key'],
    });
  return 0;
}

/** --database-url: the first run's replication 0 written through the service's sequencer. */
async function persist(
  run: RunSpec,
  databaseUrl: string,
  out: string,
  o: { seed?: number; schema?: string; nodeKey?: string },
): Promise<void> {
  const keysFile = path.join(out, 'keys.json');
  const started = Date.now();
  let report;
  try {
    report = await persistRun(run.plan, {
      databaseUrl,
      schema: o.schema,
      nodeKeyFile: o.nodeKey,
      keysFile,
      seed: o.seed,
      variant: run.variant,
    });
  } catch (error) {
    if (error instanceof PersistRefused || error instanceof PersistDiverged)
      throw new CliError(`scenario: --database-url: ${error.message}`, 1);
    throw error;
  }
  const schema = o.schema !== undefined ? ` --schema ${o.schema}` : '';
  console.log(
    `persisted run '${report.variant}', replication ${report.replication} (seed ${report.seed}) to schema ${report.schema}: ${report.commands} commands at ${report.instants} virtual instants, ${report.events} events (positions ${BigInt(report.fromPosition) + 1n}..${report.toPosition}) in ${((Date.now() - started) / 1000).toFixed(1)} s; the institutions' keys: ${keysFile}
check it: npx yuanbridge audit verify --database-url <url>${schema}${o.nodeKey !== undefined ? ` --node-key ${o.nodeKey}` : ''}`,
  );
}

async function runTarget(
  plan: ScenarioPlan,
  target: string,
  keysFile: string,
  o: { seed?: number; out?: string; duration?: string; speed?: string; concurrency?: number },
): Promise<number> {
  let durationSeconds: number | undefined;
  if (o.duration !== undefined) {
    if (!/^[0-9]+(\.[0-9]+)?[smhd]$/.test(o.duration) || durationSeconds_(o.duration) <= 0)
      throw new CliError(
        `scenario: --duration must be a positive duration such as 60s or 5m, got '${o.duration}'`,
      );
    durationSeconds = durationSeconds_(o.duration);
  }
  let speed: number | undefined;
  if (o.speed !== undefined) {
    speed = Number(o.speed);
    if (!/^[0-9.]+$/.test(o.speed) || !Number.isFinite(speed) || speed <= 0)
      throw new CliError(`scenario: --speed must be a positive number, got '${o.speed}'`);
  }
  const out = o.out ?? path.join('out', `${plan.name}-target`);
  let results;
  try {
    results = await runAgainstTarget(plan, {
      target,
      keysFile,
      seed: o.seed,
      durationSeconds,
      speed,
      concurrency: o.concurrency,
    });
  } catch (error) {
    if (error instanceof TargetRunRefused) throw new CliError(`scenario: ${error.message}`);
    throw error;
  }
  const written = writeTargetOutput(out, results);
  process.stdout.write(targetSummaryTable(results));
  console.log(`\n${results.instructions} payments sent to ${target}; written: ${written.join(', ')}`);
  return results.byStatus.error !== undefined ? 1 : 0;
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
