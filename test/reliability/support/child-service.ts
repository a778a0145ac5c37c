import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Pool } from 'pg';
import { REPO_ROOT } from '../../../src/platform/config/config.js';
import { generateKeyPair, publicKeyToBase64url } from '../../../src/platform/signatures/index.js';
import {
  request,
  type Signer,
  type TestApp,
  type TestDb,
  type TestResponse,
} from '../../support/test-app.js';

/**
 * The service as an operator runs it (`node dist/src/main.js`) in a child process, on a schema of
 * its own on a PostgreSQL server, for tests that kill it (SIGKILL) and start it again on the same
 * database. It offers the part of TestApp the HTTP helpers of test/support use (`request`,
 * `operator`, `db`), so setUpNetwork, fundBankWallet and assertSupplyMatchesLedger work on it.
 */
export interface ChildService {
  readonly url: string;
  readonly schema: string;
  readonly databaseUrl: string;
  readonly operator: Signer & { readonly publicKey: Uint8Array };
  readonly db: TestDb;
  /** The environment the child runs with (to start a second instance on the same database). */
  readonly env: Record<string, string>;
  /** Signed as the operator unless `as` says otherwise. */
  request: TestApp['request'];
  /**
   * Starts the child (again); resolves once it serves, or with `untilListening` once it listens
   * (a standby listens before it serves: see whenServing).
   */
  start(extraEnv?: Record<string, string>, options?: { untilListening?: boolean }): Promise<void>;
  /** Resolves once the running child logged that it serves (a standby: after taking over). */
  whenServing(): Promise<void>;
  /** Whether the running child has logged that it serves. */
  readonly serving: boolean;
  /** SIGKILL: no drain, no goodbye. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Everything the child wrote to stderr (across restarts). */
  readonly stderr: string;
  /** Kills the child and drops the schema and the data directory. */
  close(): Promise<void>;
}

export interface ChildServiceOptions {
  readonly databaseUrl: string;
  readonly env?: Record<string, string>;
  /** An existing schema (not dropped by close()). */
  readonly schema?: string;
  /** Reuse another service's operator key and data directory (node key): a second instance. */
  readonly sharing?: ChildService;
  /** Resolve once the child listens, even as a standby that does not serve yet. */
  readonly untilListening?: boolean;
}

const MAIN = path.join(REPO_ROOT, 'dist', 'src', 'main.js');

export async function startChildService(options: ChildServiceOptions): Promise<ChildService> {
  const sharing = options.sharing as ChildServiceImpl | undefined;
  const schema = options.schema ?? sharing?.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const ownSchema = options.schema === undefined && sharing === undefined;
  const keys = sharing?.operatorKeys ?? generateKeyPair();
  const dataDir = sharing?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'yb-child-'));
  const service = new ChildServiceImpl(
    options.databaseUrl,
    schema,
    ownSchema,
    keys,
    dataDir,
    sharing === undefined,
    {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      YB_LOG_LEVEL: 'info',
      YB_DATA_DIR: dataDir,
      YB_DEMO: 'off',
      YB_OPERATOR_PUBLIC_KEY: publicKeyToBase64url(keys.publicKey),
      DATABASE_URL: options.databaseUrl,
      YB_DB_SCHEMA: schema,
      ...options.env,
    },
  );
  try {
    await service.start({}, { untilListening: options.untilListening });
  } catch (error) {
    await service.close();
    throw error;
  }
  return service;
}

class ChildServiceImpl implements ChildService {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private currentUrl: string | null = null;
  private servingNow: Promise<void> = Promise.resolve();
  serving = false;
  private pool: Pool | null = null;
  stderr = '';
  readonly operator: Signer & { readonly publicKey: Uint8Array };
  readonly db: TestDb;

  constructor(
    readonly databaseUrl: string,
    readonly schema: string,
    private readonly ownSchema: boolean,
    readonly operatorKeys: { publicKey: Uint8Array; secretKey: Uint8Array },
    readonly dataDir: string,
    private readonly ownDir: boolean,
    readonly env: Record<string, string>,
  ) {
    this.operator = { keyId: 'OPERATOR-key-1', ...operatorKeys };
    const pool = (): Pool => {
      if (this.pool === null) {
        this.pool = new Pool({ connectionString: databaseUrl, max: 4, options: `-c search_path=${schema}` });
        // A database restart (db-faults) breaks idle connections; the pool drops them by itself.
        this.pool.on('error', () => undefined);
      }
      return this.pool;
    };
    this.db = {
      async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
        return (await pool().query(sql, params)).rows as T[];
      },
      scalar: async (sql: string, params: unknown[] = []): Promise<bigint> => {
        const rows = await this.db.query<Record<string, unknown>>(sql, params);
        const value = rows[0] === undefined ? null : Object.values(rows[0])[0];
        if (value === null || value === undefined) throw new Error(`no value from: ${sql}`);
        return BigInt(value as string | number | bigint);
      },
    };
  }

  get url(): string {
    if (this.currentUrl === null) throw new Error('the child service is not running');
    return this.currentUrl;
  }

  get running(): boolean {
    return this.child !== null;
  }

  request: TestApp['request'] = (method, urlPath, body, headers, options = {}): Promise<TestResponse> =>
    request(this.url, method, urlPath, body, headers, {
      signer: options.as === undefined ? this.operator : options.as,
    });

  async start(
    extraEnv: Record<string, string> = {},
    options: { untilListening?: boolean } = {},
  ): Promise<void> {
    if (this.child !== null) throw new Error('already running');
    const child = spawn(process.execPath, [MAIN], {
      cwd: REPO_ROOT,
      env: { ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.serving = false;
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        if (this.child === child) {
          this.child = null;
          this.currentUrl = null;
        }
        resolve();
      }),
    );
    const exited = this.exited;
    let listening: (url: string) => void = () => {};
    const listeningAt = new Promise<string>((resolve) => (listening = resolve));
    this.servingNow = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not serving after 90 s; stderr: ${this.stderr.slice(-2000)}`)),
        90_000,
      );
      void exited.then(() => {
        clearTimeout(timer);
        reject(
          new Error(`exited with ${child.exitCode} before serving; stderr: ${this.stderr.slice(-2000)}`),
        );
      });
      // Every line is read (the pipe must not fill up); the first with a url says where: a
      // standby's ("standby: waiting for the writer lease", listening) or "serving on".
      createInterface({ input: child.stdout! }).on('line', (line) => {
        // Error lines (level ≥ 50) are kept for the failure messages of the tests.
        if (/"level":(5|6)0/.test(line)) this.stderr += `${line}\n`;
        const standby = line.includes('standby: waiting for the writer lease');
        if (!standby && !line.includes('serving on')) return;
        try {
          const entry = JSON.parse(line) as { url?: unknown };
          if (typeof entry.url !== 'string') return;
          listening(entry.url);
          if (standby) return;
          clearTimeout(timer);
          this.serving = true;
          resolve();
        } catch {
          // not a log line
        }
      });
    });
    this.servingNow.catch(() => undefined);
    const url = options.untilListening
      ? await Promise.race([listeningAt, this.servingNow.then(() => listeningAt)])
      : await this.servingNow.then(() => listeningAt);
    if (this.child === child) this.currentUrl = url;
  }

  whenServing(): Promise<void> {
    return this.servingNow;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    child.kill('SIGTERM');
    await this.exited;
  }

  async close(): Promise<void> {
    await this.kill();
    await this.pool?.end().catch(() => undefined);
    this.pool = null;
    if (this.ownDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
    if (!this.ownSchema) return;
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${this.schema}" cascade`);
    } finally {
      await client.end();
    }
  }
}
