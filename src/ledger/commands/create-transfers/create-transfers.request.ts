import { BodyReader } from '../../../platform/http/body-reader.js';
import { parseAmount } from '../../domain/amount.js';
import { BATCH_MAX, TransferFlags, type TransferInput } from '../../domain/model.js';
import { readFlags } from '../flags.js';
import { readCurrency, readId, readUserData32, readUserData64 } from '../read-fields.js';

const TRANSFER_FIELDS = [
  'id',
  'debitAccountId',
  'creditAccountId',
  'amount',
  'amountMinor',
  'currency',
  'code',
  'flags',
  'pendingId',
  'timeout',
  'userData128',
  'userData64',
  'userData32',
];

export const AMOUNT_MESSAGES: Record<string, string> = {
  amount_malformed: 'must be a decimal string such as "1234.56" (amount) or an integer string (amountMinor)',
  amount_must_be_positive: 'must be greater than zero',
  amount_too_precise: "has more decimals than the currency's minor unit",
  amount_exceeds_maximum:
    'is larger than the largest amount the ledger holds (9223372036854775807 minor units)',
};

/**
 * `POST /v1/ledger/transfers` body → TransferInput[], or a 400 listing every invalid field.
 * The amount is either `amount` (major units, needs `currency` to know the decimals) or
 * `amountMinor` (integer minor units). Post/void may omit accounts, currency, code and amount.
 */
export function parseCreateTransfersRequest(body: unknown): TransferInput[] {
  const reader = new BodyReader();
  const root = reader.object(body, '', ['transfers']);
  const items = root ? reader.array(root.transfers, '/transfers', 1, BATCH_MAX) : null;
  const transfers: TransferInput[] = [];
  items?.forEach((item, i) => {
    const p = `/transfers/${i}`;
    const t = reader.object(item, p, TRANSFER_FIELDS);
    if (!t) return;
    const errorsBefore = reader.errors.length;
    const flags = readFlags(reader, t.flags, `${p}/flags`, TransferFlags);
    const resolving = (flags & (TransferFlags.postPendingTransfer | TransferFlags.voidPendingTransfer)) !== 0;
    const id = readId(reader, t.id, `${p}/id`);
    const debitAccountId = readId(reader, t.debitAccountId, `${p}/debitAccountId`, resolving);
    const creditAccountId = readId(reader, t.creditAccountId, `${p}/creditAccountId`, resolving);
    const currency = readCurrency(reader, t.currency, `${p}/currency`, resolving);
    const code = reader.integer(t.code, `${p}/code`, 1, 65_535, resolving);
    const pendingId = readId(reader, t.pendingId, `${p}/pendingId`, true);
    const timeout = reader.integer(t.timeout, `${p}/timeout`, 0, 2_147_483_647, true) ?? 0;
    const userData128 = readId(reader, t.userData128, `${p}/userData128`, true);
    const userData64 = readUserData64(reader, t.userData64, `${p}/userData64`);
    const userData32 = readUserData32(reader, t.userData32, `${p}/userData32`);

    let amount: bigint | null = null;
    if (t.amount !== undefined && t.amountMinor !== undefined) {
      reader.fail(`${p}/amount`, 'amount_ambiguous', 'and amountMinor cannot both be given');
    } else if (t.amount !== undefined || t.amountMinor !== undefined) {
      const minor = t.amountMinor !== undefined;
      const pointer = `${p}/${minor ? 'amountMinor' : 'amount'}`;
      const text = reader.string(minor ? t.amountMinor : t.amount, pointer);
      if (text !== null && !minor && currency === null && t.currency === undefined) {
        reader.fail(
          pointer,
          'currency_required',
          'in major units needs the currency field (or use amountMinor)',
        );
      } else if (text !== null && (currency !== null || minor)) {
        // Minor units need no exponent; any currency object does for the integer check.
        const parsed = parseAmount(text, currency ?? { code: '', exponent: 0, name: '' }, minor);
        if (parsed.ok) amount = parsed.value;
        else reader.fail(pointer, parsed.error, AMOUNT_MESSAGES[parsed.error]!);
      }
    } else if (!resolving) {
      reader.fail(`${p}/amount`, 'amount_required', 'is required (amount or amountMinor)');
    }

    if (reader.errors.length === errorsBefore && id !== null) {
      transfers.push({
        id,
        debitAccountId,
        creditAccountId,
        amount,
        pendingId,
        userData128,
        userData64,
        userData32,
        timeout,
        currency: currency?.code ?? null,
        code,
        flags,
      });
    }
  });
  reader.throwIfInvalid();
  return transfers;
}
