import type { CallerInstitution } from '../platform/auth/caller.js';

/**
 * Who sees a payment: the banks it concerns (payer, payee, the liquidity providers on its route),
 * the central banks and regulators of its two jurisdictions, and the operator. Nobody else learns
 * that it exists.
 */
export function maySeePayment(
  caller: CallerInstitution,
  payment: { readonly parties: readonly string[]; readonly jurisdictions: readonly string[] },
): boolean {
  switch (caller.kind) {
    case 'operator':
      return true;
    case 'commercial_bank':
      return payment.parties.includes(caller.id);
    case 'central_bank':
    case 'regulator':
      return caller.jurisdiction !== null && payment.jurisdictions.includes(caller.jurisdiction);
  }
}

/** The same rule for the payments table: which array column must hold what, or null (everything). */
export function paymentScope(
  caller: CallerInstitution,
): { readonly column: 'parties' | 'jurisdictions'; readonly value: string } | null {
  switch (caller.kind) {
    case 'operator':
      return null;
    case 'commercial_bank':
      return { column: 'parties', value: caller.id };
    case 'central_bank':
    case 'regulator':
      return { column: 'jurisdictions', value: caller.jurisdiction ?? '' };
  }
}
