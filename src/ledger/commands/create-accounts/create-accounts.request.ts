import { BodyReader } from '../../../platform/http/body-reader.js';
import { AccountFlags, BATCH_MAX, type AccountInput } from '../../domain/model.js';
import { readFlags } from '../flags.js';
import { CODE_MAX, readCurrency, readId, readUserData32, readUserData64 } from '../read-fields.js';

const ACCOUNT_FIELDS = ['id', 'currency', 'code', 'flags', 'userData128', 'userData64', 'userData32'];

/** `POST /v1/ledger/accounts` body → AccountInput[], or a 400 listing every invalid field. */
export function parseCreateAccountsRequest(body: unknown): AccountInput[] {
  const reader = new BodyReader();
  const root = reader.object(body, '', ['accounts']);
  const items = root ? reader.array(root.accounts, '/accounts', 1, BATCH_MAX) : null;
  const accounts: AccountInput[] = [];
  items?.forEach((item, i) => {
    const p = `/accounts/${i}`;
    const a = reader.object(item, p, ACCOUNT_FIELDS);
    if (!a) return;
    const id = readId(reader, a.id, `${p}/id`);
    const currency = readCurrency(reader, a.currency, `${p}/currency`);
    const code = reader.integer(a.code, `${p}/code`, 1, CODE_MAX);
    const flags = readFlags(reader, a.flags, `${p}/flags`, AccountFlags);
    const userData128 = readId(reader, a.userData128, `${p}/userData128`, true);
    const userData64 = readUserData64(reader, a.userData64, `${p}/userData64`);
    const userData32 = readUserData32(reader, a.userData32, `${p}/userData32`);
    if (id !== null && currency !== null && code !== null) {
      accounts.push({ id, currency: currency.code, code, flags, userData128, userData64, userData32 });
    }
  });
  reader.throwIfInvalid();
  return accounts;
}
