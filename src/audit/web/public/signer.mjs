/**
 * RFC 9421 request signing in the browser, with @noble/curves' Ed25519: the same signature base
 * as src/platform/signatures (signature-base.ts, sign-request.ts), for the page's only kind of
 * request, a GET with no body. The server requires `created` within its window and refuses a
 * replay, keyed by the nonce: every request gets a fresh random one.
 *
 * The secret key is only ever an argument here; nothing in this module stores or sends it.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A 32-byte key from unpadded base64url, as the keys file and the directory write them. */
export function keyFromBase64url(text, what = 'key') {
  const trimmed = String(text).trim();
  if (!BASE64URL.test(trimmed)) throw new TypeError(`${what} is not base64url text`);
  const bytes = base64ToBytes(trimmed.replace(/-/g, '+').replace(/_/g, '/'));
  if (bytes.length !== 32) throw new TypeError(`${what} is ${bytes.length} bytes; an Ed25519 key is 32`);
  if (bytesToBase64url(bytes) !== trimmed) throw new TypeError(`${what} is not canonical base64url`);
  return bytes;
}

export function bytesToBase64url(bytes) {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function bytesToBase64(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64ToBytes(text) {
  const binary = atob(text + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** An sf-string (RFC 8941 §3.3.3): printable ASCII, `\` and `"` escaped. */
function sfString(value) {
  if (!PRINTABLE_ASCII.test(value)) throw new TypeError('structured-field strings hold printable ASCII only');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `@target-uri` as signature-base.ts derives it: the WHATWG-normalized URL without fragment. */
function targetUri(url) {
  const u = new URL(url);
  return `${u.protocol.slice(0, -1)}://${u.host}${u.pathname || '/'}${u.search}`;
}

/**
 * The headers that sign `GET url`: `signature-input` and `signature` (label `sig1`), covering
 * `@method` and `@target-uri`, with `created`, `nonce`, `alg` and `keyid` in the order
 * signatureInputList writes them. Returns the signature base too, for showing and testing.
 */
export function signGet({ url, keyId, secretKey, created, nonce }) {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new TypeError('the secret key must be 32 bytes');
  }
  const when = created ?? Math.floor(Date.now() / 1000);
  const once = nonce ?? bytesToBase64url(crypto.getRandomValues(new Uint8Array(16)));
  const params =
    `("@method" "@target-uri");created=${when};nonce=${sfString(once)}` +
    `;alg="ed25519";keyid=${sfString(keyId)}`;
  const base = `"@method": GET\n"@target-uri": ${targetUri(url)}\n"@signature-params": ${params}`;
  // The base is ASCII (a WHATWG URL is percent-encoded; the parameters were checked above), so
  // its UTF-8 bytes are the latin1 bytes signatureBaseBytes signs.
  if (!PRINTABLE_ASCII.test(base.replace(/\n/g, ''))) throw new TypeError('the request is not ASCII');
  const signature = ed25519.sign(new TextEncoder().encode(base), secretKey);
  return {
    headers: {
      'signature-input': `sig1=${params}`,
      signature: `sig1=:${bytesToBase64(signature)}:`,
    },
    signatureBase: base,
  };
}

/** The public half of a secret key: shown at sign-in, to compare with the directory's. */
export function publicKeyOf(secretKey) {
  return bytesToBase64url(ed25519.getPublicKey(secretKey));
}
