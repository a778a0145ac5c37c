import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { EventMetadata } from '../event-store/recorded-event.js';

/**
 * What the platform knows of an authenticated caller. The registry behind it is the institutions
 * module's; it fills this in from a verified signature (its SignatureGuard).
 */
export interface CallerInstitution {
  readonly id: string;
  readonly kind: 'operator' | 'central_bank' | 'commercial_bank' | 'regulator';
  /** Null for the operator. */
  readonly jurisdiction: string | null;
  readonly roles: readonly string[];
}
type InstitutionKind = CallerInstitution['kind'];

/** Who signed the request, and the signature itself (kept with the events it causes, for audit). */
export interface Caller {
  readonly institution: CallerInstitution;
  readonly keyId: string;
  readonly signature: {
    readonly label: string;
    /** The request's Signature-Input and Signature field values, verbatim. */
    readonly input: string;
    readonly value: string;
    readonly created: number;
    readonly coveredComponents: readonly string[];
  };
}

export type AuthenticatedRequest = Request & { caller?: Caller };

const PUBLIC = 'yuanbridge:public';
const KINDS = 'yuanbridge:kinds';

/** The route needs no signature (health, the public directory). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/** Only these kinds of institution may call the route; others get 403 forbidden_role. */
export const AllowKinds = (...kinds: InstitutionKind[]): MethodDecorator & ClassDecorator =>
  SetMetadata(KINDS, kinds);

export const AUTH_METADATA = { PUBLIC, KINDS } as const;

/** The verified caller of a signed route. */
export const AuthenticatedCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (caller === undefined)
    throw new Error('AuthenticatedCaller used on a route without the signature guard');
  return caller;
});

/** Event metadata for a command the caller authorised. */
export function metadataOf(caller: Caller, idempotencyKey?: string): EventMetadata {
  return {
    actor: caller.institution.id,
    keyId: caller.keyId,
    signature: { input: caller.signature.input, value: caller.signature.value },
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
  };
}
