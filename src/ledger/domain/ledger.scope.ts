import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { LedgerEvent } from './ledger.events.js';

/**
 * A ledger event concerns the jurisdiction issuing its currency. Accounts carry no owner (the
 * raw ledger is the operator's), so banks read their movements through the wallet and payment
 * events that caused them, which name them.
 */
export function ledgerScope(
  event: LedgerEvent,
  currencyOfAccount: (id: string) => string | null,
): EventScope {
  switch (event.type) {
    case 'AccountCreated':
      return currencyScope(event.data.account.currency);
    case 'TransferCreated':
      return currencyScope(event.data.transfer.currency);
    case 'TransferFailed':
      return NO_SCOPE;
    case 'PendingTransferExpired':
      return { currencies: [currencyOfAccount(event.data.debitAccountId)] };
  }
}

const NO_SCOPE: EventScope = Object.freeze({});

/**
 * One scope object per currency, shared by every event in it (scopes are read, never changed):
 * asked for once per event of every batch, it need not be allocated each time. Bounded like the
 * stream ids, for the same reason.
 */
const currencyScopes = new Map<string, EventScope>();
const CURRENCY_SCOPES_KEPT = 256;

function currencyScope(currency: string): EventScope {
  let scope = currencyScopes.get(currency);
  if (scope === undefined) {
    scope = Object.freeze({ currencies: Object.freeze([currency]) });
    if (currencyScopes.size < CURRENCY_SCOPES_KEPT) currencyScopes.set(currency, scope);
  }
  return scope;
}
