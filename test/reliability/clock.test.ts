import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/platform/clock/clock.js';
import { bankWalletAccountId } from '../../src/institutions/domain/chart-of-accounts.js';
import { assertSupplyMatchesLedger, balanceOf, fundBankWallet } from '../support/issuance-api.js';
import { assertLogConsistent, assertMemoryMatchesDatabase, eventually } from '../support/ledger-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, type Json, type TestApp, type TestResponse } from '../support/test-app.js';
import { reportFigures } from './support/figures.js';

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
const T0 = '2026-03-10T02:00:00.000Z'; // 10:00 on a Tuesday in Asia/Shanghai
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1_000).toISOString();

/**
 * Quotes and queued payments expire on the service clock, across restarts (issue 8, "Clock"). A
 * ManualClock drives the service (the quote TTL is 60 s, the settlement timer ticks every 50 ms
 * and expires queued payments); the clock is moved on while the service is down, so the expiry
 * must come from the state rebuilt from the log, not from anything held in the old process:
 *
 * - a quote still within its TTL after a restart pays, at its price;
 * - a quote whose TTL ran out across the restart is refused `quote_expired`, and nothing moves;
 * - a queued payment whose quote ran out across the restart is rejected `quote_expired` by the
 *   settlement cycle, and nothing moves;
 * - a queued payment expires at its `expiresAt`, not before, across two restarts; another with
 *   time left settles once its payer is funded.
 */
describe('the clock across restarts: quotes and queued payments', () => {
  let app: TestApp;
  let net: TestNetwork;
  const clock = new ManualClock(ns(T0));
  before(async () => {
    app = await startTestApp({
      clock,
      env: { YB_QUOTE_TTL_SECONDS: '60', YB_SETTLEMENT_INTERVAL_MS: '50' },
    });
  });
  after(async () => {
    await app?.close();
  });

  const ok = (response: TestResponse, status: number): Json => {
    assert.equal(response.status, status, response.text);
    return response.body;
  };
  const post = (path: string, body: unknown, by: string) =>
    app.request('POST', path, body, { 'idempotency-key': randomUUID() }, { as: net.as(by) });
  const quote = async (by: string, amount: string): Promise<Json> =>
    ok(await post('/v1/fx/quotes', { from: 'CNY', to: 'HKD', amount }, by), 201);
  const pay = async (by: string, amount: string, extra: Json = {}): Promise<Json> =>
    ok(
      await post(
        '/v1/payments',
        { payee: { bank: 'BANKHK2' }, amount, currency: 'CNY', purpose: 'Invoice (goods)', ...extra },
        by,
      ),
      201,
    );
  const payment = async (id: string, by: string): Promise<Json> =>
    ok(await app.request('GET', `/v1/payments/${id}`, undefined, {}, { as: net.as(by) }), 200);
  const wallet = (bank: string, currency: string) => balanceOf(app, bankWalletAccountId(bank, currency));
  /** Restarts the service while the clock moves on by `seconds`. */
  const restartAcross = async (seconds: number) => {
    await app.stop();
    clock.advanceSeconds(seconds);
    await app.restart();
  };

  it('a quote pays within its TTL and is refused after it, across a restart; queued payments expire on time', async () => {
    net = await setUpNetwork(app);
    ok(await app.request('PUT', '/v1/corridors/CN-HK', {}), 200);
    ok(await post('/v1/wallets', { currency: 'CNY' }, 'BANKHK1'), 201);
    await fundBankWallet(app, net.as('HKMA'), 'BANKHK1', 100_000_00n);
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 10_000_00n);
    ok(
      await app.request(
        'PUT',
        '/v1/fx/rate-sheets/CNY/HKD',
        { rate: '1.0850', spreadBps: 10, maxAmount: '50000.00', validForSeconds: 86_400 },
        {},
        { as: net.as('BANKHK1') },
      ),
      200,
    );

    // t0: a quote that will run out across the restart; BANKCN1 (no funds) queues three payments.
    const stale = await quote('BANKCN2', '1000.00');
    assert.equal(stale.expiresAt, at(60));
    const queuedQuote = await quote('BANKCN1', '200.00');
    const withQuote = await pay('BANKCN1', '200.00', { quote: queuedQuote.id });
    const short = await pay('BANKCN1', '300.00', { expiresInSeconds: 120 });
    const long = await pay('BANKCN1', '400.00', { expiresInSeconds: 600 });
    for (const p of [withQuote, short, long]) assert.equal(p.status, 'queued', JSON.stringify(p));
    assert.equal(short.expiresAt, at(120));

    // t0 + 40 s: a quote with 60 s to run.
    clock.advanceSeconds(40);
    const fresh = await quote('BANKCN2', '500.00');
    assert.equal(fresh.expiresAt, at(100));
    const cn2Before = await wallet('BANKCN2', 'CNY');
    const hk2Before = await wallet('BANKHK2', 'HKD');

    // Down while the clock passes the stale quote's expiry: t0 + 70 s.
    await restartAcross(30);

    const refused = await pay('BANKCN2', '1000.00', { quote: stale.id });
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.reason.code, 'quote_expired');
    assert.equal(await wallet('BANKCN2', 'CNY'), cn2Before, 'nothing moved for the expired quote');
    assert.equal(await wallet('BANKHK2', 'HKD'), hk2Before);
    const refusedView = await payment(refused.id, 'BANKCN2');
    assert.ok(!refusedView.timeline.some((e: Json) => e.type === 'PaymentSettled'));

    const paid = await pay('BANKCN2', '500.00', { quote: fresh.id });
    assert.equal(paid.status, 'settled', JSON.stringify(paid));
    assert.equal(paid.quote, fresh.id);
    assert.equal(paid.buy.amountMinor, fresh.buy.amountMinor, 'paid at the quoted price');
    assert.equal(await wallet('BANKCN2', 'CNY'), cn2Before - 500_00n);
    assert.equal(await wallet('BANKHK2', 'HKD'), hk2Before + BigInt(fresh.buy.amountMinor));

    // The queued payment whose quote ran out is rejected by the settlement timer; nothing moved.
    await eventually(
      'the queued payment with an expired quote rejected',
      async () => (await payment(withQuote.id, 'BANKCN1')).status === 'rejected',
    );
    assert.equal((await payment(withQuote.id, 'BANKCN1')).reason.code, 'quote_expired');
    // The others wait: 50 s and 530 s left.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await payment(short.id, 'BANKCN1')).status, 'queued', 'not before its expiresAt');
    assert.equal((await payment(long.id, 'BANKCN1')).status, 'queued');

    // Down again while the clock passes the short one's expiry: t0 + 121 s.
    await restartAcross(51);
    await eventually(
      'the queued payment expired after the restart',
      async () => (await payment(short.id, 'BANKCN1')).status === 'expired',
    );
    assert.equal((await payment(long.id, 'BANKCN1')).status, 'queued');

    // Funds arrive: the one with time left settles; the expired and rejected ones move nothing.
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN1', 1_000_00n);
    await eventually(
      'the payment with time left settled',
      async () => (await payment(long.id, 'BANKCN1')).status === 'settled',
    );
    assert.equal(await wallet('BANKCN1', 'CNY'), 1_000_00n - 400_00n);

    // History: the same after one more restart; supply and ledger agree; the audit chain holds.
    await app.restart();
    const statuses = await Promise.all(
      [withQuote, short, long].map(async (p) => (await payment(p.id, 'BANKCN1')).status),
    );
    assert.deepEqual(statuses, ['rejected', 'expired', 'settled']);
    assert.equal((await payment(refused.id, 'BANKCN2')).status, 'rejected');
    await assertSupplyMatchesLedger(app, 'CNY', net.as('PBOC'));
    await assertSupplyMatchesLedger(app, 'HKD', net.as('HKMA'));
    const verify = ok(await app.request('GET', '/v1/audit/verify'), 200);
    assert.equal(verify.ok, true, JSON.stringify(verify));
    await assertLogConsistent(app);
    await assertMemoryMatchesDatabase(app);

    reportFigures('clock', {
      restarts: 3,
      quotesChecked: 3,
      queuedPaymentsChecked: 3,
      quoteExpiredRefusals: 2,
      violations: 0,
    });
  });
});
