import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { PaymentsEvent } from './payments.events.js';

/** Every payment event already names its parties and jurisdictions (payments.events.ts). */
export function paymentsScope(event: PaymentsEvent): EventScope {
  return { institutions: event.data.parties, jurisdictions: event.data.jurisdictions };
}
