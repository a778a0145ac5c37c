import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { IssuanceEvent } from './issuance.events.js';

/** Issuance concerns the bank, its central bank and the currency issued. */
export function issuanceScope(event: IssuanceEvent): EventScope {
  switch (event.type) {
    case 'ReservesCredited':
    case 'CbdcIssued':
    case 'CbdcRedeemed':
      return {
        institutions: [event.data.bankId, event.data.centralBankId],
        currencies: [event.data.currency],
      };
    case 'IssuanceRequested':
      return {
        institutions: [event.data.request.bankId, event.data.request.centralBankId],
        jurisdictions: [event.data.request.jurisdiction],
        currencies: [event.data.request.currency],
      };
    case 'IssuanceDeclined':
      return { institutions: [event.data.bankId], currencies: [event.data.currency] };
    case 'SupplyCapSet':
      return { institutions: [event.data.centralBankId], currencies: [event.data.currency] };
  }
}
