/**
 * Ed25519 keys: generation (@noble/curves), base64url text form, and a JSON file form.
 *
 * Raw keys are 32 bytes: the secret key is the RFC 8032 seed, the public key the encoded point.
 * The JSON form is a JWK (RFC 8037): `{"kty":"OKP","crv":"Ed25519","x":…,"d":…,"kid":…}`, which
 * Node's `crypto.createPublicKey/createPrivateKey({ format: 'jwk' })` and WebCrypto import as is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

export interface Ed25519KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Public-key JWK (what an institution registers). */
export interface Ed25519PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid?: string;
}

/** Private-key JWK (what a client keeps, mode 0600). */
export interface Ed25519PrivateJwk extends Ed25519PublicJwk {
  readonly d: string;
}

const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;

/** A fresh random key pair (noble, CSPRNG). */
export function generateKeyPair(): Ed25519KeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { secretKey, publicKey };
}

/** The public key of a 32-byte secret key. */
export function publicKeyFromSecretKey(secretKey: Uint8Array): Uint8Array {
  assertKeyLength(secretKey, 'secret key');
  return ed25519.getPublicKey(secretKey);
}

export function publicKeyToBase64url(publicKey: Uint8Array): string {
  assertKeyLength(publicKey, 'public key');
  return bytesToBase64url(publicKey);
}

export function secretKeyToBase64url(secretKey: Uint8Array): string {
  assertKeyLength(secretKey, 'secret key');
  return bytesToBase64url(secretKey);
}

/** Decodes a 32-byte key from unpadded base64url; throws a TypeError with a clear reason. */
export function keyFromBase64url(text: string, what = 'key'): Uint8Array {
  if (typeof text !== 'string' || !BASE64URL_RE.test(text)) {
    throw new TypeError(`${what} is not unpadded base64url text`);
  }
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  assertKeyLength(bytes, what);
  if (bytesToBase64url(bytes) !== text) throw new TypeError(`${what} is not canonical base64url`);
  return bytes;
}

/** True if the bytes decode to a valid Ed25519 point (RFC 8032 strict). */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  return publicKey.byteLength === ED25519_KEY_BYTES && ed25519.utils.isValidPublicKey(publicKey, false);
}

export function publicKeyToJwk(publicKey: Uint8Array, kid?: string): Ed25519PublicJwk {
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: publicKeyToBase64url(publicKey),
    ...(kid === undefined ? {} : { kid }),
  };
}

export function keyPairToJwk(pair: Ed25519KeyPair, kid?: string): Ed25519PrivateJwk {
  return { ...publicKeyToJwk(pair.publicKey, kid), d: secretKeyToBase64url(pair.secretKey) };
}

/** Reads a public key from a (public or private) Ed25519 JWK object. */
export function publicKeyFromJwk(jwk: unknown): { publicKey: Uint8Array; kid?: string } {
  const obj = expectOkpJwk(jwk);
  const publicKey = keyFromBase64url(String(obj.x), 'JWK "x"');
  return { publicKey, ...(typeof obj.kid === 'string' ? { kid: obj.kid } : {}) };
}

/** Reads a key pair from a private Ed25519 JWK; checks that `x` belongs to `d`. */
export function keyPairFromJwk(jwk: unknown): Ed25519KeyPair & { kid?: string } {
  const obj = expectOkpJwk(jwk);
  if (typeof obj.d !== 'string') throw new TypeError('JWK has no private part "d"');
  const secretKey = keyFromBase64url(obj.d, 'JWK "d"');
  const { publicKey, kid } = publicKeyFromJwk(obj);
  if (!equalBytes(ed25519.getPublicKey(secretKey), publicKey)) {
    throw new TypeError('JWK "x" is not the public key of "d"');
  }
  return { secretKey, publicKey, ...(kid === undefined ? {} : { kid }) };
}

/** JSON text for a key pair (private JWK), newline-terminated. */
export function keyPairToJson(pair: Ed25519KeyPair, kid?: string): string {
  return `${JSON.stringify(keyPairToJwk(pair, kid), null, 2)}\n`;
}

/** JSON text for a public key (public JWK), newline-terminated. */
export function publicKeyToJson(publicKey: Uint8Array, kid?: string): string {
  return `${JSON.stringify(publicKeyToJwk(publicKey, kid), null, 2)}\n`;
}

export function keyPairFromJson(text: string): Ed25519KeyPair & { kid?: string } {
  return keyPairFromJwk(parseJson(text));
}

export function publicKeyFromJson(text: string): { publicKey: Uint8Array; kid?: string } {
  return publicKeyFromJwk(parseJson(text));
}

/** Writes a private JWK file readable by its owner only (mode 0600). */
export function writeKeyPairFile(path: string, pair: Ed25519KeyPair, kid?: string): void {
  writeFileSync(path, keyPairToJson(pair, kid), { mode: 0o600 });
}

export function readKeyPairFile(path: string): Ed25519KeyPair & { kid?: string } {
  return keyPairFromJson(readFileSync(path, 'utf8'));
}

export function bytesToBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function assertKeyLength(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.byteLength !== ED25519_KEY_BYTES) {
    throw new TypeError(`${what} must be ${ED25519_KEY_BYTES} bytes`);
  }
}

function expectOkpJwk(jwk: unknown): Record<string, unknown> {
  if (typeof jwk !== 'object' || jwk === null) throw new TypeError('JWK is not an object');
  const obj = jwk as Record<string, unknown>;
  if (obj.kty !== 'OKP' || obj.crv !== 'Ed25519') throw new TypeError('JWK is not an Ed25519 (OKP) key');
  if (typeof obj.x !== 'string') throw new TypeError('JWK has no public part "x"');
  return obj;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TypeError('key file is not valid JSON');
  }
}
