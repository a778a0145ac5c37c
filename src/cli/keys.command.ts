import fs from 'node:fs';
import {
  generateKeyPair,
  keyPairToJwk,
  publicKeyToBase64url,
  secretKeyToBase64url,
} from '../platform/signatures/index.js';
import { CliError } from './cli-error.js';
import { keyOf, keysFilePath, parseOptions, usageError } from './cli-options.js';

const USAGE = `Usage: yuanbridge keys <generate|show> [options]

  keys generate [--kid <key id>] [--out <file>]
      a new Ed25519 key pair: the public key in base64url (what POST /v1/institutions takes)
      and the private JWK; --out writes the JWK to a file (mode 0600) instead of printing it
  keys show --as <institution> [--keys <file>]
      the key id and public key of an institution in the keys file`;

export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { kid: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' }, keys: { type: 'string' } },
    'keys',
  );
  const [action, ...extra] = positionals;
  if (values.help || action === undefined) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new CliError(usageError('keys', `unexpected arguments: ${extra.join(' ')}`));
  switch (action) {
    case 'generate': {
      const pair = generateKeyPair();
      const jwk = keyPairToJwk(pair, values.kid);
      const output = { publicKey: publicKeyToBase64url(pair.publicKey), jwk };
      if (values.out !== undefined) {
        fs.writeFileSync(values.out, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        console.log(JSON.stringify({ publicKey: output.publicKey, written: values.out }, null, 2));
      } else {
        console.log(JSON.stringify({ ...output, secretKey: secretKeyToBase64url(pair.secretKey) }, null, 2));
      }
      return 0;
    }
    case 'show': {
      if (!values.as) throw new CliError('keys show needs --as <institution>');
      const entry = keyOf(values.as, keysFilePath(values.keys));
      console.log(
        JSON.stringify({ institution: values.as, keyId: entry.keyId, publicKey: entry.publicKey }, null, 2),
      );
      return 0;
    }
    default:
      throw new CliError(`unknown keys action '${action}' (generate, show)`);
  }
}
