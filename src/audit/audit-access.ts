import type { CallerInstitution } from '../platform/auth/caller.js';

/**
 * Who reads which events of the audit trail (the scope stored with each event, event-scope.ts):
 * a commercial bank the events naming it, a central bank or a regulator those touching its
 * jurisdiction, the operator all. Anything else is not visible, not even counted: every audit
 * query adds this condition before it counts, pages or proves anything.
 */
export function auditScope(
  caller: CallerInstitution,
): { readonly sql: string; readonly value: string } | null {
  switch (caller.kind) {
    case 'operator':
      return null;
    case 'commercial_bank':
      return { sql: 'e.institutions @> array[$SCOPE::text]', value: caller.id };
    case 'central_bank':
    case 'regulator':
      // A central bank or regulator without a jurisdiction reads nothing.
      return { sql: 'e.jurisdictions @> array[$SCOPE::text]', value: caller.jurisdiction ?? '' };
  }
}

/** Appends the caller's scope to `where`, binding its value as the next parameter. */
export function addScope(caller: CallerInstitution, where: string[], params: unknown[]): void {
  const scope = auditScope(caller);
  if (scope === null) return;
  params.push(scope.value);
  where.push(scope.sql.replace('$SCOPE', `$${params.length}`));
}
