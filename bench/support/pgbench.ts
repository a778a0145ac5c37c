import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countRows, withClient } from './db.js';
import { Rng } from './generate.js';

/**
 * The database's own limits, measured with pgbench on the same server in the same run
 * (docs: /work/shared/design/performance.md). The machine is noisy, so the project's figures
 * are reported as ratios to these, never as bare numbers.
 */

export interface PgbenchRun {
  readonly label: string;
  readonly script: string;
  readonly clients: number;
  readonly jobs: number;
  readonly seconds: number;
  readonly transactions: number;
  readonly tps: number;
  readonly latencyMsAverage: number | null;
  /** Rows the script inserts per transaction; rows/s = tps × rowsPerTransaction. */
  readonly rowsPerTransaction: number;
  readonly rowsPerSecond: number;
  /** Rows found in the table afterwards: must equal transactions × rowsPerTransaction. */
  readonly rowsVerified: number;
}

function pgbenchBinary(): string {
  if (process.env.PGBENCH) return process.env.PGBENCH;
  return fs.existsSync('/usr/bin/pgbench') ? '/usr/bin/pgbench' : 'pgbench';
}

/** pgbench takes libpq options, not a URL with every client; split the URL into them. */
function connectionArgs(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const args = [
    '-h',
    u.hostname || '127.0.0.1',
    '-p',
    u.port || '5432',
    '-U',
    decodeURIComponent(u.username || 'postgres'),
  ];
  const env = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  return { args: [...args, decodeURIComponent(u.pathname.slice(1) || 'postgres')], env };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}:\n${out}`)),
    );
  });
}

function number(output: string, pattern: RegExp): number | null {
  const m = pattern.exec(output);
  return m ? Number(m[1]) : null;
}

/** Rows per transaction of the batched references. */
export const PGBENCH_BATCH_ROWS = 1_000;

/**
 * The client-sent reference's 1,000 rows: transfer-shaped (id, debit and credit account ids,
 * amount, currency, code, flags, timestamp; ~150 bytes of SQL text per row), seeded so every run
 * sends the same bytes. Written into the script as one multi-row VALUES list, so pgbench sends
 * all of them from the client in every transaction, as the service's writer must.
 */
function clientSentInsert(table: string, seed: number): string {
  const rng = new Rng(seed);
  const rows: string[] = [];
  for (let i = 0; i < PGBENCH_BATCH_ROWS; i++) {
    rows.push(
      `('${rng.uuid()}','${rng.uuid()}','${rng.uuid()}',${1 + rng.below(1_000)},'CNY',1,0,${1_795_000_000_000_000_000n + BigInt(i)})`,
    );
  }
  return (
    `insert into ${table} (id, debit_account_id, credit_account_id, amount, currency, code, flags, timestamp) values\n` +
    `${rows.join(',\n')};\n`
  );
}

/**
 * A throw-away schema holding the reference tables. Plain heap tables without indexes, as in the
 * design notes' measurements: the reference is the database's raw write path.
 */
export class PgbenchReference {
  readonly schema = `bench_pgbench_${process.pid}`;
  readonly batchTable = `${this.schema}.bench_pgbench_rows`;
  readonly sentTable = `${this.schema}.bench_pgbench_sent`;
  readonly singleTable = `${this.schema}.bench_pgbench_single`;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-pgbench-'));

  constructor(private readonly url: string) {}

  async setUp(): Promise<void> {
    await withClient(this.url, async (c) => {
      await c.query(`drop schema if exists ${this.schema} cascade`);
      await c.query(`create schema ${this.schema}`);
      for (const table of [this.batchTable, this.singleTable]) {
        await c.query(`create table ${table} (id bigint, a bigint, b bigint, amount bigint, ts timestamptz)`);
      }
      await c.query(
        `create table ${this.sentTable} (id uuid, debit_account_id uuid, credit_account_id uuid, amount bigint,
           currency text, code integer, flags integer, timestamp bigint)`,
      );
    });
  }

  async tearDown(): Promise<void> {
    await withClient(this.url, (c) => c.query(`drop schema if exists ${this.schema} cascade`));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * 1,000-row INSERT per transaction, the rows sent by the client (a multi-row VALUES list of
   * transfer-shaped rows generated into the script): the database's batched write limit, as
   * /work/shared/design/performance.md describes it. The ratio targets are measured against this.
   */
  clientSent(label: string, seconds: number, clients = 2, seed = 20_240_601): Promise<PgbenchRun> {
    return this.run(
      label,
      this.sentTable,
      clientSentInsert(this.sentTable, seed),
      PGBENCH_BATCH_ROWS,
      clients,
      seconds,
    );
  }

  /**
   * 1,000-row INSERT per transaction with the rows generated on the server (generate_series of
   * five narrow columns): nothing travels from the client and little is parsed, so this is an
   * upper bound of the database's write path, not a like-for-like reference. Reported beside the
   * client-sent one for comparison only.
   */
  serverGenerated(label: string, seconds: number, clients = 2): Promise<PgbenchRun> {
    return this.run(
      label,
      this.batchTable,
      `insert into ${this.batchTable} select g, g, g, g, now() from generate_series(1,${PGBENCH_BATCH_ROWS}) g;\n`,
      PGBENCH_BATCH_ROWS,
      clients,
      seconds,
    );
  }

  /** One single-row INSERT per commit, 32 clients: the database's per-commit limit. */
  singleInsert(label: string, seconds: number, clients = 32): Promise<PgbenchRun> {
    return this.run(
      label,
      this.singleTable,
      `insert into ${this.singleTable} values (1,1,1,1,now());\n`,
      1,
      clients,
      seconds,
    );
  }

  private async run(
    label: string,
    table: string,
    script: string,
    rowsPerTransaction: number,
    clients: number,
    seconds: number,
  ): Promise<PgbenchRun> {
    // Each run starts from an empty table, as the ledger's tables do.
    await withClient(this.url, (c) => c.query(`truncate ${table}`));
    const file = path.join(this.dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.sql`);
    fs.writeFileSync(file, script);
    const jobs = Math.min(clients, 2);
    const { args, env } = connectionArgs(this.url);
    // -n: no vacuum of pgbench's own tables (we use none); -j 2: one thread per core.
    const output = await run(
      pgbenchBinary(),
      ['-n', '-c', String(clients), '-j', String(jobs), '-T', String(seconds), '-f', file, ...args],
      env,
    );
    const transactions = number(output, /number of transactions actually processed: (\d+)/);
    const tps = number(output, /tps = ([0-9.]+) \(without initial connection time\)/);
    if (transactions === null || tps === null) throw new Error(`could not read pgbench's output:\n${output}`);
    const rowsVerified = await countRows(this.url, `select count(*) from ${table}`);
    if (rowsVerified !== transactions * rowsPerTransaction) {
      throw new Error(
        `pgbench reported ${transactions} transactions but ${table} holds ${rowsVerified} rows`,
      );
    }
    return {
      label,
      // The client-sent script is ~150 KB: the result file keeps its start and its size.
      script:
        script.length > 2_000 ? `${script.slice(0, 600)}… (${script.length} bytes in all)` : script.trim(),
      clients,
      jobs,
      seconds,
      transactions,
      tps,
      latencyMsAverage: number(output, /latency average = ([0-9.]+) ms/),
      rowsPerTransaction,
      rowsPerSecond: tps * rowsPerTransaction,
      rowsVerified,
    };
  }
}
