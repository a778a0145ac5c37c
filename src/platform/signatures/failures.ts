/**
 * Stable failure codes of request-signature verification. The codes are API: clients and logs
 * match on them, so they never change meaning; the sentences may be reworded.
 */
export const SIGNATURE_FAILURES = [
  'signature_missing',
  'signature_malformed',
  'signature_input_malformed',
  'signature_algorithm_unsupported',
  'signature_key_unknown',
  'signature_expired',
  'signature_created_in_future',
  'signature_components_insufficient',
  'content_digest_missing',
  'content_digest_mismatch',
  'signature_replayed',
  'signature_invalid',
] as const;

export type SignatureFailure = (typeof SIGNATURE_FAILURES)[number];

const DESCRIPTIONS: Readonly<Record<SignatureFailure, string>> = {
  signature_missing: 'The request carries no HTTP message signature (Signature and Signature-Input headers).',
  signature_malformed: 'The Signature header is not a valid structured-field dictionary of byte sequences.',
  signature_input_malformed:
    'The Signature-Input header is malformed or lacks a required parameter (created, keyid).',
  signature_algorithm_unsupported: 'The signature algorithm is not supported; only ed25519 is accepted.',
  signature_key_unknown: 'The key id named by the signature is not registered.',
  signature_expired: 'The signature is too old or past its expiry time.',
  signature_created_in_future:
    'The signature creation time is ahead of the server clock beyond the allowed skew.',
  signature_components_insufficient:
    'The signature does not cover the required components (method, target URI, and content digest when there is a body).',
  content_digest_missing: 'The request has a body but no usable Content-Digest header.',
  content_digest_mismatch: 'The Content-Digest header does not match the request body.',
  signature_replayed: 'This signature has already been used.',
  signature_invalid: 'The signature does not verify against the request with the registered key.',
};

/** A human sentence for a failure code (for problem+json `detail`, logs, the CLI). */
export function describeSignatureFailure(code: SignatureFailure): string {
  return DESCRIPTIONS[code];
}

export function isSignatureFailure(value: unknown): value is SignatureFailure {
  return typeof value === 'string' && (SIGNATURE_FAILURES as readonly string[]).includes(value);
}
