/** The ISO 20022 module's public surface. */
export { Iso20022Module } from './iso20022.module.js';
export { ISO_REASON, isoReasonOf } from './status-report/reason-codes.js';
