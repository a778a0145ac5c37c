import { BodyReader } from '../../platform/http/body-reader.js';
import { readAmount } from '../../ledger/commands/read-amount.js';
import { readCurrency } from '../../ledger/commands/read-fields.js';
import { parseId } from '../../ledger/domain/id.js';
import { INSTITUTION_ID } from '../../institutions/domain/institution.js';
import type { SubmitPayment } from '../domain/payments.commands.js';

export const MAX_EXPIRY_SECONDS = 7 * 24 * 3600;
const TEXT_MAX = 140; // ISO 20022 unstructured remittance information: 140 characters

export type SubmitPaymentRequest = Omit<SubmitPayment, 'type' | 'actor' | 'paymentId' | 'now'>;

const PAYMENT_FIELDS = [
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
] as const;

/**
 * POST /v1/payments: `{ payer: { wallet?, name? }, payee: { bank, wallet?, name? }, amount |
 * amountMinor, currency, quote?: "<uuid>" | "best", purpose, remittanceInfo?, priority?,
 * expiresInSeconds? }`. The payer's bank is the caller; a wallet is a customer wallet's UUID
 * (left out: the bank's own wallet).
 */
export function parseSubmitPayment(body: unknown, callerId: string): SubmitPaymentRequest {
  const r = new BodyReader();
  const request = readSubmitPayment(r, body, '', callerId, PAYMENT_FIELDS);
  r.throwIfInvalid();
  return request!;
}

/** Largest number of payments one `POST /v1/payments/batch` carries. */
export const MAX_BATCH_PAYMENTS = 1_000;

/** One payment of a batch: its own idempotency key, and the body `POST /v1/payments` would take. */
export interface BatchPaymentItem {
  readonly idempotencyKey: string;
  /** The body of the equivalent `POST /v1/payments` (hashed as that request). */
  readonly body: unknown;
  readonly request: SubmitPaymentRequest;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * POST /v1/payments/batch: `{ payments: [{ idempotencyKey, payment }] }`, 1 to
 * MAX_BATCH_PAYMENTS items, `payment` as `POST /v1/payments` takes it, each key distinct within
 * the batch. Any invalid item refuses the whole batch (400, every error with its pointer, e.g.
 * `/payments/3/payment/amount`): nothing is written.
 */
export function parseSubmitPaymentBatch(body: unknown, callerId: string): BatchPaymentItem[] {
  const r = new BodyReader();
  const o = r.object(body, '', ['payments']);
  const list = o === null ? null : r.array(o.payments, '/payments', 1, MAX_BATCH_PAYMENTS);
  const items: BatchPaymentItem[] = [];
  const keys = new Set<string>();
  list?.forEach((value, index) => {
    const pointer = `/payments/${index}`;
    const item = r.object(value, pointer, ['idempotencyKey', 'payment']);
    if (item === null) return;
    const request = readSubmitPayment(r, item.payment, `${pointer}/payment`, callerId, PAYMENT_FIELDS);
    const key = r.string(item.idempotencyKey, `${pointer}/idempotencyKey`);
    if (key === null) return;
    if (!IDEMPOTENCY_KEY.test(key)) {
      r.fail(
        `${pointer}/idempotencyKey`,
        'idempotency_key_invalid',
        'must be 1 to 255 visible ASCII characters',
      );
      return;
    }
    if (keys.has(key)) {
      r.fail(
        `${pointer}/idempotencyKey`,
        'idempotency_key_duplicate',
        'is the key of an earlier item of this batch',
      );
      return;
    }
    keys.add(key);
    if (request !== null) items.push({ idempotencyKey: key, body: item.payment, request });
  });
  r.throwIfInvalid();
  return items;
}

/** One payment's fields under `pointer`; null (errors recorded in `r`) if it cannot describe one. */
function readSubmitPayment(
  r: BodyReader,
  body: unknown,
  pointer: string,
  callerId: string,
  allowed: readonly string[],
): SubmitPaymentRequest | null {
  const before = r.errors.length;
  const o = r.object(body, pointer, allowed);
  if (o === null) return null;
  const payer = readParty(r, o.payer ?? {}, `${pointer}/payer`, false);
  const payee = readParty(r, o.payee, `${pointer}/payee`, true);
  const currency = readCurrency(r, o.currency, `${pointer}/currency`);
  const amountMinor = currency === null ? null : readAmount(r, o, currency, { pointer });
  let quoteId: string | null = null;
  if (o.quote !== undefined && o.quote !== 'best') {
    quoteId = parseId(o.quote);
    if (quoteId === null) r.fail(`${pointer}/quote`, 'quote_invalid', 'must be a quote id (UUID) or "best"');
  }
  const purpose = readText(r, o.purpose, `${pointer}/purpose`, false);
  const remittanceInfo = readText(r, o.remittanceInfo, `${pointer}/remittanceInfo`, true);
  const priority = r.integer(o.priority ?? 5, `${pointer}/priority`, 0, 9);
  const expiresInSeconds = r.integer(
    o.expiresInSeconds ?? 3_600,
    `${pointer}/expiresInSeconds`,
    1,
    MAX_EXPIRY_SECONDS,
  );
  if (r.errors.length > before) return null;
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
