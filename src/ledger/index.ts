/** The ledger module's public surface. */
export { LedgerModule, LEDGER_ENTITIES } from './ledger.module.js';
export { LedgerSequencedModule } from './ledger.sequenced-module.js';
export type {
  Account,
  Transfer,
  AccountInput,
  TransferInput,
  CreateAccountResult,
  CreateTransferResult,
} from './domain/model.js';
export { AccountFlags, TransferFlags } from './domain/model.js';
export { findCurrency, knownCurrencies, type Currency } from './domain/currency.js';
export { parseAmount, formatMajor, AMOUNT_MAX } from './domain/amount.js';
