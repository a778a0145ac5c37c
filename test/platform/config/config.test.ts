import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, REPO_ROOT } from '../../../src/platform/config/config.js';

/**
 * Every environment variable loadConfig reads: its default, a good value, and a bad value whose
 * message names the variable and says what was expected. (YB_SANCTIONS_FILE and the payments
 * settings also have sanctions-config.test.ts.)
 */
describe('configuration', () => {
  const problems = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig(env);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, `invalid configuration:\n  - ${error.problems.join('\n  - ')}`);
      return error.problems;
    }
    assert.fail(`expected a configuration error for ${JSON.stringify(env)}`);
  };

  it('starts from defaults with an empty environment (an empty value counts as unset)', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, null);
    assert.equal(config.databaseSchema, 'public');
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.batchMaxCommands, 2_000);
    assert.equal(config.snapshotEveryEvents, 100_000);
    assert.equal(config.transferCacheSize, 100_000);
    assert.equal(config.expiryIntervalMs, 1_000);
    assert.equal(config.leaseMode, 'wait');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.demoNetwork, true);
    assert.equal(config.operatorId, 'OPERATOR');
    assert.equal(config.operatorPublicKey, null);
    assert.equal(config.keysFile, path.resolve('data', 'keys.json'));
    assert.equal(config.nodeKeyFile, path.resolve('data', 'node-key.json'));
    assert.equal(config.signatureMaxAgeSeconds, 300);
    assert.equal(config.signatureMaxSkewSeconds, 30);
    assert.equal(config.quoteTtlSeconds, 30);
    assert.equal(config.webhookMaxAttempts, 8);
    assert.equal(config.webhookRetryBaseMs, 1_000);
    assert.equal(config.webhookTimeoutMs, 5_000);
    assert.equal(config.sseHeartbeatSeconds, 15);
    assert.equal(config.sseMaxBufferedBytes, 1_048_576);
    assert.deepEqual(loadConfig({ PORT: '', HOST: '', YB_LOG_LEVEL: '', YB_DEMO: '' }).port, 3000);
  });

  it('reads good values', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://u:p@db.example:5432/yb',
      YB_DB_SCHEMA: 't_abc_1',
      YB_DATA_DIR: '/tmp/yb-data',
      YB_BATCH_MAX_COMMANDS: '1',
      YB_SNAPSHOT_EVERY_EVENTS: '0',
      YB_TRANSFER_CACHE_SIZE: '5',
      YB_EXPIRY_INTERVAL_MS: '0',
      YB_LEASE_MODE: 'refuse',
      YB_LOG_LEVEL: 'silent',
      YB_DEMO: 'off',
      YB_OPERATOR_ID: 'OPS-1',
      YB_OPERATOR_PUBLIC_KEY: 'A'.repeat(43),
      YB_SIGNATURE_MAX_AGE_SECONDS: '60',
      YB_SIGNATURE_MAX_SKEW_SECONDS: '0',
      YB_QUOTE_TTL_SECONDS: '3600',
      YB_WEBHOOK_MAX_ATTEMPTS: '1',
      YB_WEBHOOK_RETRY_BASE_MS: '10',
      YB_WEBHOOK_TIMEOUT_MS: '100',
      YB_SSE_HEARTBEAT_SECONDS: '1',
      YB_SSE_MAX_BUFFERED_BYTES: '1024',
    });
    assert.equal(config.port, 0);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, 'postgresql://u:p@db.example:5432/yb');
    assert.equal(config.databaseSchema, 't_abc_1');
    assert.equal(config.dataDir, '/tmp/yb-data');
    assert.equal(config.keysFile, '/tmp/yb-data/keys.json'); // follows the data directory
    assert.equal(config.nodeKeyFile, '/tmp/yb-data/node-key.json');
    assert.equal(config.batchMaxCommands, 1);
    assert.equal(config.leaseMode, 'refuse');
    assert.equal(config.logLevel, 'silent');
    assert.equal(config.demoNetwork, false);
    assert.equal(config.operatorId, 'OPS-1');
    assert.equal(config.operatorPublicKey, 'A'.repeat(43));
    assert.equal(config.quoteTtlSeconds, 3_600);
    assert.equal(config.sseMaxBufferedBytes, 1_024);
    for (const host of ['localhost', '::', '::1', 'yuanbridge.internal', '10.0.0.7']) {
      assert.equal(loadConfig({ HOST: host }).host, host);
    }
  });

  it('takes YB_LOG_LEVEL, and LOG_LEVEL (its former name) when YB_LOG_LEVEL is unset', () => {
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) {
      assert.equal(loadConfig({ YB_LOG_LEVEL: level }).logLevel, level);
    }
    assert.equal(loadConfig({ LOG_LEVEL: 'warn' }).logLevel, 'warn');
    assert.equal(loadConfig({ LOG_LEVEL: 'warn', YB_LOG_LEVEL: 'debug' }).logLevel, 'debug');
    assert.deepEqual(problems({ YB_LOG_LEVEL: 'verbose' }), [
      'YB_LOG_LEVEL="verbose": expected one of trace, debug, info, warn, error, fatal, silent',
    ]);
    assert.deepEqual(problems({ LOG_LEVEL: 'loud' }), [
      'LOG_LEVEL="loud": expected one of trace, debug, info, warn, error, fatal, silent',
    ]);
  });

  // Each bad value, alone: exactly one problem, naming the variable, saying what is expected.
  const BAD: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['PORT', '65536', /^PORT="65536": expected an integer from 0 to 65535$/],
    ['PORT', 'http', /^PORT="http": expected an integer/],
    ['PORT', '-1', /^PORT="-1": expected an integer/],
    ['PORT', '3000.5', /^PORT="3000.5": expected an integer/],
    ['HOST', 'local host', /^HOST="local host": expected a host name or an IP address/],
    ['HOST', 'http://x', /^HOST="http:\/\/x": expected a host name/],
    ['DATABASE_URL', 'mysql://db/yb', /^DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL$/],
    ['DATABASE_URL', 'postgres://[broken', /^DATABASE_URL: expected a postgres/],
    ['YB_DB_SCHEMA', 'Public', /^YB_DB_SCHEMA="Public": expected a lowercase SQL identifier$/],
    ['YB_DB_SCHEMA', 'a;drop', /^YB_DB_SCHEMA="a;drop": expected a lowercase SQL identifier$/],
    ['YB_BATCH_MAX_COMMANDS', '0', /^YB_BATCH_MAX_COMMANDS="0": expected an integer from 1 to 100000$/],
    ['YB_SNAPSHOT_EVERY_EVENTS', '1e6', /^YB_SNAPSHOT_EVERY_EVENTS="1e6": expected an integer/],
    ['YB_TRANSFER_CACHE_SIZE', '0', /^YB_TRANSFER_CACHE_SIZE="0": expected an integer from 1/],
    [
      'YB_EXPIRY_INTERVAL_MS',
      '3600001',
      /^YB_EXPIRY_INTERVAL_MS="3600001": expected an integer from 0 to 3600000$/,
    ],
    ['YB_LEASE_MODE', 'steal', /^YB_LEASE_MODE="steal": expected one of wait, refuse$/],
    ['YB_DEMO', 'yes', /^YB_DEMO="yes": expected one of on, off$/],
    [
      'YB_OPERATOR_ID',
      'operator',
      /^YB_OPERATOR_ID="operator": expected 2-32 upper-case letters, digits or '-'$/,
    ],
    ['YB_OPERATOR_PUBLIC_KEY', 'short', /^YB_OPERATOR_PUBLIC_KEY: expected a raw 32-byte Ed25519 public key/],
    [
      'YB_SIGNATURE_MAX_AGE_SECONDS',
      '0',
      /^YB_SIGNATURE_MAX_AGE_SECONDS="0": expected an integer from 1 to 86400$/,
    ],
    ['YB_SIGNATURE_MAX_SKEW_SECONDS', '3601', /^YB_SIGNATURE_MAX_SKEW_SECONDS="3601": expected an integer/],
    ['YB_QUOTE_TTL_SECONDS', '0', /^YB_QUOTE_TTL_SECONDS="0": expected an integer from 1 to 3600$/],
    ['YB_WEBHOOK_MAX_ATTEMPTS', '101', /^YB_WEBHOOK_MAX_ATTEMPTS="101": expected an integer from 1 to 100$/],
    ['YB_WEBHOOK_RETRY_BASE_MS', '0', /^YB_WEBHOOK_RETRY_BASE_MS="0": expected an integer/],
    ['YB_WEBHOOK_TIMEOUT_MS', '99', /^YB_WEBHOOK_TIMEOUT_MS="99": expected an integer from 100 to 600000$/],
    ['YB_SSE_HEARTBEAT_SECONDS', '0', /^YB_SSE_HEARTBEAT_SECONDS="0": expected an integer/],
    ['YB_SSE_MAX_BUFFERED_BYTES', '1023', /^YB_SSE_MAX_BUFFERED_BYTES="1023": expected an integer from 1024/],
    ['YB_SETTLEMENT_INTERVAL_MS', 'soon', /^YB_SETTLEMENT_INTERVAL_MS="soon": expected an integer/],
    ['YB_LIQUIDITY_SAVING', 'true', /^YB_LIQUIDITY_SAVING="true": expected one of on, off$/],
    [
      'YB_SANCTIONS_FILE',
      'no/such/file.json',
      /^YB_SANCTIONS_FILE=".*no\/such\/file\.json": cannot be read as JSON \(no such file\)$/,
    ],
  ];
  for (const [name, value, expected] of BAD) {
    it(`refuses ${name}=${JSON.stringify(value)}`, () => {
      const found = problems({ [name]: value });
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0]!, expected);
    });
  }

  it('does not echo DATABASE_URL (it may hold a password)', () => {
    const [problem] = problems({ DATABASE_URL: 'mysql://admin:s3cret@db/yb' });
    assert.ok(!problem!.includes('s3cret'));
  });

  it('reports every bad value at once, in one error', () => {
    const found = problems({ PORT: 'x', YB_LEASE_MODE: 'x', YB_LOG_LEVEL: 'x', HOST: 'a b', YB_DEMO: 'x' });
    assert.deepEqual(found.map((p) => p.split(/[=:]/, 1)[0]).sort(), [
      'HOST',
      'PORT',
      'YB_DEMO',
      'YB_LEASE_MODE',
      'YB_LOG_LEVEL',
    ]);
  });

  it('names every variable it reads in README.md’s configuration table', () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'src', 'platform', 'config', 'config.ts'), 'utf8');
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const names = new Set(
      [...source.matchAll(/\b(?:env\.|int\(|oneOf\()'?([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!),
    );
    assert.ok(names.size >= 25, [...names].join(' '));
    for (const name of names) assert.ok(readme.includes(`\`${name}\``), `${name} is not in README.md`);
  });
});
