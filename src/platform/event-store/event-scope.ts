/**
 * Whom an event concerns, for the audit trail's access rule: a commercial bank reads the events
 * naming it, a central bank or a regulator those touching its jurisdiction, the operator all.
 * A module names institutions, jurisdictions and currencies; the sequencer adds the jurisdiction
 * of each institution and the issuing jurisdiction of each currency before it stores the scope
 * beside the event (`events.institutions`, `events.jurisdictions`).
 */
export interface EventScope {
  readonly institutions?: readonly (string | null | undefined)[];
  readonly jurisdictions?: readonly (string | null | undefined)[];
  readonly currencies?: readonly (string | null | undefined)[];
}

/** Where institutions and currencies belong (the institutions registry). */
export interface ScopeDirectory {
  jurisdictionOfInstitution(institutionId: string): string | null;
  jurisdictionOfCurrency(currency: string): string | null;
}

/** An event's scope as stored: sorted, without duplicates. */
export interface ResolvedScope {
  readonly institutions: readonly string[];
  readonly jurisdictions: readonly string[];
}

export function resolveScope(scope: EventScope, directory: ScopeDirectory | null): ResolvedScope {
  const institutions = new Set<string>();
  const jurisdictions = new Set<string>();
  for (const id of scope.institutions ?? []) {
    if (!id) continue;
    institutions.add(id);
    const home = directory?.jurisdictionOfInstitution(id);
    if (home) jurisdictions.add(home);
  }
  for (const code of scope.jurisdictions ?? []) if (code) jurisdictions.add(code);
  for (const currency of scope.currencies ?? []) {
    if (!currency) continue;
    const issuer = directory?.jurisdictionOfCurrency(currency);
    if (issuer) jurisdictions.add(issuer);
  }
  return { institutions: [...institutions].sort(), jurisdictions: [...jurisdictions].sort() };
}
