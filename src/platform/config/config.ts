import path from 'node:path';

/**
 * Configuration from environment variables, validated once at start. Every bad value is reported
 * with the variable's name and what was expected, all at once, and the service does not start.
 */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL URL; null selects the embedded database. */
  readonly databaseUrl: string | null;
  /** PostgreSQL schema holding every table (lets tests share one server). */
  readonly databaseSchema: string;
  /** Where the embedded database keeps its files. */
  readonly dataDir: string;
  /** Largest number of commands decided and committed together. */
  readonly batchMaxCommands: number;
  /** Take a snapshot of in-memory state every this many events (0 = never). */
  readonly snapshotEveryEvents: number;
  /**
   * How many settled transfers the ledger keeps in memory; older ones are read back from the
   * read model when a batch names them (open pending transfers always stay).
   */
  readonly transferCacheSize: number;
  /** How often pending transfers are checked for expiry, in ms (0 = never). */
  readonly expiryIntervalMs: number;
  /** What a second instance does when another holds the writer lease. */
  readonly leaseMode: 'wait' | 'refuse';
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Oldest acceptable RFC 9421 `created`, in seconds before the service clock. */
  readonly signatureMaxAgeSeconds: number;
  /** Clock skew tolerated for a `created` in the future. */
  readonly signatureMaxSkewSeconds: number;
  /** The operator institution's id. */
  readonly operatorId: string;
  /** The operator's Ed25519 public key (base64url); null: generated and kept in the keys file. */
  readonly operatorPublicKey: string | null;
  /** Where generated keys (the operator's, the demo network's) are written, mode 0600. */
  readonly keysFile: string;
  /** How long a quote holds (it also ends when a rate sheet it was made from expires). */
  readonly quoteTtlSeconds: number;
  /** Register the demo network (five central banks, their banks, regulators) on an empty log. */
  readonly demoNetwork: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return Number(raw);
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };

  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: expected a postgres:// or postgresql:// URL');
  }
  const databaseSchema = env.YB_DB_SCHEMA && env.YB_DB_SCHEMA !== '' ? env.YB_DB_SCHEMA : 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    problems.push(`YB_DB_SCHEMA=${JSON.stringify(databaseSchema)}: expected a lowercase SQL identifier`);
  }

  const operatorPublicKey =
    env.YB_OPERATOR_PUBLIC_KEY && env.YB_OPERATOR_PUBLIC_KEY !== '' ? env.YB_OPERATOR_PUBLIC_KEY : null;
  if (operatorPublicKey !== null && !/^[A-Za-z0-9_-]{43}$/.test(operatorPublicKey)) {
    problems.push(
      'YB_OPERATOR_PUBLIC_KEY: expected a raw 32-byte Ed25519 public key in base64url (43 characters)',
    );
  }
  const operatorId = env.YB_OPERATOR_ID && env.YB_OPERATOR_ID !== '' ? env.YB_OPERATOR_ID : 'OPERATOR';
  if (!/^[A-Z0-9][A-Z0-9-]{1,31}$/.test(operatorId)) {
    problems.push(
      `YB_OPERATOR_ID=${JSON.stringify(operatorId)}: expected 2-32 upper-case letters, digits or '-'`,
    );
  }
  const dataDir = path.resolve(env.YB_DATA_DIR && env.YB_DATA_DIR !== '' ? env.YB_DATA_DIR : 'data');

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1',
    databaseUrl,
    databaseSchema,
    dataDir,
    batchMaxCommands: int('YB_BATCH_MAX_COMMANDS', 2_000, 1, 100_000),
    snapshotEveryEvents: int('YB_SNAPSHOT_EVERY_EVENTS', 100_000, 0, 1_000_000_000),
    expiryIntervalMs: int('YB_EXPIRY_INTERVAL_MS', 1_000, 0, 3_600_000),
    transferCacheSize: int('YB_TRANSFER_CACHE_SIZE', 100_000, 1, 100_000_000),
    leaseMode: oneOf('YB_LEASE_MODE', 'wait', ['wait', 'refuse'] as const),
    logLevel: oneOf('LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error'] as const),
    signatureMaxAgeSeconds: int('YB_SIGNATURE_MAX_AGE_SECONDS', 300, 1, 86_400),
    signatureMaxSkewSeconds: int('YB_SIGNATURE_MAX_SKEW_SECONDS', 30, 0, 3_600),
    operatorId,
    operatorPublicKey,
    keysFile: path.resolve(
      env.YB_KEYS_FILE && env.YB_KEYS_FILE !== '' ? env.YB_KEYS_FILE : path.join(dataDir, 'keys.json'),
    ),
    quoteTtlSeconds: int('YB_QUOTE_TTL_SECONDS', 30, 1, 3_600),
    demoNetwork: oneOf('YB_DEMO', 'on', ['on', 'off'] as const) === 'on',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export const APP_CONFIG = Symbol('AppConfig');
