/**
 * Server side: verify an RFC 9421 Ed25519 request signature with Node's OpenSSL
 * (`crypto.verify`), roughly 10× faster than a pure-JS verify (see the architecture notes).
 *
 * Headers: pass lowercase names. Node's `req.headers` joins repeated header lines with ", ";
 * this module parses `Signature-Input`, `Signature` and `Content-Digest` strictly, so two lines
 * that define the same label (or digest algorithm) with different values are rejected as
 * malformed instead of "last one wins". `req.headersDistinct` (arrays) is accepted too and is
 * the better choice for covered fields where Node would otherwise keep only the first line.
 *
 * Order of checks (cheap to expensive; the replay guard is consulted only once the signature
 * verifies, so forged requests cannot burn a client's nonces):
 * headers present → parse → label → parameters → algorithm → time window → covered components →
 * key → content digest → signature base → signature → replay.
 */
import { type KeyObject, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { verifyContentDigest } from './content-digest.js';
import { type SignatureFailure, describeSignatureFailure } from './failures.js';
import { ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES, bytesToBase64url } from './keys.js';
import type { ReplayGuard } from './replay-guard.js';
import {
  type HeaderMap,
  buildSignatureBase,
  parseSignatureDictionary,
  readSignatureBytes,
  readSignatureInput,
  signatureBaseBytes,
} from './signature-base.js';

export interface VerifyRequestOptions {
  readonly method: string;
  /** The absolute target URI as the server sees it (scheme, host, path and query it routes on). */
  readonly url: string;
  /** Lowercase header name → value (Node's `req.headers` or `req.headersDistinct`). */
  readonly headers: HeaderMap;
  /** The raw body bytes as received; undefined or empty when there is none. */
  readonly body: Uint8Array | undefined;
  /** Server time, unix seconds. */
  readonly now: number;
  /** Oldest acceptable `created`, in seconds before `now`. */
  readonly maxAgeSeconds: number;
  /** Clock skew tolerated for `created` in the future and for `expires`. */
  readonly maxSkewSeconds: number;
  readonly resolveKey: (keyId: string) => { readonly publicKey: Uint8Array } | undefined;
  /**
   * Components the signature must cover, given whether the request has a body. Default:
   * {@link defaultRequiredComponents}. `@target-uri` in this list is also satisfied by covering
   * `@authority` + `@path` + `@query` (or `@authority` + `@request-target`).
   */
  readonly requiredComponents?: (hasBody: boolean) => readonly string[];
  readonly replayGuard?: ReplayGuard;
  /** Which signature to verify; default the first label of Signature-Input. */
  readonly label?: string;
}

export interface VerifiedSignature {
  readonly ok: true;
  readonly keyId: string;
  readonly label: string;
  readonly coveredComponents: readonly string[];
  readonly created: number;
  readonly expires?: number;
  readonly nonce?: string;
  readonly tag?: string;
}

export interface RejectedSignature {
  readonly ok: false;
  readonly reason: SignatureFailure;
  /** A sentence for logs and problem details: the specific cause, more precise than the code. */
  readonly detail: string;
}

export type VerifyRequestResult = VerifiedSignature | RejectedSignature;

/** At least @method and the target URI; content-digest when there is a body. */
export function defaultRequiredComponents(hasBody: boolean): readonly string[] {
  return hasBody ? ['@method', '@target-uri', 'content-digest'] : ['@method', '@target-uri'];
}

const EMPTY = new Uint8Array(0);

function reject(reason: SignatureFailure, detail?: string): RejectedSignature {
  return { ok: false, reason, detail: detail ?? describeSignatureFailure(reason) };
}

function joinedHeader(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return value.length === 0 ? undefined : value.join(', ');
}

function covers(covered: readonly string[], required: string): boolean {
  if (covered.includes(required)) return true;
  if (required !== '@target-uri') return false;
  return (
    covered.includes('@authority') &&
    (covered.includes('@request-target') || (covered.includes('@path') && covered.includes('@query')))
  );
}

// --- KeyObject cache (per key id; re-imported if the registry returns different bytes) --------

interface CachedKey {
  readonly raw: Uint8Array;
  readonly key: KeyObject;
}

const MAX_CACHED_KEYS = 10_000;
const keyCache = new Map<string, CachedKey>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Imports a raw 32-byte Ed25519 public key as an OpenSSL KeyObject (via JWK), cached by key id. */
export function verificationKey(keyId: string, publicKey: Uint8Array): KeyObject | string {
  const cached = keyCache.get(keyId);
  if (cached !== undefined && sameBytes(cached.raw, publicKey)) return cached.key;
  if (!(publicKey instanceof Uint8Array) || publicKey.byteLength !== ED25519_KEY_BYTES) {
    return `the key registered as "${keyId}" is not a ${ED25519_KEY_BYTES}-byte Ed25519 public key`;
  }
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: bytesToBase64url(publicKey) },
      format: 'jwk',
    });
  } catch {
    return `the key registered as "${keyId}" cannot be imported as an Ed25519 public key`;
  }
  if (keyCache.size >= MAX_CACHED_KEYS && cached === undefined) {
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  keyCache.set(keyId, { raw: Uint8Array.from(publicKey), key });
  return key;
}

/** Forgets every cached KeyObject (tests, key-registry reloads). */
export function clearVerificationKeyCache(): void {
  keyCache.clear();
}

// --- verification ----------------------------------------------------------------------------

/** Verifies on the calling thread (tests, tools). */
export function verifyRequest(options: VerifyRequestOptions): VerifyRequestResult {
  const prepared = prepareVerification(options);
  if (!('base' in prepared)) return prepared;
  let valid: boolean;
  try {
    valid = cryptoVerify(null, prepared.base, prepared.key, prepared.signature);
  } catch {
    valid = false;
  }
  return prepared.finish(valid);
}

/**
 * The same checks, with the Ed25519 verification itself on libuv's thread pool (Node's
 * `crypto.verify` with a callback): the server's event loop, which also runs the sequencer, does
 * not spend ~0.1 ms of every signed request on it, and a second core can.
 */
export function verifyRequestAsync(options: VerifyRequestOptions): Promise<VerifyRequestResult> {
  const prepared = prepareVerification(options);
  if (!('base' in prepared)) return Promise.resolve(prepared);
  return new Promise((resolve) => {
    try {
      cryptoVerify(null, prepared.base, prepared.key, prepared.signature, (error, valid) =>
        resolve(prepared.finish(error === null && valid)),
      );
    } catch {
      resolve(prepared.finish(false));
    }
  });
}

interface PreparedVerification {
  readonly base: Uint8Array;
  readonly key: KeyObject | string;
  readonly signature: Uint8Array;
  /** Given whether the signature verified: the result, after the replay guard. */
  finish(valid: boolean): VerifyRequestResult;
}

/** Every check that needs no signature verification, in order; then what verifying needs. */
function prepareVerification(options: VerifyRequestOptions): RejectedSignature | PreparedVerification {
  const { headers, now } = options;
  const inputHeader = joinedHeader(headers, 'signature-input');
  const signatureHeader = joinedHeader(headers, 'signature');
  if (inputHeader === undefined && signatureHeader === undefined) return reject('signature_missing');
  if (inputHeader === undefined)
    return reject('signature_missing', 'Signature is present but Signature-Input is not.');
  if (signatureHeader === undefined)
    return reject('signature_missing', 'Signature-Input is present but Signature is not.');

  const inputs = parseSignatureDictionary(inputHeader);
  if (!inputs.ok) return reject('signature_input_malformed', `Signature-Input: ${inputs.error}.`);
  const signatures = parseSignatureDictionary(signatureHeader);
  if (!signatures.ok) return reject('signature_malformed', `Signature: ${signatures.error}.`);

  const label = options.label ?? inputs.value.keys().next().value;
  if (label === undefined) return reject('signature_missing', 'Signature-Input names no signature.');
  const inputMember = inputs.value.get(label);
  if (inputMember === undefined) return reject('signature_missing', `No signature labelled "${label}".`);
  const signatureMember = signatures.value.get(label);
  if (signatureMember === undefined) {
    return reject('signature_malformed', `Signature has no member "${label}" to match Signature-Input.`);
  }

  const input = readSignatureInput(inputMember);
  if (!input.ok) return reject('signature_input_malformed', `Signature-Input "${label}": ${input.error}.`);
  const sigBytes = readSignatureBytes(signatureMember);
  if (!sigBytes.ok) return reject('signature_malformed', `Signature "${label}": ${sigBytes.error}.`);
  const signature = sigBytes.value;
  if (signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    return reject(
      'signature_malformed',
      `Signature "${label}" is ${signature.byteLength} bytes; an Ed25519 signature is ${ED25519_SIGNATURE_BYTES}.`,
    );
  }

  const { components, params, signatureParams } = input.value;
  const { created, expires, keyid: keyId, alg, nonce, tag } = params;
  if (created === undefined)
    return reject('signature_input_malformed', 'Signature-Input has no "created" parameter.');
  if (keyId === undefined || keyId === '') {
    return reject('signature_input_malformed', 'Signature-Input has no "keyid" parameter.');
  }
  if (expires !== undefined && expires < created) {
    return reject('signature_input_malformed', 'Signature-Input "expires" is before "created".');
  }
  if (alg !== undefined && alg !== 'ed25519') {
    return reject('signature_algorithm_unsupported', `Algorithm "${alg}" is not supported; use "ed25519".`);
  }

  if (created > now + options.maxSkewSeconds) {
    return reject(
      'signature_created_in_future',
      `Signature created ${created - now} s ahead of the server clock.`,
    );
  }
  if (now - created > options.maxAgeSeconds) {
    return reject(
      'signature_expired',
      `Signature created ${now - created} s ago; the limit is ${options.maxAgeSeconds} s.`,
    );
  }
  if (expires !== undefined && now > expires + options.maxSkewSeconds) {
    return reject('signature_expired', `Signature expired ${now - expires} s ago.`);
  }

  const body = options.body ?? EMPTY;
  const hasBody = body.byteLength > 0;
  const required = (options.requiredComponents ?? defaultRequiredComponents)(hasBody);
  const uncovered = required.filter((name) => !covers(components, name));
  if (uncovered.length > 0) {
    return reject(
      'signature_components_insufficient',
      `The signature does not cover ${uncovered.map((n) => `"${n}"`).join(', ')}.`,
    );
  }

  const registered = options.resolveKey(keyId);
  if (registered === undefined) return reject('signature_key_unknown', `No key is registered as "${keyId}".`);
  const key = verificationKey(keyId, registered.publicKey);
  if (typeof key === 'string') return reject('signature_key_unknown', `${key}.`);

  const digestHeader = joinedHeader(headers, 'content-digest');
  const digestCovered = components.includes('content-digest');
  if (digestHeader !== undefined || hasBody || digestCovered) {
    const digest = verifyContentDigest(digestHeader, body);
    if (digest === 'mismatch') return reject('content_digest_mismatch');
    if (digest === 'malformed') {
      return reject(
        'content_digest_mismatch',
        'The Content-Digest header is malformed, so the body cannot be checked.',
      );
    }
    if (digest === 'missing' && (digestCovered || (hasBody && required.includes('content-digest')))) {
      return reject(
        'content_digest_missing',
        digestHeader === undefined
          ? 'The request has no Content-Digest header.'
          : 'The Content-Digest header has no sha-256 or sha-512 digest.',
      );
    }
  }

  const base = buildSignatureBase(
    { method: options.method, url: options.url, headers },
    components,
    signatureParams,
  );
  if (!base.ok) return reject('signature_invalid', `Cannot rebuild the signature base: ${base.error}.`);

  return {
    base: signatureBaseBytes(base.value),
    key,
    signature,
    finish: (valid) => {
      if (!valid) return reject('signature_invalid');
      return afterVerification(options, {
        keyId,
        label,
        components,
        created,
        expires,
        nonce,
        tag,
        signature,
      });
    },
  };
}

/** Replay protection and the result, once the signature verified. */
function afterVerification(
  options: VerifyRequestOptions,
  v: {
    keyId: string;
    label: string;
    components: readonly string[];
    created: number;
    expires: number | undefined;
    nonce: string | undefined;
    tag: string | undefined;
    signature: Uint8Array;
  },
): VerifyRequestResult {
  const { keyId, label, components, created, expires, nonce, tag, signature } = v;
  const { now } = options;
  if (options.replayGuard !== undefined) {
    const acceptableUntil = Math.min(
      created + options.maxAgeSeconds,
      expires === undefined ? Number.POSITIVE_INFINITY : expires + options.maxSkewSeconds,
    );
    const replayKey = nonce !== undefined ? `nonce:${nonce}` : `sig:${bytesToBase64url(signature)}`;
    if (options.replayGuard.seen(keyId, replayKey, acceptableUntil, now)) return reject('signature_replayed');
  }

  return {
    ok: true,
    keyId,
    label,
    coveredComponents: components,
    created,
    ...(expires === undefined ? {} : { expires }),
    ...(nonce === undefined ? {} : { nonce }),
    ...(tag === undefined ? {} : { tag }),
  };
}
