import { randomUUID } from 'node:crypto';
import { BodyReader } from '../../../platform/http/body-reader.js';
import { readCurrency, readId } from '../../../ledger/commands/read-fields.js';
import type { OpenWallet } from '../../domain/wallets.commands.js';
import type { WalletTier } from '../../domain/wallet.js';

/**
 * `POST /v1/wallets`: `{ currency }` opens the calling bank's wallet in a (foreign) CBDC;
 * `{ kind: "customer", id?, tier, holderReference }` opens a customer wallet in its home currency
 * (a new UUID when `id` is left out).
 */
export function parseOpenWallet(body: unknown): OpenWallet['wallet'] {
  const r = new BodyReader();
  const o = r.object(body, '', ['kind', 'currency', 'id', 'tier', 'holderReference']);
  if (o === null) r.throwIfInvalid();
  const kind = o!.kind === undefined ? 'bank' : r.string(o!.kind, '/kind');
  if (kind !== null && kind !== 'bank' && kind !== 'customer')
    r.fail('/kind', 'kind_invalid', 'must be bank or customer');
  if (kind === 'customer') {
    if (o!.currency !== undefined)
      r.fail('/currency', 'not_applicable', "a customer wallet holds its bank's home currency");
    const id = o!.id === undefined ? randomUUID() : readId(r, o!.id, '/id');
    const tier = r.integer(o!.tier, '/tier', 1, 4);
    const holderReference = r.string(o!.holderReference, '/holderReference');
    if (holderReference !== null && (holderReference.trim().length === 0 || holderReference.length > 128))
      r.fail('/holderReference', 'holder_reference_invalid', 'must be 1 to 128 characters');
    r.throwIfInvalid();
    return { kind: 'customer', id: id!, tier: tier as WalletTier, holderReference: holderReference! };
  }
  for (const field of ['id', 'tier', 'holderReference'] as const) {
    if (o![field] !== undefined)
      r.fail(`/${field}`, 'not_applicable', 'only for a customer wallet (kind: customer)');
  }
  const currency = readCurrency(r, o!.currency, '/currency');
  r.throwIfInvalid();
  return { kind: 'bank', currency: currency!.code };
}
