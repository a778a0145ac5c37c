import { Client } from 'pg';

/**
 * Database helpers shared by the benchmarks. Every benchmark works in a schema of its own
 * (bench_<name>_<pid>), so it can run beside the tests and other benchmarks on one server and
 * always starts from empty tables; the schema is dropped when the benchmark ends.
 */

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  return url !== undefined && url !== '' ? url : DEFAULT_DATABASE_URL;
}

/** The URL without its password, for printing and for the results file. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/** A schema name unique to this process: two runs on one server never share tables. */
export function benchSchema(name: string): string {
  return `bench_${name}_${process.pid}`;
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`drop schema if exists "${schema}" cascade`));
}

/** count(*) as a number (bigint comes back as text from pg). */
export async function countRows(url: string, sql: string, params: unknown[] = []): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ count: string }>(sql, params);
    return Number(rows[0]!.count);
  });
}

export async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (c) => (await c.query<{ v: string }>('select version() as v')).rows[0]!.v);
}

/** Settings that decide how fast commits are; recorded so results from two runs can be compared. */
export async function serverSettings(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ name: string; setting: string; unit: string | null }>(
      `select name, setting, unit from pg_settings
       where name in ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size',
                      'checkpoint_timeout', 'full_page_writes', 'wal_compression', 'work_mem')
       order by name`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
  });
}
