import fs from 'node:fs';
import { signRequest } from '../platform/signatures/index.js';
import { signerOf } from '../institutions/bootstrap/keys-file.js';
import { CliError } from './cli-error.js';
import { keyOf, keysFilePath, parseOptions, usageError } from './cli-options.js';

const USAGE = `Usage: yuanbridge call --as <institution> <METHOD> <path> [options]

Sends one request to the service, signed with the institution's key from the keys file
(HTTP Message Signatures, RFC 9421: @method, @target-uri, content-digest, content-type).
Prints the response body; the status line goes to stderr. Exit 0 for 2xx, 1 otherwise.

Options:
  --as <id>              institution to sign as (e.g. PBOC, JADECNSH, OPERATOR)
  --data <file|->        JSON body from a file, or '-' for standard input
  --json <text>          JSON body given inline
  --idempotency-key <k>  send an Idempotency-Key header
  --url <base>           service base URL (default YB_URL or http://127.0.0.1:3000)
  --keys <file>          keys file (default YB_KEYS_FILE or ./data/keys.json)
  --unsigned             send without a signature (public routes)

Example:
  npx yuanbridge call --as OPERATOR GET /v1/institutions/PBOC`;

export async function runCall(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      as: { type: 'string' },
      data: { type: 'string' },
      json: { type: 'string' },
      'idempotency-key': { type: 'string' },
      url: { type: 'string' },
      keys: { type: 'string' },
      unsigned: { type: 'boolean' },
    },
    'call',
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [method, target, ...extra] = positionals;
  if (method === undefined || target === undefined || extra.length > 0)
    throw new CliError(usageError('call', 'expected <METHOD> <path>'));
  if (!/^[A-Za-z]+$/.test(method)) throw new CliError(`'${method}' is not an HTTP method`);
  if (!target.startsWith('/')) throw new CliError(`the path must start with '/': ${target}`);
  if (!values.unsigned && !values.as) throw new CliError('--as <institution> is required (or --unsigned)');
  if (values.data !== undefined && values.json !== undefined)
    throw new CliError('give --data or --json, not both');

  let body: string | undefined;
  if (values.json !== undefined) body = values.json;
  else if (values.data !== undefined) {
    try {
      body = fs.readFileSync(values.data === '-' ? 0 : values.data, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${values.data}: ${(error as Error).message}`);
    }
  }
  if (body !== undefined) {
    try {
      JSON.parse(body);
    } catch {
      throw new CliError('the body is not valid JSON');
    }
  }

  const base = (values.url ?? process.env.YB_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const url = base + target;
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (values['idempotency-key'] !== undefined) headers['idempotency-key'] = values['idempotency-key'];
  if (!values.unsigned) {
    const signer = signerOf(keyOf(values.as!, keysFilePath(values.keys)));
    Object.assign(
      headers,
      signRequest({
        method: method.toUpperCase(),
        url,
        headers,
        body,
        keyId: signer.keyId,
        secretKey: signer.secretKey,
      }),
    );
  }

  let response: Response;
  try {
    response = await fetch(url, { method: method.toUpperCase(), headers, body });
  } catch (error) {
    throw new CliError(
      `cannot reach ${base}: ${((error as Error).cause as Error)?.message ?? (error as Error).message}`,
      1,
    );
  }
  const text = await response.text();
  console.error(`${response.status} ${response.statusText}`);
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    if (text.length > 0) console.log(text);
  }
  return response.ok ? 0 : 1;
}
