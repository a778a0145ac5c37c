import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runReplication, type ReplicationResult } from './run-replication.js';
import type { ReplicationTask } from './scenario.js';

export interface PoolProgress {
  /** Replications finished, and the share of virtual time done summed over all tasks. */
  readonly finished: number;
  readonly total: number;
  readonly fraction: number;
}

/**
 * Runs replications in parallel worker threads (one replication per task; at most `workers` at
 * once), and returns the results in task order whatever order they finish in. With one worker,
 * or one task, runs in this thread: no copying, simpler stack traces.
 */
export async function runReplications(
  tasks: readonly ReplicationTask[],
  workers: number,
  onProgress: (progress: PoolProgress) => void = () => {},
): Promise<ReplicationResult[]> {
  const results: ReplicationResult[] = new Array(tasks.length);
  const done = new Array<number>(tasks.length).fill(0);
  let finished = 0;
  const report = () =>
    onProgress({ finished, total: tasks.length, fraction: done.reduce((s, x) => s + x, 0) / tasks.length });
  const parallel = Math.max(1, Math.min(workers, tasks.length));
  if (parallel === 1) {
    for (let i = 0; i < tasks.length; i++) {
      results[i] = runReplication(tasks[i]!, {
        onProgress: (f) => {
          done[i] = f;
          report();
        },
      });
      done[i] = 1;
      finished++;
      report();
    }
    return results;
  }
  let next = 0;
  const file = path.join(__dirname, 'replication-worker.js');
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    let failed = false;
    const start = () => {
      while (!failed && running < parallel && next < tasks.length) {
        const index = next++;
        running++;
        const worker = new Worker(file, { workerData: tasks[index] });
        worker.on('message', (message: { progress?: number; result?: ReplicationResult }) => {
          if (message.progress !== undefined) {
            done[index] = message.progress;
            report();
          }
          if (message.result !== undefined) {
            results[index] = message.result;
            done[index] = 1;
            finished++;
            report();
          }
        });
        worker.on('error', (error) => {
          failed = true;
          reject(error);
        });
        worker.on('exit', (code) => {
          running--;
          if (failed) return;
          if (code !== 0 && results[index] === undefined) {
            failed = true;
            reject(new Error(`replication worker ${index} exited with code ${code}`));
            return;
          }
          if (next >= tasks.length && running === 0) resolve();
          else start();
        });
      }
    };
    start();
  });
  return results;
}

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}
