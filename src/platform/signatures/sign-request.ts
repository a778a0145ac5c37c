/**
 * Client side: sign an HTTP request with Ed25519 (RFC 9421), using @noble/curves.
 * Used by the SDK, the CLI, scenario clients and tests.
 */
import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { contentDigest } from './content-digest.js';
import { ED25519_KEY_BYTES } from './keys.js';
import {
  type HeaderMap,
  buildSignatureBase,
  serializeSignatureHeader,
  serializeSignatureInputHeader,
  signatureBaseBytes,
  signatureInputList,
} from './signature-base.js';
import { serializeInnerList } from './structured-fields.js';

export interface SignRequestOptions {
  readonly method: string;
  /** The absolute target URI the request is sent to. */
  readonly url: string;
  /** Headers that will be sent (any case); covered ones must be present. */
  readonly headers?: HeaderMap;
  /** The exact body bytes that will be sent (strings are UTF-8 encoded). */
  readonly body?: Uint8Array | string;
  readonly keyId: string;
  /** 32-byte Ed25519 secret key (seed). */
  readonly secretKey: Uint8Array;
  /** Creation time, unix seconds; default now. */
  readonly created?: number;
  /** Optional expiry, unix seconds. */
  readonly expires?: number;
  /** Nonce; default 16 random bytes in base64url; `false` for none. */
  readonly nonce?: string | false;
  readonly tag?: string;
  /** Dictionary label; default `sig1`. */
  readonly label?: string;
  /**
   * Covered components. Default: `@method`, `@target-uri`, plus `content-digest` when there is
   * a non-empty body, plus `content-type` when that header is present.
   */
  readonly components?: readonly string[];
  /** Add `alg="ed25519"` (default true). RFC 9421 §B.2.6 omits it; so may a caller. */
  readonly includeAlg?: boolean;
}

/** Headers to add to the request (lowercase names). */
export interface SignatureHeaders {
  readonly 'signature-input': string;
  readonly signature: string;
  /** Present when a body was given: send it, it is what the signature covers. */
  readonly 'content-digest'?: string;
}

export interface SignedRequestDetails {
  readonly headers: SignatureHeaders;
  /** The signature base that was signed (for debugging and tests). */
  readonly signatureBase: string;
  readonly signature: Uint8Array;
}

export const DEFAULT_LABEL = 'sig1';

/** Default covered components for a request. */
export function defaultCoveredComponents(hasBody: boolean, hasContentType: boolean): string[] {
  const components = ['@method', '@target-uri'];
  if (hasBody) components.push('content-digest');
  if (hasContentType) components.push('content-type');
  return components;
}

/** Signs a request; returns the headers to add. Throws TypeError on unusable input. */
export function signRequest(options: SignRequestOptions): SignatureHeaders {
  return signRequestDetailed(options).headers;
}

/** Like {@link signRequest}, also returning the signature base and raw signature. */
export function signRequestDetailed(options: SignRequestOptions): SignedRequestDetails {
  if (!(options.secretKey instanceof Uint8Array) || options.secretKey.byteLength !== ED25519_KEY_BYTES) {
    throw new TypeError(`secretKey must be ${ED25519_KEY_BYTES} bytes`);
  }
  if (typeof options.keyId !== 'string' || options.keyId === '') throw new TypeError('keyId is required');

  const headers: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }

  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const hasBody = body !== undefined && body.byteLength > 0;
  const components =
    options.components ?? defaultCoveredComponents(hasBody, headers['content-type'] !== undefined);

  let digest: string | undefined;
  if (body !== undefined && (hasBody || components.includes('content-digest'))) {
    digest = contentDigest(body);
    headers['content-digest'] = digest;
  }

  const created = options.created ?? Math.floor(Date.now() / 1000);
  const nonce =
    options.nonce === false ? undefined : (options.nonce ?? randomBytes(16).toString('base64url'));
  const list = signatureInputList(components, {
    created,
    ...(options.expires === undefined ? {} : { expires: options.expires }),
    ...(nonce === undefined ? {} : { nonce }),
    ...(options.includeAlg === false ? {} : { alg: 'ed25519' }),
    keyid: options.keyId,
    ...(options.tag === undefined ? {} : { tag: options.tag }),
  });

  const base = buildSignatureBase(
    { method: options.method, url: options.url, headers },
    components,
    serializeInnerList(list),
  );
  if (!base.ok) throw new TypeError(`cannot sign request: ${base.error}`);

  const signature = ed25519.sign(signatureBaseBytes(base.value), options.secretKey);
  const label = options.label ?? DEFAULT_LABEL;
  return {
    headers: {
      'signature-input': serializeSignatureInputHeader(label, list),
      signature: serializeSignatureHeader(label, signature),
      ...(digest === undefined ? {} : { 'content-digest': digest }),
    },
    signatureBase: base.value,
    signature,
  };
}
