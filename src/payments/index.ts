/**
 * The payments module's public surface. It depends on the ledger (planChains), FX (routes,
 * quotes), corridors (screening, fees, quotas), wallets (wallet rules) and the registry.
 */
export { PaymentsModule } from './payments.module.js';
export { PaymentsSequencedModule } from './payments.sequenced-module.js';
export { SettlementCycleTimer } from './settlement-cycle.timer.js';
export { PaymentsState } from './domain/payments.state.js';
export type { PaymentOutcome, SettlementCycleReport } from './domain/payments.decider.js';
export type { PaymentsEvent } from './domain/payments.events.js';
export { paymentStreamId } from './domain/payments.events.js';
export { maySeePayment } from './payment-access.js';
