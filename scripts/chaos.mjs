#!/usr/bin/env node
// `npm run chaos`: the long forms of the reliability tests (docs/reliability.md).
//
// Runs dist/test/reliability/*.test.js with YB_CHAOS=long: 20 SIGKILLs under traffic, 10,000
// idempotent retries, 10,000 fuzzed requests, 5 rounds of database restarts and outages (on a
// PostgreSQL of the test's own), 200 slow clients. Each test prints one `reliability-figures {…}`
// line. Needs DATABASE_URL (default: the shared server's `test` database, which the crash and
// two-instance tests use for a schema of their own and never stop).
//
// Usage:
//   npm run chaos                      all reliability tests, long form
//   npm run chaos -- crash fuzz        only those files
//   YB_SEED=123 npm run chaos -- crash replay a seed a failure printed
// Node built-ins only.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const filters = names.length > 0 ? names.map((n) => `reliability/${n}`) : ['reliability/'];
const env = {
  ...process.env,
  YB_CHAOS: 'long',
  DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
};
const child = spawn(
  process.execPath,
  [join(repoRoot, 'scripts', 'run-tests.mjs'), '--test-timeout=3600000', ...filters],
  { cwd: repoRoot, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
