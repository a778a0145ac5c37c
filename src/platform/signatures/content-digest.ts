/**
 * Content-Digest (RFC 9530): a structured-field dictionary of algorithm → byte sequence, e.g.
 * `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary, serializeDictionary, sfBytes, sfItem } from './structured-fields.js';

export type ContentDigestAlgorithm = 'sha-256' | 'sha-512';

/** RFC 9530 algorithm key → Node hash name, for the algorithms we accept. */
const HASHES: Readonly<Record<ContentDigestAlgorithm, string>> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

export type ContentDigestCheck = 'ok' | 'missing' | 'malformed' | 'mismatch';

function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** The raw digest of a body. */
export function digestBytes(
  body: Uint8Array | string,
  algorithm: ContentDigestAlgorithm = 'sha-256',
): Uint8Array {
  return createHash(HASHES[algorithm]).update(toBytes(body)).digest();
}

/**
 * The Content-Digest header value for a body: `sha-256=:<base64>:` (strings are UTF-8 encoded).
 */
export function contentDigest(
  body: Uint8Array | string,
  algorithm: ContentDigestAlgorithm = 'sha-256',
): string {
  return serializeDictionary(new Map([[algorithm, sfItem(sfBytes(digestBytes(body, algorithm)))]]));
}

/**
 * Checks a received Content-Digest header against the received body.
 *
 * - `missing`: no header, or a header naming no algorithm we support (sha-256, sha-512);
 *   unknown algorithms are ignored, never trusted.
 * - `malformed`: not a structured-field dictionary, a supported algorithm whose value is not a
 *   byte sequence of the right length, or the same algorithm repeated with different values
 *   (two header lines that disagree).
 * - `mismatch`: a supported digest differs from the body's. When both sha-256 and sha-512 are
 *   present, both must match.
 */
export function verifyContentDigest(header: string | undefined, body: Uint8Array): ContentDigestCheck {
  if (header === undefined) return 'missing';
  const parsed = parseDictionary(header);
  if (!parsed.ok) return 'malformed';
  let checked = 0;
  for (const algorithm of Object.keys(HASHES) as ContentDigestAlgorithm[]) {
    const member = parsed.value.get(algorithm);
    if (member === undefined) continue;
    if (member.kind !== 'item' || member.value.type !== 'bytes') return 'malformed';
    const expected = digestBytes(body, algorithm);
    const received = member.value.value;
    if (received.byteLength !== expected.byteLength) return 'malformed';
    if (!timingSafeEqual(received, expected)) return 'mismatch';
    checked++;
  }
  return checked > 0 ? 'ok' : 'missing';
}
