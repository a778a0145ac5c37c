import type { Request } from 'express';
import type { Caller } from './caller.js';

/** The absolute target URI of a request as this server received it (what `@target-uri` covers). */
export function targetUri(request: Request): string {
  return `${request.protocol}://${request.headers.host ?? ''}${request.originalUrl}`;
}

/**
 * A signed request kept as evidence: everything needed to verify its RFC 9421 signature later,
 * with only the signer's public key, and no trust in this service (a rate sheet a provider
 * published, an instruction a bank gave).
 */
export interface SignedRequestEvidence {
  readonly method: string;
  readonly targetUri: string;
  /** Covered header fields, lowercase names, as received. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly signatureInput: string;
  readonly signature: string;
  readonly keyId: string;
}

export function evidenceOf(request: Request & { rawBody?: Buffer }, caller: Caller): SignedRequestEvidence {
  const headers: Record<string, string> = {};
  for (const component of caller.signature.coveredComponents) {
    if (component.startsWith('@')) continue;
    const value = request.headers[component];
    if (value !== undefined) headers[component] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: request.method,
    targetUri: targetUri(request),
    headers,
    body: request.rawBody?.toString('utf8') ?? '',
    signatureInput: caller.signature.input,
    signature: caller.signature.value,
    keyId: caller.keyId,
  };
}
