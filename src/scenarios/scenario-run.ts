import fs from 'node:fs';
import path from 'node:path';
import { renderCharts } from './report-charts.js';
import { reportHtml } from './report-html.js';
import { runReplications, type PoolProgress } from './replication-pool.js';
import { assembleResults, resultsJson, type RunSpec, type ScenarioResults } from './results.js';
import type { ReplicationTask } from './scenario.js';
import { timeSeriesCsv } from './time-series-csv.js';

export interface RunOptions {
  readonly replications?: number;
  readonly seed?: number;
  readonly workers: number;
  readonly onProgress?: (progress: PoolProgress) => void;
}

/** Every run × replication as a task; replication i of every run uses the same seed and streams. */
export function tasksFor(runs: readonly RunSpec[], options: RunOptions): ReplicationTask[] {
  return runs.flatMap((run) => {
    const n = options.replications ?? run.plan.replications;
    return Array.from({ length: n }, (_, replication) => ({
      plan: run.plan,
      variant: run.variant,
      replication,
      seed: options.seed ?? runs[0]!.plan.seed,
    }));
  });
}

export async function runScenarios(runs: readonly RunSpec[], options: RunOptions): Promise<ScenarioResults> {
  const tasks = tasksFor(runs, options);
  const flat = await runReplications(tasks, options.workers, options.onProgress);
  const grouped = runs.map((_, i) =>
    flat.filter((__, k) => tasks[k]!.plan === runs[i]!.plan && tasks[k]!.variant === runs[i]!.variant),
  );
  return assembleResults(runs, grouped);
}

/** The output folder: results.json, the CSV time series, report.html. */
export async function writeOutput(dir: string, results: ScenarioResults): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    written.push(path.join(dir, name));
  };
  write('results.json', resultsJson(results));
  for (const [name, content] of Object.entries(timeSeriesCsv(results))) write(name, content);
  write('report.html', reportHtml(results, await renderCharts(results)));
  return written;
}
