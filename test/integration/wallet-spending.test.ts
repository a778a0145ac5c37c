import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startWithPaymentCorridor, paymentTo } from '../support/payment-corridor.js';
import type { TestNetwork } from '../support/network.js';
import type { TestApp } from '../support/test-app.js';

/**
 * A customer wallet's spending windows count its cross-border payments as well as its domestic
 * transfers, in memory (the limits the decider enforces) and in the read model the wallet routes
 * show, also after a restart.
 */
describe("a customer's cross-border payment counts in its wallet's spending windows", () => {
  let app: TestApp;
  let net: TestNetwork;
  before(async () => {
    ({ app, net } = await startWithPaymentCorridor());
  });
  after(async () => {
    await app?.close();
  });

  const post = (path: string, body: unknown, by: string) =>
    app.request('POST', path, body, { 'idempotency-key': randomUUID() }, { as: net.as(by) });
  const wallet = async (id: string) => {
    const response = await app.request('GET', `/v1/wallets/${id}`, undefined, {}, { as: net.as('BANKCN2') });
    assert.equal(response.status, 200, response.text);
    return response.body;
  };

  it('shows the payment (amount and fee) in spentToday and spentThisYear, and keeps it across a restart', async () => {
    const id = randomUUID();
    const opened = await post(
      '/v1/wallets',
      { kind: 'customer', id, tier: 4, holderReference: 'h-spend' },
      'BANKCN2',
    );
    assert.equal(opened.status, 201, opened.text);
    const funded = await post(
      '/v1/wallets/transfers',
      { from: 'BANKCN2.CNY', to: id, amount: '3000.00' },
      'BANKCN2',
    );
    assert.equal(funded.status, 200, funded.text);

    const paid = await post(
      '/v1/payments',
      { ...paymentTo('BANKHK2', '1200.00'), payer: { wallet: id } },
      'BANKCN2',
    );
    assert.equal(paid.status, 201, paid.text);
    assert.equal(paid.body.status, 'settled', paid.text);
    const spent = (
      BigInt(paid.body.sell.amountMinor ?? 120000) + BigInt(paid.body.fee?.amountMinor ?? 0)
    ).toString();

    const view = await wallet(id);
    const minor = (amount: string) => BigInt(amount.replace('.', '')).toString();
    assert.equal(minor(view.limits.spentToday.amount), spent, JSON.stringify(view.limits));
    assert.equal(minor(view.limits.spentThisYear.amount), spent);
    assert.equal(view.limits.window.localDate, '2026-03-10');

    await app.restart();
    const again = await wallet(id);
    assert.deepEqual(again.limits, view.limits);
  });
});
