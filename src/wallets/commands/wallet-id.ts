import { parseId } from '../../ledger/domain/id.js';
import { ProblemException } from '../../platform/http/problem.js';

/** Bank wallets: `<bank id>.<currency>` (BANKCN1.CNY); customer wallets: a UUID. */
const BANK_WALLET_ID = /^[A-Z0-9][A-Z0-9-]{1,31}\.[A-Z]{3}$/;

/** The canonical wallet id, or null when the text cannot be one. */
export function parseWalletId(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  if (BANK_WALLET_ID.test(text)) return text;
  return parseId(text);
}

export function pathWalletId(text: string): string {
  const id = parseWalletId(text);
  if (id === null) {
    throw ProblemException.badRequest(
      'wallet_id_invalid',
      'A wallet id is a UUID (customer wallet) or <bank>.<currency> such as BANKCN1.CNY (bank wallet).',
    );
  }
  return id;
}
