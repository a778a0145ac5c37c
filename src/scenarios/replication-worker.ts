import { parentPort, workerData } from 'node:worker_threads';
import { runReplication } from './run-replication.js';
import type { ReplicationTask } from './scenario.js';

/** A worker thread running one replication (replication-pool.ts starts it). */
const task = workerData as ReplicationTask;
const result = runReplication(task, { onProgress: (progress) => parentPort!.postMessage({ progress }) });
parentPort!.postMessage({ result });
