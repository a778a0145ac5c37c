import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) with its files in a
 * directory, served over the PostgreSQL wire protocol on a Unix socket so that the service uses
 * the very same driver (pg), SQL and migrations as against a real server.
 *
 * PGlite is one PostgreSQL session: the socket server multiplexes connections onto it and holds
 * other connections' statements while a transaction is open. Code must never await a second
 * connection inside a transaction (it would wait forever).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly socketDir: string,
    private readonly lockFile: string,
  ) {}

  /** pg connection options for the socket. */
  get connection(): { host: string; port: number; username: string; database: string } {
    return { host: this.socketDir, port: 5432, username: 'postgres', database: 'postgres' };
  }

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    fs.mkdirSync(dataDir, { recursive: true });
    const lockFile = acquireDirectoryLock(dataDir);
    try {
      const db = await PGlite.create({ dataDir });
      // A short socket directory: Unix socket paths are limited to ~107 bytes.
      const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-pg-'));
      const server = new PGLiteSocketServer({
        db,
        path: path.join(socketDir, '.s.PGSQL.5432'),
        // More than one, or a pool's second connection is dropped (see stack.md).
        maxConnections: 16,
      });
      await server.start();
      return new EmbeddedPostgres(db, server, socketDir, lockFile);
    } catch (error) {
      releaseDirectoryLock(lockFile);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    fs.rmSync(this.socketDir, { recursive: true, force: true });
    releaseDirectoryLock(this.lockFile);
  }
}

/**
 * PGlite has no protection against two processes opening one data directory, which would corrupt
 * it. A lock file holding our pid refuses a second process; a stale one (dead pid) is taken over.
 */
function acquireDirectoryLock(dataDir: string): string {
  const lockFile = path.join(dataDir, 'yuanbridge.lock');
  // The pid in the file cannot tell two opens in the same process apart: remember our own.
  if (openInThisProcess.has(lockFile)) {
    throw new Error(`the embedded database in ${dataDir} is already open in this process`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      openInThisProcess.add(lockFile);
      return lockFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `the embedded database in ${dataDir} is in use by process ${holder}; stop it, or set YB_DATA_DIR to another directory`,
          { cause: error },
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock the embedded database directory ${dataDir}`);
}

const openInThisProcess = new Set<string>();

function releaseDirectoryLock(lockFile: string): void {
  openInThisProcess.delete(lockFile);
  fs.rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
