import { fork } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Concurrent keep-alive HTTP clients replaying prepared (already signed) requests, in a process of
 * their own: a bank's clients do not share the service's event loop, so neither the server's
 * throughput nor its latency should pay for the clients' work. The parent sends the requests over
 * IPC before the clock starts; the child times each request and sends the figures back.
 */

export interface PreparedRequest {
  /** Payments it carries. */
  readonly payments: number;
  readonly path: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

export interface LoadResult {
  readonly requests: number;
  /** Payments carried by all requests. */
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** `201 settled`, `200 …` per batch item, or the bare status code: how many of each. */
  readonly statuses: Record<string, number>;
  /** CPU the client process used while driving, seconds (user + system). */
  readonly clientCpuSeconds: number;
}

interface Order {
  readonly base: string;
  readonly concurrency: number;
  readonly requests: readonly PreparedRequest[];
}

/** Runs the requests from a forked client process; resolves with what it measured. */
export function driveFromClientProcess(
  base: string,
  requests: readonly PreparedRequest[],
  concurrency: number,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    let result: LoadResult | null = null;
    child.on('message', (message: LoadResult) => (result = message));
    child.on('error', reject);
    child.on('exit', (code) =>
      result !== null
        ? resolve(result)
        : reject(new Error(`the client process exited ${code} without a result`)),
    );
    const order: Order = { base, concurrency, requests };
    child.send(order);
  });
}

async function drive({ base, concurrency, requests }: Order): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(requests.length);
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  let next = 0;
  const one = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const { path, body, headers } = requests[index]!;
      const started = performance.now();
      const req = http.request(
        new URL(path, base),
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies[index] = performance.now() - started;
            // Statuses are read after the clock of this request stopped.
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 201) count(`201 ${(JSON.parse(text) as { status: string }).status}`);
            else if (res.statusCode === 200 && path.endsWith('/batch')) {
              const reply = JSON.parse(text) as {
                results: Array<{ status: number; payment: { status: string } | null }>;
              };
              for (const item of reply.results)
                count(
                  item.payment === null ? `item ${item.status}` : `${item.status} ${item.payment.status}`,
                );
            } else count(String(res.statusCode));
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < requests.length) await one(next++);
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  // Every request carries the same number of payments, so the requests' latency percentiles are
  // the payments' (a payment of a batch is answered when its batch is).
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const payments = requests.reduce((sum, r) => sum + r.payments, 0);
  return {
    requests: requests.length,
    count: payments,
    seconds,
    perSecond: payments / seconds,
    p50: at(0.5),
    p99: at(0.99),
    statuses: Object.fromEntries(statuses),
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

if (require.main === module) {
  process.once('message', (order: Order) => {
    drive(order).then(
      (result) => process.send!(result, () => process.disconnect()),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
