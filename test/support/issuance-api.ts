import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Signer, TestApp, TestResponse } from './test-app.js';

/** Issuance over HTTP, for integration tests: every money-moving POST with a fresh Idempotency-Key. */

export function post(app: TestApp, as: Signer, path: string, body: unknown, key: string = randomUUID()) {
  return app.request('POST', path, body, { 'idempotency-key': key }, { as });
}

export async function creditReserves(app: TestApp, cb: Signer, bank: string, amountMinor: bigint) {
  const response = await post(app, cb, '/v1/issuance/reserve-credits', {
    bank,
    amountMinor: amountMinor.toString(),
  });
  assert.equal(response.status, 201, response.text);
  return response;
}

export async function requestIssuance(
  app: TestApp,
  bank: Signer,
  kind: 'issue' | 'redeem',
  amountMinor: bigint,
): Promise<string> {
  const response = await post(app, bank, '/v1/issuance/requests', {
    kind,
    amountMinor: amountMinor.toString(),
  });
  assert.equal(response.status, 201, response.text);
  return response.body.id as string;
}

export function approve(app: TestApp, cb: Signer, id: string, key?: string): Promise<TestResponse> {
  return post(app, cb, `/v1/issuance/requests/${id}/approve`, {}, key);
}

/** Posted balance (credits − debits) of a ledger account, read from the read model. */
export async function balanceOf(app: TestApp, accountId: string): Promise<bigint> {
  const rows = await app.db.query<{ balance: string }>(
    'select (credits_posted - debits_posted)::text as balance from ledger_accounts where id = $1',
    [accountId],
  );
  return rows[0] === undefined ? 0n : BigInt(rows[0].balance);
}

/**
 * Per currency, from the tables alone: the sum of every CBDC holding (bank and customer wallets),
 * the CBDC issuance account's debit balance, and debits/credits over the whole ledger.
 */
export async function ledgerSums(app: TestApp, currency: string) {
  const [row] = await app.db.query<Record<string, string>>(
    `select
       (select coalesce(sum(a.credits_posted - a.debits_posted), 0)::text
          from wallets w join ledger_accounts a on a.id = w.account_id where w.currency = $1) as holdings,
       (select coalesce(sum(debits_posted - credits_posted), 0)::text
          from ledger_accounts where currency = $1 and code = 10) as "issuanceDebit",
       (select coalesce(sum(debits_posted), 0)::text from ledger_accounts where currency = $1) as debits,
       (select coalesce(sum(credits_posted), 0)::text from ledger_accounts where currency = $1) as credits,
       (select count(*)::text from ledger_accounts
          where currency = $1 and code in (20, 30, 31) and credits_posted - debits_posted < 0) as negative`,
    [currency],
  );
  return {
    holdings: BigInt(row!.holdings!),
    issuanceDebit: BigInt(row!.issuanceDebit!),
    debits: BigInt(row!.debits!),
    credits: BigInt(row!.credits!),
    negativeHolders: Number(row!.negative),
  };
}

/** The supply endpoint agrees with the ledger: outstanding = issued − redeemed = Σ holdings. */
export async function assertSupplyMatchesLedger(app: TestApp, currency: string, as: Signer) {
  const response = await app.request('GET', `/v1/currencies/${currency}/supply`, undefined, {}, { as });
  assert.equal(response.status, 200, response.text);
  const s = response.body;
  const sums = await ledgerSums(app, currency);
  const outstanding = BigInt(s.outstanding.amountMinor);
  assert.equal(
    outstanding,
    BigInt(s.issued.amountMinor) - BigInt(s.redeemed.amountMinor),
    'issued − redeemed',
  );
  assert.equal(
    BigInt(s.holdings.total.amountMinor),
    outstanding,
    `${currency}: Σ holdings (supply view) = outstanding`,
  );
  assert.equal(sums.holdings, outstanding, `${currency}: Σ wallet balances (ledger) = outstanding`);
  assert.equal(sums.issuanceDebit, outstanding, `${currency}: CBDC issuance account = outstanding`);
  assert.equal(sums.debits, sums.credits, `${currency}: debits = credits`);
  assert.equal(sums.negativeHolders, 0, `${currency}: no holder is negative`);
  const byInstitution = (s.holdings.byInstitution as Array<{ total: { amountMinor: string } }>).reduce(
    (sum, h) => sum + BigInt(h.total.amountMinor),
    0n,
  );
  const byJurisdiction = (s.holdings.byJurisdiction as Array<{ total: { amountMinor: string } }>).reduce(
    (sum, h) => sum + BigInt(h.total.amountMinor),
    0n,
  );
  assert.equal(byInstitution, outstanding, 'Σ byInstitution = outstanding');
  assert.equal(byJurisdiction, outstanding, 'Σ byJurisdiction = outstanding');
  return s;
}

/** Puts `amountMinor` of the central bank's CBDC in a domestic bank's wallet: reserves credited, then issued directly. */
export async function fundBankWallet(
  app: TestApp,
  cb: Signer,
  bank: string,
  amountMinor: bigint,
): Promise<void> {
  await creditReserves(app, cb, bank, amountMinor);
  const issued = await post(app, cb, '/v1/issuance', {
    bank,
    kind: 'issue',
    amountMinor: amountMinor.toString(),
  });
  assert.equal(issued.status, 201, issued.text);
}
