/**
 * A sanctions list: institution codes and names that no payment may involve. Names are compared
 * normalized (case, accents and punctuation folded, spaces collapsed), exactly: fuzzy matching is
 * a screening vendor's business, not a settlement simulator's.
 */
export interface SanctionsList {
  readonly institutions: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
}

export const EMPTY_SANCTIONS: SanctionsList = { institutions: new Set(), names: new Set() };

export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function sanctionsList(data: {
  institutions?: readonly string[];
  names?: readonly string[];
}): SanctionsList {
  return {
    institutions: new Set((data.institutions ?? []).map((id) => id.toUpperCase())),
    names: new Set((data.names ?? []).map(normalizeName)),
  };
}

/** What on the list a payment involves, or null. */
export function sanctionsHit(
  list: SanctionsList,
  institutions: readonly string[],
  names: ReadonlyArray<string | null>,
): string | null {
  for (const id of institutions) if (list.institutions.has(id)) return `institution ${id}`;
  if (list.names.size === 0) return null; // nothing to normalize names for
  for (const name of names) if (name !== null && list.names.has(normalizeName(name))) return `name "${name}"`;
  return null;
}

/**
 * `sanctionsHit` for the two ends of a payment (their banks, then their names), without the two
 * arrays a call to it would build for every payment submitted.
 */
export function sanctionsHitAtEnds(
  list: SanctionsList,
  payer: { readonly bank: string; readonly name: string | null },
  payee: { readonly bank: string; readonly name: string | null },
): string | null {
  if (list.institutions.has(payer.bank)) return `institution ${payer.bank}`;
  if (list.institutions.has(payee.bank)) return `institution ${payee.bank}`;
  if (list.names.size === 0) return null;
  return nameHit(list, payer.name) ?? nameHit(list, payee.name);
}

function nameHit(list: SanctionsList, name: string | null): string | null {
  return name !== null && list.names.has(normalizeName(name)) ? `name "${name}"` : null;
}
