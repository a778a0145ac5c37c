import { createHash } from 'node:crypto';
import type { Sha256 } from './audit-proof.mjs';

/** node:crypto's SHA-256 in the shape audit-proof.mts takes. */
export const sha256: Sha256 = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** SHA-256 of a string's UTF-8 bytes, without copying it into a Uint8Array first. */
export function sha256Text(text: string): Uint8Array {
  return createHash('sha256').update(text, 'utf8').digest();
}
