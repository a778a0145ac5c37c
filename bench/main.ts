import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { runLedgerBench } from './ledger.bench.js';
import { runRestartBench } from './restart.bench.js';
import { runSignaturesBench } from './signatures.bench.js';
import { runPaymentsBench } from './payments.bench.js';
import { runAuditBench } from './audit.bench.js';
import { runScenarioBench } from './scenario.bench.js';
import { databaseUrl, redactedUrl, serverSettings, serverVersion } from './support/db.js';
import { ybEnvironment } from './support/app.js';
import { codeVersion, commandLine, distBuiltAt, machineInfo, writeResults } from './support/results.js';

/**
 * `npm run bench [-- name...]`: runs the named benchmarks (all when none is named), one after the
 * other (never in parallel: they would measure each other), prints each one's table and writes
 * bench/results/<name>-<timestamp>.json.
 *
 * Several named: each runs in a process of its own, as it would when named alone. In one process
 * a benchmark inherited the heap the ones before it left (the ledger's transfers, the payments
 * server's state): the scenario engine measured 48,754 payments/s and 1,147 MiB peak RSS after
 * ledger and payments in the same process, 82,507/s and 276 MiB alone, minutes apart; and a
 * process's peak RSS is the largest of all its benchmarks'.
 */
const BENCHMARKS: Record<string, (url: string) => Promise<Record<string, unknown>>> = {
  ledger: runLedgerBench,
  restart: runRestartBench,
  signatures: runSignaturesBench,
  payments: runPaymentsBench,
  audit: runAuditBench,
  scenario: runScenarioBench,
};

async function main(): Promise<number> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`,
    );
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS);
  if (selected.length > 1) return eachInItsOwnProcess(selected);
  const url = databaseUrl();
  const database = {
    url: redactedUrl(url),
    server: await serverVersion(url),
    settings: await serverSettings(url),
  };
  let failed = 0;
  for (const name of selected) {
    const startedAt = new Date();
    // Other work on the machine shows in the load average: recorded to judge a run's noise.
    const loadAtStart = os.loadavg();
    const code = codeVersion();
    const builtAt = distBuiltAt();
    console.log(`\n== ${name} (${startedAt.toISOString()}) ==`);
    try {
      const results = await BENCHMARKS[name]!(url);
      const finishedAt = new Date();
      const distRebuiltDuringRun = distBuiltAt() !== builtAt;
      if (distRebuiltDuringRun) {
        console.log(
          `\nWARNING: dist/src was rebuilt by another process during this run: the figures may mix two versions of the code; run it again.`,
        );
      }
      const file = writeResults(name, startedAt, {
        benchmark: name,
        command: commandLine(),
        argv: process.argv,
        execArgv: process.execArgv,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
        code: { ...code, distBuiltAt: new Date(builtAt).toISOString(), distRebuiltDuringRun },
        machine: { ...machineInfo(), loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg() },
        database,
        environment: ybEnvironment(),
        results,
      });
      console.log(
        `\n${name}: ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(0)} s; results in ${file}`,
      );
    } catch (error) {
      failed++;
      console.error(`\n${name} FAILED: ${(error as Error)?.stack ?? String(error)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/** Runs `node <this file> <name>` per benchmark, with this process's Node flags and options. */
function eachInItsOwnProcess(selected: readonly string[]): number {
  const options = process.argv.slice(2).filter((a) => a.startsWith('-'));
  let failed = 0;
  for (const name of selected) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, name, ...options], {
      stdio: 'inherit',
    });
    if (child.status !== 0) {
      failed++;
      if (child.status === null)
        console.error(`\n${name}: its process ended by ${child.signal ?? 'an error'}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

// Exit explicitly: a benchmark must not hang on a stray keep-alive socket or timer.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
