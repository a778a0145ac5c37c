import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** bench/results/ at the repository root (this file runs from dist/bench/support/). */
export const RESULTS_DIR = path.resolve(__dirname, '..', '..', '..', 'bench', 'results');

/** The command as the user typed it, as far as it can be known from inside the process. */
export function commandLine(): string {
  const args = process.argv.slice(2).join(' ');
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args ? ` -- ${args}` : ''}`;
  return [process.execPath, ...process.execArgv, ...process.argv.slice(1)].join(' ');
}

/** What a figure cannot be read without: where and how it was measured. */
export function machineInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    hostname: os.hostname(),
  };
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
export function writeResults(name: string, startedAt: Date, body: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
  fs.writeFileSync(file, JSON.stringify(body, replacer, 2) + '\n');
  return file;
}

/** The code measured: a figure belongs to a commit plus whatever was uncommitted then. */
export function codeVersion(): { commit: string; uncommitted: string[] } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: path.resolve(RESULTS_DIR, '..', '..'), encoding: 'utf8' });
  try {
    return {
      commit: git('rev-parse', 'HEAD').trim(),
      uncommitted: git('status', '--porcelain')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    };
  } catch {
    return { commit: 'unknown (no git)', uncommitted: [] };
  }
}

/**
 * Newest modification time under dist/src. The working tree is shared: another process's build
 * during a run would make the run measure two versions of the code (the restart benchmark's
 * children load dist/src/main.js minutes after the parent started), so main.ts compares this
 * before and after each benchmark and says so.
 */
export function distBuiltAt(): number {
  const root = path.resolve(__dirname, '..', '..', 'src');
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  walk(root);
  return newest;
}
