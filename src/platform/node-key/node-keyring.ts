import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  generateKeyPair,
  keyFromBase64url,
  keyPairFromJwk,
  keyPairToJwk,
  publicKeyToBase64url,
  type Ed25519KeyPair,
} from '../signatures/index.js';

/**
 * The node key file: the node's signing key (a private Ed25519 JWK, as before rotation existed)
 * and, once it has been rotated, the public halves of the keys it replaced, each endorsed by
 * itself: a signature by the retired key over the name and public key of its successor. Old
 * checkpoints stay verifiable with the key that signed them, and an auditor who trusted a retired
 * key can follow the endorsements to the key in use without trusting anything new.
 */

export const FIRST_NODE_KEY_ID = 'yuanbridge-node-key-1';

/** A key the node no longer signs with. */
export interface RetiredNodeKey {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly retiredAt: string;
  /** The key that replaced it. */
  readonly successor: string;
  /** Ed25519 by this key over `endorsementMessage(keyId, successor, successor's public key)`. */
  readonly endorsement: Uint8Array;
}

export interface NodeKeyring {
  readonly keyId: string;
  readonly pair: Ed25519KeyPair;
  /** Oldest first. */
  readonly retired: readonly RetiredNodeKey[];
}

/** What a retired key signs when it hands over: both names and the successor's public key. */
export function endorsementMessage(
  keyId: string,
  successor: string,
  successorPublicKey: Uint8Array,
): Uint8Array {
  return new TextEncoder().encode(
    `yuanbridge node key ${keyId} is succeeded by ${successor} ${publicKeyToBase64url(successorPublicKey)}`,
  );
}

/** Every public key of the ring by key id: the signing key's and the retired ones. */
export function publicKeysOf(ring: NodeKeyring): Map<string, Uint8Array> {
  const keys = new Map(ring.retired.map((k) => [k.keyId, k.publicKey]));
  keys.set(ring.keyId, ring.pair.publicKey);
  return keys;
}

/**
 * Reads a node key file. Refuses a ring whose endorsements do not chain from the oldest key to the
 * signing key, or that names a key twice: a verifier must never accept a key the previous one
 * did not hand over to.
 */
export function readNodeKeyring(file: string): NodeKeyring {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const pair = keyPairFromJwk(json);
  const keyId = typeof json.kid === 'string' ? json.kid : FIRST_NODE_KEY_ID;
  const raw = json.retired ?? [];
  if (!Array.isArray(raw)) throw new TypeError('"retired" must be an array');
  const retired = raw.map((entry, i): RetiredNodeKey => {
    const e = entry as Record<string, unknown>;
    for (const field of ['kid', 'x', 'retiredAt', 'successor', 'endorsement'])
      if (typeof e[field] !== 'string') throw new TypeError(`retired[${i}].${field} must be a string`);
    return {
      keyId: e.kid as string,
      publicKey: keyFromBase64url(e.x as string, `retired[${i}].x`),
      retiredAt: e.retiredAt as string,
      successor: e.successor as string,
      endorsement: signatureFromBase64url(e.endorsement as string, `retired[${i}].endorsement`),
    };
  });
  const ring = { keyId, pair, retired };
  const problem = endorsementProblem(ring);
  if (problem !== null) throw new TypeError(problem);
  return ring;
}

/** Null when every retired key names the next one (the last: the signing key) and signed it over. */
export function endorsementProblem(ring: {
  readonly keyId: string;
  readonly pair: { readonly publicKey: Uint8Array };
  readonly retired: readonly RetiredNodeKey[];
}): string | null {
  const seen = new Set<string>();
  for (let i = 0; i < ring.retired.length; i++) {
    const key = ring.retired[i]!;
    const next = ring.retired[i + 1] ?? { keyId: ring.keyId, publicKey: ring.pair.publicKey };
    if (seen.has(key.keyId) || key.keyId === ring.keyId) return `node key ${key.keyId} appears twice`;
    seen.add(key.keyId);
    if (key.successor !== next.keyId)
      return `retired node key ${key.keyId} names ${key.successor} as its successor, not ${next.keyId}`;
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: base64url(key.publicKey) },
      format: 'jwk',
    });
    if (!verify(null, endorsementMessage(key.keyId, next.keyId, next.publicKey), publicKey, key.endorsement))
      return `retired node key ${key.keyId} did not endorse ${next.keyId}: the endorsement does not verify`;
  }
  return null;
}

/** The key file's JSON: the signing key's private JWK, with the retired keys when there are any. */
export function nodeKeyringJson(ring: NodeKeyring): string {
  const retired = ring.retired.map((k) => ({
    kty: 'OKP',
    crv: 'Ed25519',
    kid: k.keyId,
    x: publicKeyToBase64url(k.publicKey),
    retiredAt: k.retiredAt,
    successor: k.successor,
    endorsement: base64url(k.endorsement),
  }));
  const json = { ...keyPairToJwk(ring.pair, ring.keyId), ...(retired.length === 0 ? {} : { retired }) };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * A new signing key: the current one is retired, endorsing the new one, and the file is replaced
 * atomically (mode 0600). `yuanbridge-node-key-N` becomes `…-N+1`. The service signs with the new
 * key from its next start.
 */
export function rotateNodeKeyFile(file: string, now: Date): NodeKeyring {
  const ring = readNodeKeyring(file);
  const n = /-(\d+)$/.exec(ring.keyId);
  const base = n === null ? ring.keyId : ring.keyId.slice(0, -n[0].length);
  let number = n === null ? 2 : Number(n[1]) + 1;
  const taken = publicKeysOf(ring);
  while (taken.has(`${base}-${number}`)) number++;
  const successor = `${base}-${number}`;
  const pair = generateKeyPair();
  const privateKey = createPrivateKey({ key: { ...keyPairToJwk(ring.pair) }, format: 'jwk' });
  const retiring: RetiredNodeKey = {
    keyId: ring.keyId,
    publicKey: ring.pair.publicKey,
    retiredAt: now.toISOString(),
    successor,
    endorsement: sign(null, endorsementMessage(ring.keyId, successor, pair.publicKey), privateKey),
  };
  const rotated: NodeKeyring = { keyId: successor, pair, retired: [...ring.retired, retiring] };
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, nodeKeyringJson(rotated), { mode: 0o600, flag: 'wx' });
  fs.renameSync(temporary, file);
  return rotated;
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** A 64-byte Ed25519 signature in canonical unpadded base64url. */
function signatureFromBase64url(text: string, what: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  if (bytes.byteLength !== 64 || base64url(bytes) !== text)
    throw new TypeError(`${what} is not a 64-byte signature in unpadded base64url`);
  return bytes;
}
