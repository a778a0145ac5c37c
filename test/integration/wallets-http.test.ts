import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/platform/clock/clock.js';
import { assertProblem } from '../support/ledger-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { fundBankWallet } from '../support/issuance-api.js';
import { startTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

/**
 * The wallets API end to end, on the network of test/support/network.ts. The service clock is a
 * ManualClock starting at 10:00 on 10 March 2026 in Asia/Shanghai (02:00 UTC).
 */
describe('wallets over HTTP', () => {
  let app: TestApp;
  let net: TestNetwork;
  const clock = new ManualClock(ns('2026-03-10T02:00:00Z'));

  before(async () => {
    app = await startTestApp({ clock });
    net = await setUpNetwork(app);
    // BANKCN1's own CNY wallet holds 200,000 CNY, issued by PBOC against reserves.
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN1', 200_000_00n);
  });
  after(async () => {
    await app?.close();
  });

  const events = () => app.db.scalar('select count(*) from events');
  const as = (id: string) => ({ as: net.as(id) });

  function post(path: string, body: unknown, by: string, key: string | null = randomUUID()) {
    return app.request('POST', path, body, key === null ? {} : { 'idempotency-key': key }, as(by));
  }
  const get = (path: string, by: string) => app.request('GET', path, undefined, {}, as(by));
  const pay = (by: string, from: string, to: string, amount: string, extra: Record<string, unknown> = {}) =>
    post('/v1/wallets/transfers', { from, to, amount, ...extra }, by);

  /** The request is refused with this status and code, and nothing at all is written. */
  async function refused(request: () => Promise<TestResponse>, status: number, code: string) {
    const before = await events();
    const problem = assertProblem(await request(), status, code);
    assert.equal(await events(), before, `${code}: nothing may be written`);
    return problem;
  }

  async function openCustomer(bank: string, tier: number, id = randomUUID()): Promise<string> {
    const response = await post(
      '/v1/wallets',
      { kind: 'customer', id, tier, holderReference: `h-${id.slice(0, 6)}` },
      bank,
    );
    assert.equal(response.status, 201, response.text);
    return id;
  }

  const balanceOf = async (id: string, by = 'OPERATOR') => {
    const response = await get(`/v1/wallets/${id}`, by);
    assert.equal(response.status, 200, response.text);
    return response.body.balance.amount as string;
  };

  describe('opening wallets', () => {
    it('a customer wallet: 201, Location, the tier’s default limits in the home currency', async () => {
      const id = randomUUID();
      const response = await post(
        '/v1/wallets',
        { kind: 'customer', id, tier: 4, holderReference: 'phone-8613800000000' },
        'BANKCN1',
      );
      assert.equal(response.status, 201, response.text);
      assert.equal(response.headers.get('location'), `/v1/wallets/${id}`);
      const w = response.body;
      assert.equal(w.id, id);
      assert.equal(w.currency, 'CNY');
      assert.equal(w.bankId, 'BANKCN1');
      assert.equal(w.tier, 4);
      assert.deepEqual(w.balance, { amount: '0.00', amountMinor: '0' });
      assert.equal(w.limits.singlePayment.amount, '2000.00');
      assert.equal(w.limits.daily.amount, '5000.00');
      assert.equal(w.limits.balance.amount, '10000.00');
      assert.equal(w.limits.annual.amount, '50000.00');
      assert.deepEqual(w.limits.window, { timeZone: 'Asia/Shanghai', localDate: '2026-03-10' });
      assert.equal(w.frozen, null);
      await refused(
        () => post('/v1/wallets', { kind: 'customer', id, tier: 2, holderReference: 'x' }, 'BANKCN2'),
        409,
        'wallet_exists',
      );
    });

    it('a bank wallet in a foreign CBDC; not twice, not in an unissued currency, not by a central bank', async () => {
      const response = await post('/v1/wallets', { currency: 'HKD' }, 'BANKCN1');
      assert.equal(response.status, 201, response.text);
      assert.equal(response.body.id, 'BANKCN1.HKD');
      assert.equal(response.body.limits, null);
      await refused(() => post('/v1/wallets', { currency: 'HKD' }, 'BANKCN1'), 409, 'wallet_exists');
      await refused(() => post('/v1/wallets', { currency: 'CNY' }, 'BANKCN1'), 409, 'wallet_exists');
      await refused(() => post('/v1/wallets', { currency: 'THB' }, 'BANKCN1'), 422, 'currency_not_issued');
      await refused(() => post('/v1/wallets', { currency: 'HKD' }, 'PBOC'), 403, 'forbidden_role');
      await refused(
        () => post('/v1/wallets', { kind: 'customer', tier: 5, holderReference: 'x' }, 'BANKCN1'),
        400,
        'invalid_request',
      );
    });
  });

  describe('tier limits at their edges', () => {
    let w4: string;
    let sink: string;
    before(async () => {
      w4 = await openCustomer('BANKCN1', 4);
      sink = await openCustomer('BANKCN2', 1);
      // Up to the balance cap exactly: 10,000.00.
      const funded = await pay('BANKCN1', 'BANKCN1.CNY', w4, '10000.00');
      assert.equal(funded.status, 200, funded.text);
    });

    it('balance cap: a wallet holding exactly 10,000 cannot receive 0.01 more', async () => {
      await refused(() => pay('BANKCN1', 'BANKCN1.CNY', w4, '0.01'), 422, 'balance_limit_exceeded');
    });

    it('balance cap: one under, at, one over for a fresh wallet', async () => {
      const w = await openCustomer('BANKCN2', 4);
      assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w, '9999.99')).status, 200);
      await refused(() => pay('BANKCN1', 'BANKCN1.CNY', w, '0.02'), 422, 'balance_limit_exceeded');
      assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w, '0.01')).status, 200);
      assert.equal(await balanceOf(w), '10000.00');
    });

    it('single payment: 2,000.01 refused; 1,999.99 and 2,000.00 pass', async () => {
      const problem = await refused(
        () => pay('BANKCN1', w4, sink, '2000.01'),
        422,
        'single_payment_limit_exceeded',
      );
      assert.match(problem.detail, /2000\.00 CNY/);
      const under = await pay('BANKCN1', w4, sink, '1999.99', { reference: 'rent' });
      assert.equal(under.status, 200, under.text);
      assert.equal(under.body.amount, '1999.99');
      assert.equal(under.body.status, 'settled');
      assert.equal(under.body.reference, 'rent');
      assert.equal((await pay('BANKCN1', w4, sink, '2000.00')).status, 200);
    });

    it('daily: with 3,999.99 spent, 1,000.02 is refused, 1,000.01 reaches 5,000 exactly, then 0.01 is refused', async () => {
      await refused(() => pay('BANKCN1', w4, sink, '1000.02'), 422, 'daily_limit_exceeded');
      assert.equal((await pay('BANKCN1', w4, sink, '1000.01')).status, 200);
      const view = (await get(`/v1/wallets/${w4}`, 'BANKCN1')).body;
      assert.equal(view.limits.spentToday.amount, '5000.00');
      assert.equal(view.limits.remaining.today.amount, '0.00');
      assert.equal(view.limits.remaining.thisYear.amount, '45000.00');
      assert.equal(view.balance.amount, '5000.00');
      assert.equal(view.limits.remaining.balanceHeadroom.amount, '5000.00');
      assert.equal(view.limits.remaining.largestPayment.amount, '0.00');
      await refused(
        () => pay('BANKCN1', w4, sink, '0.01', { amount: undefined, amountMinor: '1' }),
        422,
        'daily_limit_exceeded',
      );
    });

    it('daily: the window turns at local midnight in Asia/Shanghai (16:00 UTC)', async () => {
      clock.set(ns('2026-03-10T15:59:59Z'));
      await refused(() => pay('BANKCN1', w4, sink, '0.01'), 422, 'daily_limit_exceeded');
      clock.set(ns('2026-03-10T16:00:00Z'));
      assert.equal((await pay('BANKCN1', w4, sink, '2000.00')).status, 200);
      const view = (await get(`/v1/wallets/${w4}`, 'PBOC')).body;
      assert.equal(view.limits.window.localDate, '2026-03-11');
      assert.equal(view.limits.spentToday.amount, '2000.00');
      assert.equal(view.limits.spentThisYear.amount, '7000.00');
    });

    it('annual, as set by PBOC for tier 3 (300.00): under, at, over, and a new local year', async () => {
      const set = await app.request(
        'PUT',
        '/v1/currencies/CNY/wallet-tiers/3',
        { singlePayment: null, daily: null, balance: null, annual: '300.00' },
        {},
        as('PBOC'),
      );
      assert.equal(set.status, 200, set.text);
      assert.equal(set.body.annual.amount, '300.00');
      assert.equal(set.body.source, 'central_bank');
      const tiers = await get('/v1/currencies/CNY/wallet-tiers', 'BANKCN2');
      assert.equal(tiers.body.tiers[2].annual.amount, '300.00');
      assert.equal(tiers.body.tiers[3].source, 'default');
      await refused(
        () =>
          app.request(
            'PUT',
            '/v1/currencies/CNY/wallet-tiers/3',
            { singlePayment: null, daily: null, balance: null, annual: '1.00' },
            {},
            as('HKMA'),
          ),
        403,
        'forbidden_scope',
      );

      const w3 = await openCustomer('BANKCN1', 3);
      assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w3, '1000.00')).status, 200);
      assert.equal((await pay('BANKCN1', w3, sink, '299.99')).status, 200);
      await refused(() => pay('BANKCN1', w3, sink, '0.02'), 422, 'annual_limit_exceeded');
      assert.equal((await pay('BANKCN1', w3, sink, '0.01')).status, 200);
      await refused(() => pay('BANKCN1', w3, sink, '0.01'), 422, 'annual_limit_exceeded');
      clock.set(ns('2026-12-31T15:59:00Z'));
      await refused(() => pay('BANKCN1', w3, sink, '0.01'), 422, 'annual_limit_exceeded');
      clock.set(ns('2026-12-31T16:00:00Z')); // 1 January 2027, 00:00 in Shanghai
      assert.equal((await pay('BANKCN1', w3, sink, '300.00')).status, 200);
    });
  });

  describe('who may move money, and what', () => {
    let w: string;
    let other: string;
    before(async () => {
      w = await openCustomer('BANKCN1', 1);
      other = await openCustomer('BANKCN2', 1);
      assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w, '100.00')).status, 200);
    });

    it('another bank moving BANKCN1’s customer’s money is refused (403), as is an unknown wallet, alike', async () => {
      const known = await refused(() => pay('BANKCN2', w, other, '1.00'), 403, 'forbidden_scope');
      const unknownId = randomUUID();
      const unknown = await refused(() => pay('BANKCN2', unknownId, other, '1.00'), 403, 'forbidden_scope');
      assert.equal(unknown.detail.replace(unknownId, w), known.detail);
      await refused(() => pay('PBOC', w, other, '1.00'), 403, 'forbidden_role');
    });

    it('insufficient funds, currency mismatch, unknown recipient, bad amounts; a key is required', async () => {
      await refused(() => pay('BANKCN1', w, other, '100.01'), 422, 'insufficient_funds');
      await refused(() => pay('BANKCN1', 'BANKCN1.HKD', other, '1.00'), 422, 'currency_mismatch');
      await refused(() => pay('BANKCN1', w, randomUUID(), '1.00'), 422, 'recipient_unknown');
      const precise = await refused(() => pay('BANKCN1', w, other, '1.001'), 400, 'invalid_request');
      assert.equal(precise.errors?.[0]?.code, 'amount_too_precise');
      await refused(
        () => post('/v1/wallets/transfers', { from: w, to: other, amount: '1.00' }, 'BANKCN1', null),
        400,
        'idempotency_key_required',
      );
    });

    it('an idempotent retry answers the same transfer without paying twice', async () => {
      const key = randomUUID();
      const first = await post(
        '/v1/wallets/transfers',
        { from: w, to: other, amount: '10.00' },
        'BANKCN1',
        key,
      );
      assert.equal(first.status, 200, first.text);
      const before = await events();
      const again = await post(
        '/v1/wallets/transfers',
        { from: w, to: other, amount: '10.00' },
        'BANKCN1',
        key,
      );
      assert.equal(again.status, 200, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal(await events(), before);
      assert.equal(await balanceOf(w), '90.00');
    });
  });

  describe('freezes', () => {
    let w: string;
    let other: string;
    before(async () => {
      w = await openCustomer('BANKCN1', 1);
      other = await openCustomer('BANKCN2', 1);
      assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w, '100.00')).status, 200);
    });

    it('by the central bank: frozen wallets neither send nor receive; unfrozen, they do', async () => {
      const frozen = await post(
        `/v1/wallets/${w}/freeze`,
        { reason: 'court order 17', scope: 'all' },
        'PBOC',
      );
      assert.equal(frozen.status, 200, frozen.text);
      assert.equal(frozen.body.frozen.frozenBy, 'PBOC');
      await refused(() => pay('BANKCN1', w, other, '1.00'), 422, 'sender_frozen');
      await refused(() => pay('BANKCN1', 'BANKCN1.CNY', w, '1.00'), 422, 'recipient_frozen');
      const view = (await get(`/v1/wallets/${w}`, 'BANKCN1')).body;
      assert.deepEqual(
        {
          scope: view.frozen.scope,
          reason: view.frozen.reason,
          by: view.frozen.frozenBy,
          source: view.frozen.source,
        },
        { scope: 'all', reason: 'court order 17', by: 'PBOC', source: 'wallet' },
      );
      const lifted = await post(`/v1/wallets/${w}/unfreeze`, { reason: 'order lifted' }, 'PBOC');
      assert.equal(lifted.status, 200, lifted.text);
      assert.equal(lifted.body.frozen, null);
      assert.equal((await pay('BANKCN1', w, other, '1.00')).status, 200);
      await refused(
        () => post(`/v1/wallets/${w}/unfreeze`, { reason: 'again' }, 'PBOC'),
        409,
        'wallet_not_frozen',
      );
    });

    it('by a regulator of the jurisdiction, outgoing only: the wallet still receives', async () => {
      const frozen = await post(
        `/v1/wallets/${w}/freeze`,
        { reason: 'AML review', scope: 'outgoing' },
        'REG-CN',
      );
      assert.equal(frozen.status, 200, frozen.text);
      await refused(() => pay('BANKCN1', w, other, '1.00'), 422, 'sender_frozen');
      assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w, '1.00')).status, 200);
      assert.equal((await post(`/v1/wallets/${w}/unfreeze`, { reason: 'cleared' }, 'REG-CN')).status, 200);
    });

    it('a regulator or central bank of another jurisdiction is refused; banks and the operator may not', async () => {
      await refused(() => post(`/v1/wallets/${w}/freeze`, { reason: 'x' }, 'REG-HK'), 403, 'forbidden_scope');
      await refused(() => post(`/v1/wallets/${w}/freeze`, { reason: 'x' }, 'HKMA'), 403, 'forbidden_scope');
      await refused(() => post(`/v1/wallets/${w}/freeze`, { reason: 'x' }, 'BANKCN1'), 403, 'forbidden_role');
      await refused(
        () => post(`/v1/wallets/${w}/freeze`, { reason: 'x' }, 'OPERATOR'),
        403,
        'forbidden_role',
      );
      await refused(
        () => post(`/v1/wallets/${w}/freeze`, { reason: 'x', scope: 'some' }, 'PBOC'),
        400,
        'invalid_request',
      );
      await refused(
        () => post('/v1/institutions/BANKCN2/freeze', { reason: 'x' }, 'REG-HK'),
        403,
        'forbidden_scope',
      );
    });

    it('a whole bank, by a regulator: its customers’ wallets can neither send nor receive until unfrozen', async () => {
      const frozen = await post('/v1/institutions/BANKCN2/freeze', { reason: 'resolution' }, 'REG-CN');
      assert.equal(frozen.status, 200, frozen.text);
      assert.equal(frozen.body.frozen.scope, 'all');
      await refused(() => pay('BANKCN1', w, other, '1.00'), 422, 'recipient_frozen');
      await refused(() => pay('BANKCN2', other, w, '1.00'), 422, 'sender_frozen');
      await refused(() => pay('BANKCN2', 'BANKCN2.CNY', w, '1.00'), 422, 'sender_frozen');
      const view = (await get(`/v1/wallets/${other}`, 'REG-CN')).body;
      assert.equal(view.frozen.source, 'institution');
      assert.equal(
        (await post('/v1/institutions/BANKCN2/unfreeze', { reason: 'resolved' }, 'PBOC')).status,
        200,
      );
      assert.equal((await pay('BANKCN1', w, other, '1.00')).status, 200);
    });
  });

  describe('reads', () => {
    let w: string;
    let other: string;
    before(async () => {
      w = await openCustomer('BANKCN1', 1);
      other = await openCustomer('BANKCN2', 1);
      assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w, '50.00')).status, 200);
      for (let i = 1; i <= 4; i++) {
        assert.equal((await pay('BANKCN1', w, other, `${i}.00`, { reference: `r${i}` })).status, 200);
      }
    });

    it('the bank, its central bank, its regulator and the operator see a wallet; others get 403, existing or not', async () => {
      for (const reader of ['BANKCN1', 'PBOC', 'REG-CN', 'OPERATOR']) {
        const response = await get(`/v1/wallets/${w}`, reader);
        assert.equal(response.status, 200, `${reader}: ${response.text}`);
        assert.equal(response.body.balance.amount, '40.00');
      }
      for (const reader of ['BANKCN2', 'HKMA', 'REG-HK', 'BANKHK1']) {
        assertProblem(await get(`/v1/wallets/${w}`, reader), 403, 'forbidden_scope');
        assertProblem(await get(`/v1/wallets/${randomUUID()}`, reader), 403, 'forbidden_scope');
        assertProblem(await get(`/v1/wallets/${w}/history`, reader), 403, 'forbidden_scope');
      }
      assertProblem(await get(`/v1/wallets/${randomUUID()}`, 'OPERATOR'), 404, 'wallet_not_found');
      assertProblem(await get('/v1/wallets/not-a-wallet', 'OPERATOR'), 400, 'wallet_id_invalid');
    });

    it('history: oldest first, a page at a time, with direction, counterparty and reference', async () => {
      const seen: Array<{
        direction: string;
        amount: string;
        reference: string | null;
        counterparty: { walletId: string | null };
      }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=2${cursor === null ? '' : `&after=${cursor}`}`;
        const page: TestResponse = await get(`/v1/wallets/${w}/history${query}`, 'BANKCN1');
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor !== null);
      assert.equal(pages, 3);
      assert.deepEqual(
        seen.map((t) => [t.direction, t.amount, t.reference, t.counterparty.walletId]),
        [
          ['in', '50.00', null, 'BANKCN1.CNY'],
          ['out', '1.00', 'r1', other],
          ['out', '2.00', 'r2', other],
          ['out', '3.00', 'r3', other],
          ['out', '4.00', 'r4', other],
        ],
      );
      assertProblem(await get(`/v1/wallets/${w}/history?limit=0`, 'BANKCN1'), 400, 'invalid_request');
    });

    it('a bank’s wallets, paginated by id; its central bank sees them, another bank does not', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: TestResponse = await get(
          `/v1/wallets?bank=BANKCN1&limit=3${cursor ? `&after=${cursor}` : ''}`,
          'PBOC',
        );
        assert.equal(page.status, 200, page.text);
        ids.push(...page.body.items.map((item: { id: string; bankId: string }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      const [{ count }] = await app.db.query<{ count: string }>(
        "select count(*) from wallets where bank_id = 'BANKCN1'",
      );
      assert.equal(ids.length, Number(count));
      assert.deepEqual(ids, [...ids].sort());
      assert.ok(ids.includes('BANKCN1.CNY') && ids.includes('BANKCN1.HKD') && ids.includes(w));
      const own = await get('/v1/wallets?limit=1000', 'BANKCN1');
      assert.equal(own.body.items.length, ids.length);
      assertProblem(await get('/v1/wallets?bank=BANKCN1', 'BANKCN2'), 403, 'forbidden_scope');
      assertProblem(await get('/v1/wallets?bank=BANKCN1', 'REG-HK'), 403, 'forbidden_scope');
      assertProblem(await get('/v1/wallets', 'PBOC'), 400, 'invalid_request');
    });
  });

  it('a restart rebuilds the same wallets, freezes and spending from the log', async () => {
    const w = await openCustomer('BANKCN1', 4);
    const other = await openCustomer('BANKCN2', 1);
    assert.equal((await pay('BANKCN1', 'BANKCN1.CNY', w, '5000.00')).status, 200);
    assert.equal((await pay('BANKCN1', w, other, '2000.00')).status, 200);
    assert.equal(
      (await post('/v1/wallets/' + other + '/freeze', { reason: 'x', scope: 'all' }, 'PBOC')).status,
      200,
    );
    const before = (await get(`/v1/wallets/${w}`, 'BANKCN1')).body;
    await app.restart();
    assert.deepEqual((await get(`/v1/wallets/${w}`, 'BANKCN1')).body, before);
    // The rules, too: today's 2,000 still counts, and the freeze still holds.
    await refused(() => pay('BANKCN1', w, other, '2000.00'), 422, 'recipient_frozen');
    assert.equal((await post('/v1/wallets/' + other + '/unfreeze', { reason: 'y' }, 'PBOC')).status, 200);
    assert.equal((await pay('BANKCN1', w, other, '2000.00')).status, 200);
    await refused(() => pay('BANKCN1', w, other, '1000.01'), 422, 'daily_limit_exceeded');
  });
});
