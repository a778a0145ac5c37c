import { spawn } from 'node:child_process';
import { BENCH_ENV } from './app.js';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getStatus } from './http.js';

/** dist/src/main.js: the service exactly as `npm start` runs it. */
export const MAIN_JS = path.resolve(__dirname, '..', '..', 'src', 'main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServingChild {
  /** Spawn → first 200 from GET /health, ms. */
  readonly msToServing: number;
  /** What the sequencer logged: the state rebuild alone (snapshot + replay), ms. */
  readonly rebuildMs: number | null;
  readonly rebuiltAtPosition: string | null;
  /** Resident memory once serving (VmRSS) and its peak so far (VmHWM), bytes. */
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  readonly health: Record<string, unknown>;
}

function statusKb(pid: number, field: string): number {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/**
 * Spawns `node dist/src/main.js` on the given schema, polls /health every 10 ms until it answers
 * 200, reads its memory from /proc, then stops it (SIGTERM, so it releases the writer lease the
 * way a deploy would; SIGKILL if it does not exit in 20 s).
 */
export async function timeChildToServing(
  url: string,
  schema: string,
  timeoutMs = 180_000,
): Promise<ServingChild> {
  const port = await freePort();
  const t0 = performance.now();
  // NO_COLOR: the child's log is kept (for the rebuild time and any error) without colour codes.
  const child = spawn(process.execPath, [MAIN_JS], {
    env: {
      ...process.env,
      ...BENCH_ENV,
      DATABASE_URL: url,
      YB_DB_SCHEMA: schema,
      PORT: String(port),
      HOST: '127.0.0.1',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  try {
    let health: { status: number; body: string } = { status: 0, body: '' };
    for (;;) {
      if (exitCode !== undefined)
        throw new Error(`the service exited (${exitCode}) before serving:\n${output}`);
      if (performance.now() - t0 > timeoutMs)
        throw new Error(`the service did not serve within ${timeoutMs} ms:\n${output}`);
      health = await getStatus(`http://127.0.0.1:${port}/health`, 2_000);
      if (health.status === 200) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const msToServing = performance.now() - t0;
    const rssBytes = statusKb(child.pid!, 'VmRSS');
    const peakRssBytes = statusKb(child.pid!, 'VmHWM');
    // eslint-disable-next-line no-control-regex
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    const rebuilt = /state rebuilt at position (\d+) in (\d+) ms/.exec(plain);
    return {
      msToServing,
      rebuildMs: rebuilt ? Number(rebuilt[2]) : null,
      rebuiltAtPosition: rebuilt ? rebuilt[1]! : null,
      rssBytes,
      peakRssBytes,
      health: JSON.parse(health.body) as Record<string, unknown>,
    };
  } finally {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  }
}
