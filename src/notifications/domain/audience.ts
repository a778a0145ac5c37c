import type { DomainEvent } from '../../platform/decider/decider.js';
import { PAYMENTS_EVENT_TYPES } from '../../payments/domain/payments.events.js';

/**
 * Whom an institution is told about. Every payment event names the institutions it concerns
 * (`data.parties`) and the jurisdictions it touches (`data.jurisdictions`): a commercial bank
 * hears of its own payments, a central bank or a regulator of every payment touching its
 * jurisdiction, the operator of all.
 */
export type Audience =
  | { readonly kind: 'party'; readonly institutionId: string }
  | { readonly kind: 'jurisdiction'; readonly jurisdiction: string }
  | { readonly kind: 'all' };

export interface AudienceMember {
  readonly id: string;
  readonly kind: 'operator' | 'central_bank' | 'commercial_bank' | 'regulator';
  readonly jurisdiction: string | null;
}

/** The event types notifications carry (the payment lifecycle), in a stable order. */
export const NOTIFIABLE_EVENT_TYPES: readonly string[] = PAYMENTS_EVENT_TYPES;

export function isNotifiable(type: string): boolean {
  return NOTIFIABLE_EVENT_TYPES.includes(type);
}

export function audienceOf(member: AudienceMember): Audience {
  switch (member.kind) {
    case 'operator':
      return { kind: 'all' };
    case 'commercial_bank':
      return { kind: 'party', institutionId: member.id };
    case 'central_bank':
    case 'regulator':
      // A central bank or regulator always has a jurisdiction; without one it hears nothing.
      return { kind: 'jurisdiction', jurisdiction: member.jurisdiction ?? '' };
  }
}

/** True if an event's data (as decoded or as stored) concerns the audience. */
export function concerns(audience: Audience, data: unknown): boolean {
  if (audience.kind === 'all') return true;
  const scope = data as { parties?: unknown; jurisdictions?: unknown } | null;
  if (scope === null || typeof scope !== 'object') return false;
  const list = audience.kind === 'party' ? scope.parties : scope.jurisdictions;
  const wanted = audience.kind === 'party' ? audience.institutionId : audience.jurisdiction;
  return Array.isArray(list) && list.includes(wanted);
}

/** Notifiable, of one of the wanted types (null: all), and concerning the audience. */
export function shouldNotify(
  audience: Audience,
  types: ReadonlySet<string> | null,
  event: Pick<DomainEvent, 'type' | 'data'>,
): boolean {
  return (
    isNotifiable(event.type) && (types === null || types.has(event.type)) && concerns(audience, event.data)
  );
}
