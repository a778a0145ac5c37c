import { startApp, type RunningApp } from '../../src/create-app.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { generateKeyPair, publicKeyToBase64url } from '../../src/platform/signatures/index.js';

/**
 * One operator key per bench process and no demo network, for every app a benchmark starts (in
 * process or as a child): the log holds exactly what the benchmark wrote, and a restarted
 * service registers nothing new. Nothing is written to a keys file.
 */
export const BENCH_OPERATOR = generateKeyPair();
export const BENCH_ENV: Readonly<Record<string, string>> = {
  YB_DEMO: 'off',
  YB_OPERATOR_PUBLIC_KEY: publicKeyToBase64url(BENCH_OPERATOR.publicKey),
};

/**
 * Starts the real service in this process, on its own schema, with everything that would add
 * background work to a measurement switched off: no expiry timer, no periodic snapshots (unless
 * a benchmark asks for them through `env`), no logger, a port chosen by the OS.
 */
export async function startBenchApp(
  url: string,
  schema: string,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  return startApp(
    loadConfig({
      ...process.env,
      DATABASE_URL: url,
      YB_DB_SCHEMA: schema,
      PORT: '0',
      YB_EXPIRY_INTERVAL_MS: '0',
      YB_SNAPSHOT_EVERY_EVENTS: '0',
      ...BENCH_ENV,
      ...env,
    }),
    { logger: false },
  );
}

/** The YB_* variables in force, recorded with the results (they change what is measured). */
export function ybEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => k.startsWith('YB_') && v !== undefined),
  ) as Record<string, string>;
}
