import { BodyReader } from '../../../platform/http/body-reader.js';
import type { TransferBetweenWallets } from '../../domain/wallets.commands.js';
import { parseWalletId } from '../wallet-id.js';

export type TransferRequest = Pick<TransferBetweenWallets, 'from' | 'to' | 'amount' | 'reference'>;

/**
 * `POST /v1/wallets/transfers`: `{ from, to, amount | amountMinor, reference? }`. The amount's
 * decimals are checked against the sending wallet's currency when the command is decided
 * (ledger/domain/amount.ts parses it there); here only its presence and type.
 */
export function parseTransferRequest(body: unknown): TransferRequest {
  const r = new BodyReader();
  const o = r.object(body, '', ['from', 'to', 'amount', 'amountMinor', 'reference']);
  if (o === null) r.throwIfInvalid();
  const from = parseWalletId(o!.from);
  if (from === null)
    r.fail('/from', 'wallet_id_invalid', 'must be a wallet id (a UUID, or <bank>.<currency>)');
  const to = parseWalletId(o!.to);
  if (to === null) r.fail('/to', 'wallet_id_invalid', 'must be a wallet id (a UUID, or <bank>.<currency>)');
  let amount: TransferRequest['amount'] | null = null;
  if (o!.amount !== undefined && o!.amountMinor !== undefined) {
    r.fail('/amount', 'amount_ambiguous', 'and amountMinor cannot both be given');
  } else if (o!.amount === undefined && o!.amountMinor === undefined) {
    r.fail('/amount', 'amount_required', 'is required (amount or amountMinor)');
  } else {
    const minor = o!.amountMinor !== undefined;
    const text = r.string(minor ? o!.amountMinor : o!.amount, minor ? '/amountMinor' : '/amount');
    if (text !== null) amount = { text, minor };
  }
  const reference = r.string(o!.reference, '/reference', true);
  if (reference !== null && (reference.length === 0 || reference.length > 140))
    r.fail('/reference', 'reference_invalid', 'must be 1 to 140 characters');
  r.throwIfInvalid();
  return { from: from!, to: to!, amount: amount!, reference };
}
