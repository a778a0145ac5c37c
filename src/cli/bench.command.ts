import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './cli-error.js';
import { parseOptions } from './cli-options.js';

export const BENCH_USAGE = `Usage: yuanbridge bench [name...] [options]

Runs the benchmark harness (what \`npm run bench\` runs, on the compiled code in dist/): the named
benchmarks one after the other, or all of them. Each prints a table beside its reference
(pgbench, emmett, ...) measured in the same run, and writes bench/results/<name>-<time>.json.
Needs a PostgreSQL server and pgbench; see docs/benchmarks.md. Not a test: takes minutes.

Benchmarks: ledger, restart, signatures, payments, audit, scenario

Options:
  --database-url <url>  the PostgreSQL server (default DATABASE_URL, else
                        postgres://postgres@127.0.0.1:5432/test)
  -h, --help            this help

Example:
  npx yuanbridge bench ledger signatures`;

/** The compiled harness, beside this file's own compiled tree (dist/src/cli → dist/bench). */
export const BENCH_MAIN = path.join(__dirname, '..', '..', 'bench', 'main.js');

export async function runBench(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'database-url': { type: 'string' } }, 'bench');
  if (values.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  for (const name of positionals)
    if (!/^[a-z][a-z0-9-]*$/.test(name))
      throw new CliError(`bench: '${name}' is not a benchmark name (see yuanbridge bench --help)`);
  if (!fs.existsSync(BENCH_MAIN))
    throw new CliError(`bench: ${BENCH_MAIN} is missing: run npm run build first`);
  const env = { ...process.env };
  if (values['database-url'] !== undefined) env.DATABASE_URL = values['database-url'];
  // The harness checks the names itself (it owns the list) and prints its tables as it goes.
  const child = spawn(process.execPath, [BENCH_MAIN, ...positionals], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (error) =>
        reject(new CliError(`bench: cannot start the harness: ${error.message}`, 1)),
      );
      child.on('exit', (code, signal) => resolve(signal !== null ? 1 : (code ?? 1)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
