import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import {
  inOneSnapshot,
  verifyLog,
  type Query,
  type VerificationReport,
} from '../audit/verify/log-verifier.js';
import { checkWitness, parseWitness, witnessOf, type Witness } from '../audit/verify/witness.js';
import { keyFromBase64url, signRequest } from '../platform/signatures/index.js';
import { publicKeysOf, readNodeKeyring } from '../platform/node-key/node-keyring.js';
import type { NodeKeyLookup } from '../audit/verify/checkpoint-signature.js';
import { signerOf } from '../institutions/bootstrap/keys-file.js';
import { CliError } from './cli-error.js';
import { keyOf, keysFilePath, parseOptions, usageError } from './cli-options.js';

const USAGE = `Usage: yuanbridge audit verify [options]

Re-hashes the whole event log and checks every checkpoint's signature. Prints OK, or the first
position where a row was altered, deleted, inserted or reordered and what kind of break it is.
Exit 0 when the log verifies, 1 when it does not, 2 on a usage error.

Directly against the database (no service needed; read-only):
  --database-url <url>     PostgreSQL URL (default DATABASE_URL)
  --schema <name>          schema holding the tables (default YB_DB_SCHEMA, else public)
  --node-public-key=<b64>  the node's Ed25519 public key, base64url (from GET /v1/node-key); write
                           it with '=': a base64url key may start with '-'
  --node-key <file>        or the node key file (default YB_NODE_KEY_FILE or ./data/node-key.json):
                           its signing key and the keys it replaced (yuanbridge node-key rotate)
  --independent            recompute every hash in this process from the rows' text (slower;
                           trusts nothing the database computes, only the bytes it returns)
  --witness <file>         remember what was verified and hold the log to it next time: if the
                           file exists, the log must still reach the head recorded there with the
                           same chain value (else BROKEN: truncated, or forked); when the log
                           verifies, the file is (re)written with the head now. Catches a tail
                           cut off together with its checkpoints, which verification alone cannot

Or ask a running service (GET /v1/audit/verify, signed):
  --url <base>             service base URL
  --as <id>                institution to sign as (a regulator, central bank or the operator)
  --keys <file>            keys file (default YB_KEYS_FILE or ./data/keys.json)

  --json                   print the whole report as JSON

Example:
  npx yuanbridge audit verify --database-url postgres://postgres@127.0.0.1:5432/yuanbridge`;

export async function runAudit(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      'node-public-key': { type: 'string' },
      'node-key': { type: 'string' },
      url: { type: 'string' },
      as: { type: 'string' },
      keys: { type: 'string' },
      json: { type: 'boolean' },
      independent: { type: 'boolean' },
      witness: { type: 'string' },
    },
    'audit',
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    throw new CliError(usageError('audit', "expected 'audit verify'"));
  }
  if (values.witness !== undefined && values.url !== undefined) {
    throw new CliError(
      usageError(
        'audit',
        '--witness needs the database (--database-url): a scoped reader cannot read every chain value',
      ),
    );
  }
  const report = values.url !== undefined ? await viaService(values) : await viaDatabase(values);
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else if (report.ok) {
    console.log(
      `OK: ${report.eventsChecked} events re-hashed, ${report.checkpointsChecked} signed checkpoints verified, head ${report.head} (${report.durationMs} ms)`,
    );
    if (values.witness !== undefined) console.log(`witness ${values.witness as string}: head ${report.head}`);
  } else {
    const b = report.firstBreak!;
    console.log(`BROKEN at position ${b.position}: ${b.kind}: ${b.detail}`);
  }
  return report.ok ? 0 : 1;
}

async function viaDatabase(
  values: Record<string, string | boolean | undefined>,
): Promise<VerificationReport> {
  const url = (values['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url) throw new CliError('give --database-url (or DATABASE_URL), or --url to ask a running service');
  const nodeKeys = nodeKeyLookup(values);
  const schema = (values.schema as string | undefined) ?? process.env.YB_DB_SCHEMA;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new CliError(`--schema must be a plain lowercase identifier, got '${schema}'`);
  }
  const witness = values.witness === undefined ? null : witnessFile(values.witness as string);
  // Two connections: the server recomputes hashes on two cores (one is enough --independent).
  const clients = [0, 1].map(() => new Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
  } catch (error) {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    throw new CliError(`cannot connect to the database: ${(error as Error).message}`, 1);
  }
  try {
    const connections: Query[] = clients.map((c) => async (sql, params) => (await c.query(sql, params)).rows);
    // Read-only, and one consistent view of the log while it is read page by page.
    return await inOneSnapshot(connections, async () => {
      if (schema !== undefined)
        for (const query of connections) await query(`set local search_path to ${schema}`);
      const report = await verifyLog(connections, nodeKeys, {
        independent: values.independent === true,
      });
      return witness === null ? report : witness.check(connections[0]!, report);
    });
  } catch (error) {
    throw new CliError(`cannot read the log: ${(error as Error).message}`, 1);
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

/**
 * The witness file (witness.ts): read before the verification, checked in the same snapshot,
 * rewritten (atomically) only when the log verifies and extends it.
 */
function witnessFile(file: string) {
  const resolved = path.resolve(file);
  let earlier: Witness | null = null;
  if (fs.existsSync(resolved)) {
    try {
      earlier = parseWitness(fs.readFileSync(resolved, 'utf8'));
    } catch (error) {
      throw new CliError(`--witness ${resolved}: ${(error as Error).message}`);
    }
  }
  return {
    async check(query: Query, report: VerificationReport): Promise<VerificationReport> {
      const checked = earlier === null ? report : await checkWitness(query, report, earlier);
      if (checked.ok) {
        const now = await witnessOf(query, checked, new Date());
        const temporary = `${resolved}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, `${JSON.stringify(now, null, 2)}\n`);
        fs.renameSync(temporary, resolved);
      }
      return checked;
    },
  };
}

/**
 * The node's public keys by key id: from the node key file, the signing key and those it replaced
 * (their endorsements checked as the file is read); or the one key given inline, for any key id
 * (a checkpoint signed by another key then fails its signature check).
 */
function nodeKeyLookup(values: Record<string, string | boolean | undefined>): NodeKeyLookup {
  const inline = values['node-public-key'] as string | undefined;
  if (inline !== undefined) {
    try {
      const key = keyFromBase64url(inline, 'node public key');
      return () => key;
    } catch (error) {
      throw new CliError(`--node-public-key: ${(error as Error).message}`);
    }
  }
  const file = path.resolve(
    (values['node-key'] as string | undefined) ??
      process.env.YB_NODE_KEY_FILE ??
      path.join(process.env.YB_DATA_DIR || 'data', 'node-key.json'),
  );
  if (!fs.existsSync(file)) {
    throw new CliError(
      `no node key at ${file}: pass --node-public-key (GET /v1/node-key) or --node-key <file>`,
    );
  }
  try {
    const keys = publicKeysOf(readNodeKeyring(file));
    return (keyId) => keys.get(keyId) ?? null;
  } catch (error) {
    throw new CliError(`cannot read the node key ${file}: ${(error as Error).message}`);
  }
}

async function viaService(values: Record<string, string | boolean | undefined>): Promise<VerificationReport> {
  if (!values.as) throw new CliError('--as <institution> is required with --url');
  const base = (values.url as string).replace(/\/$/, '');
  const url = `${base}/v1/audit/verify`;
  const signer = signerOf(keyOf(values.as as string, keysFilePath(values.keys as string | undefined)));
  const headers = signRequest({
    method: 'GET',
    url,
    headers: {},
    keyId: signer.keyId,
    secretKey: signer.secretKey,
  });
  let response: Response;
  try {
    response = await fetch(url, { headers: { ...headers } });
  } catch (error) {
    throw new CliError(
      `cannot reach ${base}: ${((error as Error).cause as Error)?.message ?? (error as Error).message}`,
      1,
    );
  }
  const body = (await response.json().catch(() => null)) as VerificationReport | { detail?: string } | null;
  if (!response.ok) {
    throw new CliError(
      `${response.status}: ${(body as { detail?: string } | null)?.detail ?? response.statusText}`,
      1,
    );
  }
  return body as VerificationReport;
}
