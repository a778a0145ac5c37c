import type { Rejection } from '../../platform/decider/decider.js';
import type { InstitutionKind } from './institution.js';

type Actor = { readonly id: string; readonly kind: string };

/**
 * The two ways a correctly signed request can still be refused (403): the caller's kind of
 * institution may not take this action at all, or it may, but not on this object (another
 * bank's wallet, another jurisdiction's currency).
 */
export function forbiddenRole(
  actor: Actor | undefined,
  action: string,
  allowed: readonly InstitutionKind[],
): Rejection {
  return {
    code: 'forbidden_role',
    status: 403,
    title: 'Not permitted for this kind of institution',
    detail: `${actor ? `${actor.id} (${actor.kind.replace('_', ' ')})` : 'The caller'} may not ${action}; only ${allowed
      .map((k) => k.replace('_', ' '))
      .join(' or ')} institutions may.`,
  };
}

export function forbiddenScope(actor: Actor, detail: string): Rejection {
  return {
    code: 'forbidden_scope',
    status: 403,
    title: 'Not permitted on this object',
    detail: `${actor.id}: ${detail}`,
  };
}

export function notFound(code: string, detail: string): Rejection {
  return { code, status: 404, title: 'Not found', detail };
}

export function conflict(code: string, detail: string): Rejection {
  return { code, status: 409, title: 'Conflict with the current state', detail };
}

export function unprocessable(code: string, detail: string): Rejection {
  return { code, status: 422, title: 'The request cannot be carried out', detail };
}
