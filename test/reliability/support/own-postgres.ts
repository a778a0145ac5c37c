import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, its own port), for
 * tests that stop, restart or cut off the database: they must never touch the shared server on
 * 5432. It runs as the `postgres` OS user (the server refuses root) and is removed by destroy().
 */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

export function canRunOwnPostgres(): boolean {
  return fs.existsSync(path.join(PG_BIN, 'initdb')) && (process.getuid?.() !== 0 || hasPostgresUser());
}

function hasPostgresUser(): boolean {
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export class OwnPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<OwnPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-pg-'));
    fs.chmodSync(dir, 0o777);
    const pg = new OwnPostgres(dir, await freePort());
    pg.run('initdb', ['-D', pg.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    pg.start();
    return pg;
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  private run(tool: string, args: string[]): void {
    const command = [path.join(PG_BIN, tool), ...args];
    if (process.getuid?.() === 0)
      execFileSync('runuser', ['-u', 'postgres', '--', ...command], { stdio: 'pipe', cwd: this.dir });
    else execFileSync(command[0]!, command.slice(1), { stdio: 'pipe', cwd: this.dir });
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      path.join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=60 -c fsync=off`,
      '-w',
      'start',
    ]);
  }

  /** Fast shutdown: open connections are terminated, in-flight transactions rolled back. */
  stop(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  restart(): void {
    this.stop();
    this.start();
  }

  destroy(): void {
    try {
      this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // not running
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
