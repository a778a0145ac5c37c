import { formatMajor } from '../domain/amount.js';
import { findCurrency } from '../domain/currency.js';
import { AccountFlags, TransferFlags } from '../domain/model.js';
import { flagNames } from '../commands/flags.js';
import type { LedgerAccountRecord } from './ledger-account.record.js';
import type { LedgerTransferRecord } from './ledger-transfer.record.js';

/** An amount as the API shows it: major units (decimal string) and minor units (integer string). */
export interface AmountView {
  readonly amount: string;
  readonly amountMinor: string;
}

export function amountView(minor: string | bigint, currencyCode: string): AmountView {
  const currency = findCurrency(currencyCode)!;
  return { amount: formatMajor(BigInt(minor), currency), amountMinor: BigInt(minor).toString() };
}

export interface Balances {
  readonly debitsPending: string;
  readonly debitsPosted: string;
  readonly creditsPending: string;
  readonly creditsPosted: string;
}

export function accountView(record: LedgerAccountRecord, balances: Balances = record, asOfPosition?: string) {
  const c = record.currency;
  return {
    id: record.id,
    currency: c,
    code: record.code,
    flags: flagNames(record.flags, AccountFlags),
    userData128: record.userData128,
    userData64: record.userData64,
    userData32: Number(record.userData32),
    debitsPending: amountView(balances.debitsPending, c),
    debitsPosted: amountView(balances.debitsPosted, c),
    creditsPending: amountView(balances.creditsPending, c),
    creditsPosted: amountView(balances.creditsPosted, c),
    timestamp: record.timestamp,
    ...(asOfPosition !== undefined ? { asOfPosition } : {}),
  };
}

export function transferView(record: LedgerTransferRecord) {
  return {
    id: record.id,
    debitAccountId: record.debitAccountId,
    creditAccountId: record.creditAccountId,
    ...amountView(record.amount, record.currency),
    currency: record.currency,
    code: record.code,
    flags: flagNames(record.flags, TransferFlags),
    pendingId: record.pendingId,
    timeout: record.timeout,
    userData128: record.userData128,
    userData64: record.userData64,
    userData32: Number(record.userData32),
    timestamp: record.timestamp,
    position: record.globalPosition,
    ...(record.pendingStatus !== null ? { pendingStatus: record.pendingStatus } : {}),
  };
}
