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
      return { currencies: [event.data.account.currency] };
    case 'TransferCreated':
      return { currencies: [event.data.transfer.currency] };
    case 'TransferFailed':
      return {};
    case 'PendingTransferExpired':
      return { currencies: [currencyOfAccount(event.data.debitAccountId)] };
  }
}
