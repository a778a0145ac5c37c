import { createHash } from 'node:crypto';
import type { IdempotencyRequest } from '../sequencer/sequencer.js';
import { ProblemException } from './problem.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Reads the `Idempotency-Key` header into what the sequencer needs: the key, and a hash of the
 * request (method, path, body) so that the same key with another request is refused.
 */
export function idempotencyFrom(
  header: string | undefined,
  scope: string,
  method: string,
  path: string,
  body: unknown,
  required = false,
): IdempotencyRequest | undefined {
  if (header === undefined || header === '') {
    if (required) {
      throw ProblemException.badRequest(
        'idempotency_key_required',
        'This operation needs an Idempotency-Key header.',
      );
    }
    return undefined;
  }
  if (!KEY.test(header)) {
    throw ProblemException.badRequest(
      'idempotency_key_invalid',
      'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
    );
  }
  return { scope, key: header, requestHash: requestHash(method, path, body) };
}

/**
 * What identifies a request under its key: method, path and body, fields in any order. A batch
 * item is hashed as the single request it stands for, so that it shares that request's key space.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/**
 * JSON with object keys sorted, so that the same request with its fields in another order hashes
 * the same: a client's JSON encoder may not keep field order stable between retries.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
