import fs from 'node:fs';
import path from 'node:path';

/** The repository (or image) root: dist/src/platform/config/../../../.. */
export const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..');

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
  /** Least severe level written to the JSON log (`silent`: nothing). */
  readonly logLevel: LogLevel;
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
  /** The node's Ed25519 key (private JWK, mode 0600), generated there on first start. */
  readonly nodeKeyFile: string;
  /** Attempts per webhook delivery before it is marked failed. */
  readonly webhookMaxAttempts: number;
  /** Wait before the first retry of a delivery, in ms; doubled for each further one. */
  readonly webhookRetryBaseMs: number;
  /** A delivery that has no response within this many ms failed (and is retried). */
  readonly webhookTimeoutMs: number;
  /** Comment line sent on an idle event stream every this many seconds. */
  readonly sseHeartbeatSeconds: number;
  /** An event stream whose unsent output exceeds this many bytes is closed (the client resumes). */
  readonly sseMaxBufferedBytes: number;
  /** The sanctions list payments are screened against, read once at start from `file`. */
  readonly sanctions: SanctionsFile;
  /** How often the payments queue is offered a settlement cycle, in ms (0 = never: manual only). */
  readonly settlementIntervalMs: number;
  /** Settlement cycles run the liquidity-saving mechanism (offsetting, cycles) after gross settlement. */
  readonly liquiditySaving: boolean;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `YB_SANCTIONS_FILE` as read: institution codes and names no payment may involve. */
export interface SanctionsFile {
  readonly file: string;
  readonly institutions: readonly string[];
  readonly names: readonly string[];
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
  if (databaseUrl !== null && (!/^postgres(ql)?:\/\//.test(databaseUrl) || !URL.canParse(databaseUrl))) {
    // The value is not echoed: it may hold a password.
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
  const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
  if (!/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/.test(host)) {
    problems.push(
      `HOST=${JSON.stringify(host)}: expected a host name or an IP address (0.0.0.0 for every interface)`,
    );
  }
  const dataDir = path.resolve(env.YB_DATA_DIR && env.YB_DATA_DIR !== '' ? env.YB_DATA_DIR : 'data');

  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    databaseSchema,
    dataDir,
    batchMaxCommands: int('YB_BATCH_MAX_COMMANDS', 2_000, 1, 100_000),
    snapshotEveryEvents: int('YB_SNAPSHOT_EVERY_EVENTS', 100_000, 0, 1_000_000_000),
    expiryIntervalMs: int('YB_EXPIRY_INTERVAL_MS', 1_000, 0, 3_600_000),
    transferCacheSize: int('YB_TRANSFER_CACHE_SIZE', 100_000, 1, 100_000_000),
    leaseMode: oneOf('YB_LEASE_MODE', 'wait', ['wait', 'refuse'] as const),
    // LOG_LEVEL is the name this setting had before YB_LOG_LEVEL; still read so old setups keep working.
    logLevel:
      env.YB_LOG_LEVEL === undefined || env.YB_LOG_LEVEL === ''
        ? oneOf('LOG_LEVEL', 'info', LOG_LEVELS)
        : oneOf('YB_LOG_LEVEL', 'info', LOG_LEVELS),
    signatureMaxAgeSeconds: int('YB_SIGNATURE_MAX_AGE_SECONDS', 300, 1, 86_400),
    signatureMaxSkewSeconds: int('YB_SIGNATURE_MAX_SKEW_SECONDS', 30, 0, 3_600),
    operatorId,
    operatorPublicKey,
    keysFile: path.resolve(
      env.YB_KEYS_FILE && env.YB_KEYS_FILE !== '' ? env.YB_KEYS_FILE : path.join(dataDir, 'keys.json'),
    ),
    quoteTtlSeconds: int('YB_QUOTE_TTL_SECONDS', 30, 1, 3_600),
    demoNetwork: oneOf('YB_DEMO', 'on', ['on', 'off'] as const) === 'on',
    nodeKeyFile: path.resolve(
      env.YB_NODE_KEY_FILE && env.YB_NODE_KEY_FILE !== ''
        ? env.YB_NODE_KEY_FILE
        : path.join(dataDir, 'node-key.json'),
    ),
    webhookMaxAttempts: int('YB_WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
    webhookRetryBaseMs: int('YB_WEBHOOK_RETRY_BASE_MS', 1_000, 1, 3_600_000),
    webhookTimeoutMs: int('YB_WEBHOOK_TIMEOUT_MS', 5_000, 100, 600_000),
    sseHeartbeatSeconds: int('YB_SSE_HEARTBEAT_SECONDS', 15, 1, 3_600),
    sseMaxBufferedBytes: int('YB_SSE_MAX_BUFFERED_BYTES', 1_048_576, 1_024, 1_073_741_824),
    sanctions: readSanctionsFile(
      path.resolve(
        REPO_ROOT,
        env.YB_SANCTIONS_FILE && env.YB_SANCTIONS_FILE !== ''
          ? env.YB_SANCTIONS_FILE
          : path.join('config', 'sanctions.json'),
      ),
      problems,
    ),
    settlementIntervalMs: int('YB_SETTLEMENT_INTERVAL_MS', 1_000, 0, 3_600_000),
    liquiditySaving: oneOf('YB_LIQUIDITY_SAVING', 'on', ['on', 'off'] as const) === 'on',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The sanctions list file: `{ "institutions": [codes], "names": [names], "note"?: text }`. A file
 * that is missing or not of that shape stops the start: screening against nothing by accident
 * would let every payment through.
 */
function readSanctionsFile(file: string, problems: string[]): SanctionsFile {
  const empty: SanctionsFile = { file, institutions: [], names: [] };
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    problems.push(`YB_SANCTIONS_FILE=${JSON.stringify(file)}: cannot be read as JSON (${reason})`);
    return empty;
  }
  const o = data as Record<string, unknown>;
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() !== '');
  if (
    data === null ||
    typeof data !== 'object' ||
    Array.isArray(data) ||
    Object.keys(o).some((k) => !['institutions', 'names', 'note'].includes(k)) ||
    (o.institutions !== undefined && !strings(o.institutions)) ||
    (o.names !== undefined && !strings(o.names)) ||
    (o.note !== undefined && typeof o.note !== 'string')
  ) {
    problems.push(
      `YB_SANCTIONS_FILE=${JSON.stringify(file)}: expected { "institutions": [non-empty strings], "names": [non-empty strings], "note"?: string }`,
    );
    return empty;
  }
  return {
    file,
    institutions: (o.institutions as string[] | undefined) ?? [],
    names: (o.names as string[] | undefined) ?? [],
  };
}

export const APP_CONFIG = Symbol('AppConfig');
