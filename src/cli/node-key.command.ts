import fs from 'node:fs';
import path from 'node:path';
import { publicKeyToBase64url } from '../platform/signatures/index.js';
import { readNodeKeyring, rotateNodeKeyFile, type NodeKeyring } from '../platform/node-key/node-keyring.js';
import { CliError } from './cli-error.js';
import { parseOptions, usageError } from './cli-options.js';

const USAGE = `Usage: yuanbridge node-key <show|rotate> [--file <node key file>]

The node key signs the audit trail's checkpoints and the webhook deliveries.

  node-key show     the signing key's id and public key, and the keys it replaced
  node-key rotate   a new signing key: the current one is retired, endorsing the new one (it
                    signs the new key's id and public key), and kept in the file, public half
                    only, so what it signed stays verifiable. The service signs with the new key
                    from its next start; restart it (a standby too) after rotating.

  --file <file>     the node key file (default YB_NODE_KEY_FILE, else <YB_DATA_DIR or ./data>/node-key.json)`;

export async function runNodeKey(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { file: { type: 'string' } }, 'node-key');
  const [action, ...extra] = positionals;
  if (values.help || action === undefined) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0)
    throw new CliError(usageError('node-key', `unexpected arguments: ${extra.join(' ')}`));
  const file = path.resolve(
    values.file ??
      process.env.YB_NODE_KEY_FILE ??
      path.join(process.env.YB_DATA_DIR || 'data', 'node-key.json'),
  );
  if (!fs.existsSync(file))
    throw new CliError(`no node key at ${file} (the service creates it on its first start; or pass --file)`);
  switch (action) {
    case 'show':
      console.log(JSON.stringify(describe(read(file)), null, 2));
      return 0;
    case 'rotate': {
      read(file); // a file that does not read (or whose endorsements break) is not rotated
      const rotated = rotateNodeKeyFile(file, new Date());
      console.log(JSON.stringify({ rotated: file, ...describe(rotated) }, null, 2));
      return 0;
    }
    default:
      throw new CliError(`unknown node-key action '${action}' (show, rotate)`);
  }
}

function read(file: string): NodeKeyring {
  try {
    return readNodeKeyring(file);
  } catch (error) {
    throw new CliError(`cannot read the node key ${file}: ${(error as Error).message}`);
  }
}

function describe(ring: NodeKeyring) {
  return {
    keyId: ring.keyId,
    publicKey: publicKeyToBase64url(ring.pair.publicKey),
    retired: ring.retired.map((k) => ({
      keyId: k.keyId,
      publicKey: publicKeyToBase64url(k.publicKey),
      retiredAt: k.retiredAt,
      successor: k.successor,
    })),
  };
}
