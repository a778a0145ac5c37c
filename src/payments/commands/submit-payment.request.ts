import { BodyReader } from '../../platform/http/body-reader.js';
import { readAmount } from '../../ledger/commands/read-amount.js';
import { readCurrency } from '../../ledger/commands/read-fields.js';
import { parseId } from '../../ledger/domain/id.js';
import { INSTITUTION_ID } from '../../institutions/domain/institution.js';
import type { SubmitPayment } from '../domain/payments.commands.js';

export const MAX_EXPIRY_SECONDS = 7 * 24 * 3600;
const TEXT_MAX = 140; // ISO 20022 unstructured remittance information: 140 characters

export type SubmitPaymentRequest = Omit<SubmitPayment, 'type' | 'actor' | 'paymentId' | 'now'>;

/**
 * POST /v1/payments: `{ payer: { wallet?, name? }, payee: { bank, wallet?, name? }, amount |
 * amountMinor, currency, quote?: "<uuid>" | "best", purpose, remittanceInfo?, priority?,
 * expiresInSeconds? }`. The payer's bank is the caller; a wallet is a customer wallet's UUID
 * (left out: the bank's own wallet).
 */
export function parseSubmitPayment(body: unknown, callerId: string): SubmitPaymentRequest {
  const r = new BodyReader();
  const o = r.object(body, '', [
    'payer',
    'payee',
    'amount',
    'amountMinor',
    'currency',
    'quote',
    'purpose',
    'remittanceInfo',
    'priority',
    'expiresInSeconds',
  ]);
  if (o === null) r.throwIfInvalid();
  const payer = readParty(r, o!.payer ?? {}, '/payer', false);
  const payee = readParty(r, o!.payee, '/payee', true);
  const currency = readCurrency(r, o!.currency, '/currency');
  const amountMinor = currency === null ? null : readAmount(r, o!, currency);
  let quoteId: string | null = null;
  if (o!.quote !== undefined && o!.quote !== 'best') {
    quoteId = parseId(o!.quote);
    if (quoteId === null) r.fail('/quote', 'quote_invalid', 'must be a quote id (UUID) or "best"');
  }
  const purpose = readText(r, o!.purpose, '/purpose', false);
  const remittanceInfo = readText(r, o!.remittanceInfo, '/remittanceInfo', true);
  const priority = r.integer(o!.priority ?? 5, '/priority', 0, 9);
  const expiresInSeconds = r.integer(
    o!.expiresInSeconds ?? 3_600,
    '/expiresInSeconds',
    1,
    MAX_EXPIRY_SECONDS,
  );
  r.throwIfInvalid();
  return {
    payer: { bank: callerId, wallet: payer!.wallet, name: payer!.name },
    payee: { bank: payee!.bank!, wallet: payee!.wallet, name: payee!.name },
    amountMinor: amountMinor!,
    currency: currency!.code,
    quoteId,
    purpose: purpose!,
    remittanceInfo,
    priority: priority!,
    expiresInSeconds: expiresInSeconds!,
  };
}

function readParty(
  r: BodyReader,
  value: unknown,
  pointer: string,
  withBank: boolean,
): { bank: string | null; wallet: string | null; name: string | null } | null {
  const o = r.object(value, pointer, withBank ? ['bank', 'wallet', 'name'] : ['wallet', 'name']);
  if (o === null) return null;
  let bank: string | null = null;
  if (withBank) {
    bank = r.string(o.bank, `${pointer}/bank`);
    if (bank !== null && !INSTITUTION_ID.test(bank))
      r.fail(`${pointer}/bank`, 'institution_id_invalid', "must be 2-32 upper-case letters, digits or '-'");
  }
  let wallet: string | null = null;
  if (o.wallet !== undefined) {
    wallet = parseId(o.wallet);
    if (wallet === null)
      r.fail(
        `${pointer}/wallet`,
        'wallet_id_invalid',
        "must be a customer wallet's UUID (leave it out for the bank's own wallet)",
      );
  }
  const name = readText(r, o.name, `${pointer}/name`, true);
  return { bank, wallet, name };
}

function readText(r: BodyReader, value: unknown, pointer: string, optional: boolean): string | null {
  const text = r.string(value, pointer, optional);
  if (text !== null && (text.trim().length === 0 || text.length > TEXT_MAX))
    r.fail(pointer, 'text_invalid', `must be 1 to ${TEXT_MAX} characters`);
  return text;
}

/** POST /v1/payments/{id}/cancel: `{ reason }`. */
export function parseCancelPayment(body: unknown): string {
  const r = new BodyReader();
  const o = r.object(body, '', ['reason']);
  const reason = o === null ? null : readText(r, o.reason, '/reason', false);
  r.throwIfInvalid();
  return reason!;
}

/** POST /v1/payments/settlement-cycles: `{ liquiditySaving? }` (default: YB_LIQUIDITY_SAVING). */
export function parseRunCycle(body: unknown, fallback: boolean): boolean {
  const r = new BodyReader();
  const o = r.object(body ?? {}, '', ['liquiditySaving']);
  if (o !== null && o.liquiditySaving !== undefined && typeof o.liquiditySaving !== 'boolean')
    r.fail('/liquiditySaving', 'must_be_boolean', 'must be true or false');
  r.throwIfInvalid();
  return (o?.liquiditySaving as boolean | undefined) ?? fallback;
}
