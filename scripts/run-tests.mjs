#!/usr/bin/env node
// Test runner behind `npm test` (the `pretest` script compiles with tsc first).
//
// Finds every dist/test/**/*.test.js (recursive, sorted) and runs them with Node's
// built-in runner, one file at a time: the integration tests share one database server.
//
// Usage:
//   npm test                          all compiled test files
//   npm test -- ledger                only files whose path contains "ledger"
//   npm test -- ledger settlement     files whose path contains either word
//   npm test -- --test-timeout=5000   override the per-test timeout (default 120000 ms)
//   npm test -- --test-name-pattern=x other --flags are passed through to `node --test`
//
// Uses Node built-ins only.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const DEFAULT_TIMEOUT_MS = 120_000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testRoot = join(repoRoot, 'dist', 'test');

const filters = [];
const passThrough = [];
let timeout = String(DEFAULT_TIMEOUT_MS);
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--test-timeout' && i + 1 < args.length) {
    timeout = args[++i];
  } else if (arg.startsWith('--test-timeout=')) {
    timeout = arg.slice('--test-timeout='.length);
  } else if (arg.startsWith('-')) {
    passThrough.push(arg);
  } else {
    filters.push(arg);
  }
}
if (!/^\d+$/.test(timeout)) {
  console.error(`run-tests: --test-timeout must be a number of milliseconds, got "${timeout}"`);
  process.exit(1);
}

/** Repo-relative paths (forward slashes) of all compiled test files, sorted. */
function findTestFiles() {
  if (!existsSync(testRoot)) return [];
  return readdirSync(testRoot, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => join(testRoot, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => relative(repoRoot, file).split(sep).join('/'))
    .sort();
}

const allFiles = findTestFiles();
const files = filters.length
  ? allFiles.filter((file) => filters.some((filter) => file.includes(filter)))
  : allFiles;

if (files.length === 0) {
  const where = relative(process.cwd(), testRoot) || testRoot;
  if (allFiles.length === 0) {
    console.error(
      `run-tests: no test files found: expected ${where}/**/*.test.js.\n` +
        `  Compile first (npm run build; npm test does this via "pretest") and check that test/ has *.test.ts files.`,
    );
  } else {
    console.error(
      `run-tests: none of the ${allFiles.length} test files under ${where} matches ${filters
        .map((f) => JSON.stringify(f))
        .join(' or ')}.`,
    );
  }
  process.exit(1);
}

const nodeArgs = [
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  `--test-timeout=${timeout}`,
  ...passThrough,
  ...files,
];
console.log(`run-tests: ${files.length} file(s)${filters.length ? ` matching ${filters.join(', ')}` : ''}`);

const child = spawn(process.execPath, nodeArgs, { cwd: repoRoot, stdio: 'inherit' });

// Let the child finish its own cleanup on Ctrl-C / termination, then exit with its status.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}

child.on('error', (err) => {
  console.error(`run-tests: could not start ${process.execPath}: ${err.message}`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  if (signal) {
    console.error(`run-tests: test runner was killed by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
