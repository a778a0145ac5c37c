import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startApp, type RunningApp } from '../../src/create-app.js';
import type { Clock } from '../../src/platform/clock/clock.js';
import { loadConfig, type AppConfig } from '../../src/platform/config/config.js';
import { Database } from '../../src/platform/database/database.js';
import type { Log } from '../../src/platform/logging/log.js';
import {
  generateKeyPair,
  publicKeyToBase64url,
  signRequest,
  type Ed25519KeyPair,
} from '../../src/platform/signatures/index.js';

/** Who signs a test request: a key id and its Ed25519 secret key. */
export interface Signer {
  readonly keyId: string;
  readonly secretKey: Uint8Array;
}

/** Per request: `as` signs with that key; null sends it unsigned. Default: the operator. */
export interface RequestOptions {
  readonly as?: Signer | null;
}

/**
 * Starts the whole service for an integration test, on a database of its own:
 * - DATABASE_URL set: that PostgreSQL server, in a fresh schema `t_<random>` (YB_DB_SCHEMA),
 *   dropped again by close();
 * - otherwise: the embedded PGlite in a fresh temporary directory (YB_DATA_DIR), removed by close().
 *
 * Raw SQL (`db.query`) goes through the running app's own connection pool: with the embedded
 * database (one PostgreSQL session) a second client holding a transaction would block the app.
 * Each statement runs on its own (autocommit); never use it to open a transaction.
 */

/** Bodies are whatever JSON the service sent; tests read them loosely unless they name a type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface TestResponse<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or null for an empty body (raw text in `text`). */
  readonly body: T;
  readonly text: string;
}

export interface TestAppOptions {
  /** Extra environment for loadConfig (e.g. YB_SNAPSHOT_EVERY_EVENTS); wins over the defaults. */
  readonly env?: Record<string, string>;
  /** The service clock (e.g. a ManualClock); kept across restart(). */
  readonly clock?: Clock;
  /** Embedded only: an existing data directory to open (not removed by close()). */
  readonly embeddedDir?: string;
  /** PostgreSQL only: an existing schema to use (not dropped by close()). */
  readonly schema?: string;
  /** A JSON log to write request lines to (default: none, the tests stay quiet). */
  readonly log?: Log;
}

export interface TestDb {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The first column of the first row, e.g. `select count(*) from events` → 12n. */
  scalar(sql: string, params?: unknown[]): Promise<bigint>;
}

export interface TestApp {
  /** Base URL of the running server (changes on restart: the port is chosen anew). */
  readonly url: string;
  readonly app: RunningApp;
  readonly kind: 'postgres' | 'embedded';
  /** The environment the service was configured from (to start another instance on it). */
  readonly env: Record<string, string>;
  readonly config: AppConfig;
  readonly clock: Clock | undefined;
  readonly db: TestDb;
  /** The operator's key (registered at start as YB_OPERATOR_ID, default OPERATOR). */
  readonly operator: Signer & { readonly publicKey: Uint8Array };
  /** Signed as the operator unless `options.as` says otherwise. */
  request<T = Json>(
    method: string,
    urlPath: string,
    body?: unknown,
    headers?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<TestResponse<T>>;
  /** Closes the service and starts it again on the same database (state rebuilt from it). */
  restart(): Promise<void>;
  /** Closes the service but keeps its database; restart() starts it again. */
  stop(): Promise<void>;
  /** Stops the service and removes its database (schema or directory) unless it was given. */
  close(): Promise<void>;
}

/** The database the suite runs on: PostgreSQL at DATABASE_URL when set, else embedded. */
export function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const url = process.env.DATABASE_URL;
  return url && url !== '' ? startOnPostgres(url, options) : startOnEmbedded(options);
}

/** Always the embedded database, even when DATABASE_URL is set (CI covers both paths). */
export function startEmbeddedTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startOnEmbedded(options);
}

/** True when startTestApp uses a PostgreSQL server. */
export function usingPostgres(): boolean {
  return !!process.env.DATABASE_URL;
}

/** One operator key for the whole test process: generating one per app would only cost time. */
const OPERATOR_KEYS: Ed25519KeyPair = generateKeyPair();

function baseEnv(): Record<string, string> {
  // YB_TRANSFER_CACHE_SIZE passes through, so the whole suite can run with a tiny transfer cache.
  const cache = process.env.YB_TRANSFER_CACHE_SIZE;
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    YB_LOG_LEVEL: 'error',
    YB_OPERATOR_PUBLIC_KEY: publicKeyToBase64url(OPERATOR_KEYS.publicKey),
    YB_DEMO: 'off',
    ...(cache ? { YB_TRANSFER_CACHE_SIZE: cache } : {}),
  };
}

async function startOnPostgres(databaseUrl: string, options: TestAppOptions): Promise<TestApp> {
  const ownSchema = options.schema === undefined;
  const schema = options.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const env = { ...baseEnv(), DATABASE_URL: databaseUrl, YB_DB_SCHEMA: schema, ...options.env };
  return launch('postgres', env, options, async () => {
    if (!ownSchema) return;
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });
}

async function startOnEmbedded(options: TestAppOptions): Promise<TestApp> {
  const ownDir = options.embeddedDir === undefined;
  const dir = options.embeddedDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'yb-test-'));
  const env: Record<string, string> = { ...baseEnv(), YB_DATA_DIR: dir, ...options.env };
  delete env.DATABASE_URL;
  return launch('embedded', env, options, async () => {
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
  });
}

async function launch(
  kind: 'postgres' | 'embedded',
  env: Record<string, string>,
  options: TestAppOptions,
  cleanup: () => Promise<void>,
): Promise<TestApp> {
  const { clock, log } = options;
  const config = loadConfig(env);
  let running: RunningApp | null = null;
  try {
    running = await startApp(config, { clock, logger: false, log });
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
  let closed = false;

  const current = (): RunningApp => {
    if (running === null) throw new Error('the test app is not running');
    return running;
  };

  const db: TestDb = {
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const dataSource = current().app.get(Database).dataSource;
      return (await dataSource.query(sql, params)) as T[];
    },
    async scalar(sql: string, params: unknown[] = []): Promise<bigint> {
      const rows = await db.query<Record<string, unknown>>(sql, params);
      const value = rows[0] === undefined ? null : Object.values(rows[0])[0];
      if (value === null || value === undefined) throw new Error(`no value from: ${sql}`);
      return BigInt(value as string | number | bigint);
    },
  };

  const operator = {
    keyId: `${config.operatorId}-key-1`,
    secretKey: OPERATOR_KEYS.secretKey,
    publicKey: OPERATOR_KEYS.publicKey,
  };
  const testApp: TestApp = {
    operator,
    get url() {
      return current().url;
    },
    get app() {
      return current();
    },
    kind,
    env,
    config,
    clock,
    db,
    request: (method, urlPath, body, headers, options = {}) =>
      request(current().url, method, urlPath, body, headers, {
        signer: options.as === undefined ? operator : options.as,
        created: clock === undefined ? undefined : Number(clock.nowNs() / 1_000_000_000n),
      }),
    async restart() {
      await testApp.stop();
      running = await startApp(config, { clock, logger: false, log });
    },
    async stop() {
      const previous = running;
      running = null;
      await previous?.close();
    },
    async close() {
      if (closed) return;
      closed = true;
      const previous = running;
      running = null;
      try {
        await previous?.close();
      } finally {
        await cleanup();
      }
    },
  };
  return testApp;
}

/**
 * One HTTP request. `body`: a string is sent as is (for malformed JSON), anything else as JSON.
 * The content type is application/json unless `headers` says otherwise.
 */
export async function request<T = Json>(
  baseUrl: string,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signing: { readonly signer?: Signer | null; readonly created?: number } = {},
): Promise<TestResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...headers };
  }
  if (signing.signer) {
    const signature = signRequest({
      method,
      url: baseUrl + urlPath,
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
      keyId: signing.signer.keyId,
      secretKey: signing.signer.secretKey,
      created: signing.created,
    });
    init.headers = { ...(init.headers as Record<string, string>), ...signature };
  }
  const response = await fetch(baseUrl + urlPath, init);
  const text = await response.text();
  let parsed: unknown = null;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}
