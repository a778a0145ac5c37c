import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/platform/clock/clock.js';
import { generateKeyPair, publicKeyToBase64url } from '../../src/platform/signatures/index.js';
import {
  bankWalletAccountId,
  settlementClearingAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import { assertProblem } from '../support/ledger-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { balanceOf, fundBankWallet } from '../support/issuance-api.js';
import {
  startTestApp,
  type Json,
  type Signer,
  type TestApp,
  type TestResponse,
} from '../support/test-app.js';

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

/**
 * Cross-border payments end to end over signed HTTP, on the network of test/support/network.ts.
 * Every test starts its own service with the settlement timer off (cycles run through the
 * operator's endpoint) and a ManualClock at 10:00 on Tuesday 10 March 2026 in Asia/Shanghai:
 *
 * - corridor CN-HK open (the operator; fees as the test says);
 * - BANKHK1, a liquidity provider, holds 100,000.00 HKD and a CNY wallet, and sells HKD for CNY at
 *   1.0850 less 10 bps: 1 CNY buys 1.083915 HKD, the payee's amount rounded down;
 * - BANKCN2 holds 10,000.00 CNY; BANKCN1 holds nothing (its payments wait for funds).
 */
describe('payments over HTTP', () => {
  let app: TestApp | undefined;
  let net: TestNetwork;
  let clock: ManualClock;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(options: { fees?: Json; intervalMs?: number } = {}): Promise<TestApp> {
    clock = new ManualClock(ns('2026-03-10T02:00:00Z'));
    app = await startTestApp({
      clock,
      env: { YB_SETTLEMENT_INTERVAL_MS: String(options.intervalMs ?? 0) },
    });
    net = await setUpNetwork(app);
    ok(await app.request('PUT', '/v1/corridors/CN-HK', options.fees ? { fees: options.fees } : {}), 200);
    ok(await post('/v1/wallets', { currency: 'CNY' }, 'BANKHK1'), 201);
    await fundBankWallet(app, net.as('HKMA'), 'BANKHK1', 100_000_00n);
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 10_000_00n);
    ok(
      await put(
        '/v1/fx/rate-sheets/CNY/HKD',
        { rate: '1.0850', spreadBps: 10, maxAmount: '50000.00', validForSeconds: 86_400 },
        'BANKHK1',
      ),
      200,
    );
    return app;
  }

  const current = (): TestApp => {
    if (app === undefined) throw new Error('no app');
    return app;
  };
  const as = (id: string): { as: Signer } => ({ as: net.as(id) });
  const events = () => current().db.scalar('select count(*) from events');
  const wallet = (bank: string, currency: string) =>
    balanceOf(current(), bankWalletAccountId(bank, currency));

  function ok(response: TestResponse, status: number): Json {
    assert.equal(response.status, status, response.text);
    return response.body;
  }
  function post(path: string, body: unknown, by: string, key: string | null = randomUUID()) {
    return current().request('POST', path, body, key === null ? {} : { 'idempotency-key': key }, as(by));
  }
  function put(path: string, body: unknown, by: string) {
    return current().request('PUT', path, body, {}, as(by));
  }
  const get = (path: string, by: string) => current().request('GET', path, undefined, {}, as(by));

  const payment = (extra: Json = {}): Json => ({
    payee: { bank: 'BANKHK2' },
    amount: '1000.00',
    currency: 'CNY',
    purpose: 'Invoice 2026-031 (goods)',
    ...extra,
  });
  const pay = (by: string, extra: Json = {}, key?: string) => post('/v1/payments', payment(extra), by, key);
  const cycle = async (): Promise<Json> =>
    ok(await current().request('POST', '/v1/payments/settlement-cycles', {}), 200);

  /** Refused with this status and code, and nothing at all written. */
  async function refused(request: () => Promise<TestResponse>, status: number, code: string) {
    const before = await events();
    const problem = assertProblem(await request(), status, code);
    assert.equal(await events(), before, `${code}: nothing may be written`);
    return problem;
  }

  it('settles PvP at once: two legs, the payee’s amount rounded down, balances exact', async () => {
    await start();
    const response = await pay('BANKCN2', { remittanceInfo: 'INV-031' });
    const p = ok(response, 201);
    assert.equal(response.headers.get('location'), `/v1/payments/${p.id}`);
    assert.equal(p.status, 'settled');
    assert.equal(p.reason, null);
    assert.equal(p.corridor, 'CN-HK');
    assert.equal(p.settledBy, 'gross');
    assert.deepEqual(p.sell, { currency: 'CNY', amount: '1000.00', amountMinor: '100000' });
    // 100,000 × 1.0850 × 0.999 = 108,391.5 minor units → 108,391 (rounded down, for the provider).
    assert.deepEqual(p.buy, { currency: 'HKD', amount: '1083.91', amountMinor: '108391' });
    assert.deepEqual(p.fee, { currency: 'CNY', amount: '0.00', amountMinor: '0' });
    assert.deepEqual(p.providers, ['BANKHK1']);

    assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n - 100_000n);
    assert.equal(await wallet('BANKHK1', 'CNY'), 100_000n);
    assert.equal(await wallet('BANKHK1', 'HKD'), 100_000_00n - 108_391n);
    assert.equal(await wallet('BANKHK2', 'HKD'), 108_391n);

    const full = ok(await get(`/v1/payments/${p.id}`, 'BANKHK2'), 200);
    assert.deepEqual(
      full.timeline.map((e: Json) => e.type),
      ['PaymentReceived', 'PaymentScreened', 'PaymentSettled'],
    );
    const positions = full.timeline.map((e: Json) => BigInt(e.position));
    assert.ok(positions[0] < positions[1] && positions[1] < positions[2]);
    const settled = full.timeline[2].data;
    assert.deepEqual(
      settled.legs.map((l: Json) => [l.kind, l.from, l.to, l.currency, l.amountMinor]),
      [
        ['payer_to_provider', 'BANKCN2.CNY', 'BANKHK1.CNY', 'CNY', '100000'],
        ['provider_to_payee', 'BANKHK1.HKD', 'BANKHK2.HKD', 'HKD', '108391'],
      ],
    );
    assert.equal(full.timeline[0].actor, 'BANKCN2');
    // The ledger holds both legs, tagged with the payment.
    assert.equal(
      await current().db.scalar('select count(*) from ledger_transfers where user_data_128 = $1', [p.id]),
      2n,
    );
  });

  it('charges the corridor fee as its own leg to the operator', async () => {
    await start({ fees: { CN: { fixed: '1.00', bps: 10 } } });
    const p = ok(await pay('BANKCN2'), 201);
    assert.equal(p.status, 'settled');
    // 1.00 + 1000.00 × 10 bps = 2.00 CNY.
    assert.deepEqual(p.fee, { currency: 'CNY', amount: '2.00', amountMinor: '200' });
    assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n - 100_000n - 200n);
    assert.equal(await wallet('OPERATOR', 'CNY'), 200n);
    assert.equal(await wallet('BANKHK2', 'HKD'), 108_391n);
    const full = ok(await get(`/v1/payments/${p.id}`, 'OPERATOR'), 200);
    assert.deepEqual(
      full.timeline[2].data.legs.map((l: Json) => [l.kind, l.from, l.to, l.amountMinor]),
      [
        ['payer_to_provider', 'BANKCN2.CNY', 'BANKHK1.CNY', '100000'],
        ['provider_to_payee', 'BANKHK1.HKD', 'BANKHK2.HKD', '108391'],
        ['fee', 'BANKCN2.CNY', 'OPERATOR.CNY', '200'],
      ],
    );
  });

  it('the payee’s amount fixed: the payer pays it rounded up', async () => {
    await start();
    const p = ok(await pay('BANKCN2', { amount: '1000.00', currency: 'HKD' }), 201);
    assert.equal(p.status, 'settled');
    assert.equal(p.fixed, 'target');
    assert.deepEqual(p.buy, { currency: 'HKD', amount: '1000.00', amountMinor: '100000' });
    // 100,000 ÷ 1.083915 = 92,258.16… → 92,259 (rounded up, for the provider).
    assert.deepEqual(p.sell, { currency: 'CNY', amount: '922.59', amountMinor: '92259' });
    assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n - 92_259n);
  });

  it('queues a payment the payer cannot fund, and a cycle settles it once funded', async () => {
    await start();
    const p = ok(await pay('BANKCN1'), 201);
    assert.equal(p.status, 'queued');
    assert.equal(p.reason.code, 'awaiting_funds');
    assert.equal(p.sell.amountMinor, '100000');
    assert.equal(p.buy, null);
    assert.deepEqual(await cycle(), {
      liquiditySaving: true,
      expired: 0,
      rejected: 0,
      settledGross: 0,
      settledNet: 0,
      sets: [],
      queued: 1,
    });
    await fundBankWallet(current(), net.as('PBOC'), 'BANKCN1', 1_000_00n);
    const report = await cycle();
    assert.equal(report.settledGross, 1);
    assert.equal(report.queued, 0);
    const after = ok(await get(`/v1/payments/${p.id}`, 'BANKCN1'), 200);
    assert.equal(after.status, 'settled');
    assert.equal(after.reason, null);
    assert.equal(after.buy.amountMinor, '108391');
    assert.deepEqual(
      after.timeline.map((e: Json) => e.type),
      ['PaymentReceived', 'PaymentScreened', 'PaymentQueued', 'PaymentSettled'],
    );
    assert.equal(after.timeline[3].actor, 'OPERATOR');
    assert.equal(await wallet('BANKCN1', 'CNY'), 0n);
    assert.equal(await wallet('BANKHK2', 'HKD'), 108_391n);
    // Nothing left to do: a further cycle writes nothing.
    const before = await events();
    assert.equal((await cycle()).queued, 0);
    assert.equal(await events(), before);
  });

  it('the settlement timer settles a queued payment by itself, as the system', async () => {
    await start({ intervalMs: 20 });
    const p = ok(await pay('BANKCN1'), 201);
    assert.equal(p.status, 'queued');
    await fundBankWallet(current(), net.as('PBOC'), 'BANKCN1', 1_000_00n);
    let seen: Json = null;
    for (let i = 0; i < 200 && seen?.status !== 'settled'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = ok(await get(`/v1/payments/${p.id}`, 'BANKCN1'), 200);
    }
    assert.equal(seen.status, 'settled');
    assert.equal(seen.timeline.at(-1).actor, 'system');
    // The queue is empty: the timer submits nothing more.
    const before = await events();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await events(), before);
  });

  it('expires a queued payment that is still waiting at its expiry', async () => {
    await start();
    const p = ok(await pay('BANKCN1', { expiresInSeconds: 60 }), 201);
    assert.equal(p.expiresAt, '2026-03-10T02:01:00.000Z');
    clock.advanceSeconds(59);
    assert.equal((await cycle()).expired, 0);
    clock.advanceSeconds(1);
    const report = await cycle();
    assert.equal(report.expired, 1);
    assert.equal(report.queued, 0);
    const after = ok(await get(`/v1/payments/${p.id}`, 'BANKCN1'), 200);
    assert.equal(after.status, 'expired');
    assert.equal(after.timeline.at(-1).type, 'PaymentExpired');
    // Funds arriving later move nothing.
    await fundBankWallet(current(), net.as('PBOC'), 'BANKCN1', 1_000_00n);
    assert.equal((await cycle()).settledGross, 0);
    assert.equal(await wallet('BANKCN1', 'CNY'), 1_000_00n);
  });

  it('cancels a queued payment: only its payer, only while queued', async () => {
    await start();
    const p = ok(await pay('BANKCN1'), 201);
    await refused(
      () => post(`/v1/payments/${p.id}/cancel`, { reason: 'x' }, 'BANKHK2'),
      403,
      'forbidden_scope',
    );
    // Not within its reach: the same 403 as for a payment that does not exist.
    const hidden = await refused(
      () => post(`/v1/payments/${p.id}/cancel`, { reason: 'x' }, 'BANKCN2'),
      403,
      'forbidden_scope',
    );
    const none = await refused(
      () => post(`/v1/payments/${randomUUID()}/cancel`, { reason: 'x' }, 'BANKCN2'),
      403,
      'forbidden_scope',
    );
    assert.match(hidden.detail, /no payment .* within its reach/);
    assert.match(none.detail, /no payment .* within its reach/);
    await refused(() => post(`/v1/payments/${p.id}/cancel`, {}, 'BANKCN1'), 400, 'invalid_request');
    const cancelled = ok(
      await post(`/v1/payments/${p.id}/cancel`, { reason: 'Duplicate instruction' }, 'BANKCN1'),
      200,
    );
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.reason.code, 'cancelled_by_payer');
    await refused(
      () => post(`/v1/payments/${p.id}/cancel`, { reason: 'again' }, 'BANKCN1'),
      409,
      'payment_not_queued',
    );
    const settled = ok(await pay('BANKCN2'), 201);
    await refused(
      () => post(`/v1/payments/${settled.id}/cancel`, { reason: 'late' }, 'BANKCN2'),
      409,
      'payment_not_queued',
    );
    await fundBankWallet(current(), net.as('PBOC'), 'BANKCN1', 1_000_00n);
    assert.equal((await cycle()).settledGross, 0);
    assert.equal(await wallet('BANKCN1', 'CNY'), 1_000_00n);
  });

  it('records a sanctions hit as a rejected payment a regulator can read, and moves nothing', async () => {
    await start();
    const p = ok(await pay('BANKCN2', { payee: { bank: 'BANKHK2', name: 'IVAN  sanctioned' } }), 201);
    assert.equal(p.status, 'rejected');
    assert.equal(p.reason.code, 'sanctions_hit');
    assert.match(p.reason.detail, /sanctions list/);
    assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n);
    const seen = ok(await get(`/v1/payments/${p.id}`, 'REG-HK'), 200);
    assert.equal(seen.status, 'rejected');
    assert.equal(seen.reason.code, 'sanctions_hit');
    assert.deepEqual(
      seen.timeline.map((e: Json) => e.type),
      ['PaymentReceived', 'PaymentRejected'],
    );
    const listed = ok(await get('/v1/payments?status=rejected', 'REG-CN'), 200);
    assert.deepEqual(
      listed.items.map((i: Json) => i.id),
      [p.id],
    );
  });

  it('rejects payments on a suspended corridor, and settles again once it resumes', async () => {
    await start();
    ok(await post('/v1/corridors/CN-HK/suspend', { reason: 'Market disruption drill' }, 'HKMA', null), 200);
    const p = ok(await pay('BANKCN2'), 201);
    assert.equal(p.status, 'rejected');
    assert.equal(p.reason.code, 'corridor_suspended');
    assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n);
    ok(await post('/v1/corridors/CN-HK/resume', { reason: 'Drill over' }, 'HKMA', null), 200);
    assert.equal(ok(await pay('BANKCN2'), 201).status, 'settled');
  });

  it('lets payments out up to the daily outbound quota exactly, not a cent more, until the next local day', async () => {
    await start();
    ok(await put('/v1/corridors/CN-HK/sides/CN', { dailyOutboundQuota: '2000.00' }, 'PBOC'), 200);
    assert.equal(ok(await pay('BANKCN2', { amount: '1500.00' }), 201).status, 'settled');
    assert.equal(ok(await pay('BANKCN2', { amount: '500.00' }), 201).status, 'settled');
    const over = ok(await pay('BANKCN2', { amount: '0.01' }), 201);
    assert.equal(over.status, 'rejected');
    assert.equal(over.reason.code, 'outbound_quota_exceeded');
    const corridor = ok(await get('/v1/corridors/CN-HK', 'PBOC'), 200);
    assert.equal(
      corridor.sides.find((s: Json) => s.jurisdiction === 'CN').outboundToday.amountMinor,
      '200000',
    );
    // 01:00 the next day in Shanghai: a new quota day.
    clock.advanceSeconds(15 * 3600);
    assert.equal(ok(await pay('BANKCN2', { amount: '0.01' }), 201).status, 'settled');
  });

  it('keeps queued payments across a restart; one cycle settles each exactly once', async () => {
    await start();
    const a = ok(await pay('BANKCN1', { amount: '100.00' }), 201);
    const b = ok(await pay('BANKCN1', { amount: '200.00', priority: 9 }), 201);
    assert.equal(a.status, 'queued');
    assert.equal(b.status, 'queued');
    await current().restart();
    await fundBankWallet(current(), net.as('PBOC'), 'BANKCN1', 300_00n);
    const report = await cycle();
    assert.equal(report.settledGross, 2);
    assert.equal(report.queued, 0);
    await current().restart();
    assert.equal((await cycle()).settledGross, 0);
    assert.equal(await wallet('BANKCN1', 'CNY'), 0n);
    // 10,000 × 1.083915 = 10,839.15 → 10,839; 20,000 × 1.083915 = 21,678.3 → 21,678.
    assert.equal(await wallet('BANKHK2', 'HKD'), 10_839n + 21_678n);
    for (const p of [a, b]) {
      const seen = ok(await get(`/v1/payments/${p.id}`, 'BANKCN1'), 200);
      assert.equal(seen.status, 'settled');
      assert.equal(seen.timeline.filter((e: Json) => e.type === 'PaymentSettled').length, 1);
      assert.equal(
        await current().db.scalar('select count(*) from ledger_transfers where user_data_128 = $1', [p.id]),
        2n,
      );
    }
  });

  it('settles a bilateral gridlock net when liquidity saving is on, not gross', async () => {
    await start();
    // BANKHK1 also sells CNY for HKD (at 0.95, no spread). Neither BANKCN1 nor BANKHK2 holds a
    // cent: each can pay only with what the other's payment brings.
    ok(await put('/v1/fx/rate-sheets/HKD/CNY', { rate: '0.95', maxAmount: '50000.00' }, 'BANKHK1'), 200);
    const out = ok(await pay('BANKCN1', { amount: '100.00' }), 201);
    // The payee gets exactly 100.00 CNY; BANKHK2 pays ceil(10,000 ÷ 0.95) = 10,527 HKD minor units.
    const back = ok(
      await post(
        '/v1/payments',
        { payee: { bank: 'BANKCN1' }, amount: '100.00', currency: 'CNY', purpose: 'Refund' },
        'BANKHK2',
      ),
      201,
    );
    assert.equal(out.status, 'queued');
    assert.equal(back.status, 'queued');
    const gross = ok(
      await current().request('POST', '/v1/payments/settlement-cycles', { liquiditySaving: false }),
      200,
    );
    assert.deepEqual([gross.settledGross, gross.settledNet, gross.queued], [0, 0, 2]);
    const net_ = await cycle();
    assert.deepEqual(net_.sets, [{ mechanism: 'bilateral_offset', payments: 2 }]);
    assert.deepEqual([net_.settledGross, net_.settledNet, net_.queued], [0, 2, 0]);
    const [a, b] = [
      ok(await get(`/v1/payments/${out.id}`, 'OPERATOR'), 200),
      ok(await get(`/v1/payments/${back.id}`, 'OPERATOR'), 200),
    ];
    for (const p of [a, b]) {
      assert.equal(p.status, 'settled');
      assert.equal(p.settledBy, 'bilateral_offset');
    }
    assert.equal(a.setId, b.setId);
    assert.equal(b.sell.amountMinor, '10527');
    assert.equal(await wallet('BANKCN1', 'CNY'), 0n);
    assert.equal(await wallet('BANKHK2', 'HKD'), 10_839n - 10_527n);
    assert.equal(await wallet('BANKHK1', 'CNY'), 0n);
    assert.equal(await wallet('BANKHK1', 'HKD'), 100_000_00n - 10_839n + 10_527n);
    // Net: only the two HKD accounts whose positions are not zero move (312 minor units), through
    // the HKD clearing account, which ends at zero; the CNY positions cancel out exactly.
    assert.equal(
      await current().db.scalar(
        'select count(*) from ledger_transfers where user_data_128 = $1 and code = 320',
        [a.setId],
      ),
      2n,
    );
    assert.equal(await balanceOf(current(), settlementClearingAccountId('HKD')), 0n);
  });

  it('scopes reads: parties, the two jurisdictions’ authorities and the operator; nobody else', async () => {
    await start();
    // A third jurisdiction, TH, with its central bank and regulator.
    const bot = generateKeyPair();
    ok(
      await current().request('POST', '/v1/institutions', {
        id: 'BOT',
        kind: 'central_bank',
        jurisdiction: 'TH',
        name: 'Bank of Thailand (test)',
        establishes: { name: 'Thailand', currency: 'THB', timeZone: 'Asia/Bangkok' },
        keyId: 'BOT-key-1',
        publicKey: publicKeyToBase64url(bot.publicKey),
      }),
      201,
    );
    const regTh = generateKeyPair();
    const botSigner = { keyId: 'BOT-key-1', secretKey: bot.secretKey };
    ok(
      await current().request(
        'POST',
        '/v1/institutions',
        {
          id: 'REG-TH',
          kind: 'regulator',
          jurisdiction: 'TH',
          name: 'Thai regulator (test)',
          keyId: 'REG-TH-key-1',
          publicKey: publicKeyToBase64url(regTh.publicKey),
        },
        {},
        { as: botSigner },
      ),
      201,
    );
    const regThSigner = { keyId: 'REG-TH-key-1', secretKey: regTh.secretKey };

    const p = ok(await pay('BANKCN2'), 201);
    for (const who of ['BANKCN2', 'BANKHK2', 'BANKHK1', 'PBOC', 'HKMA', 'REG-CN', 'REG-HK', 'OPERATOR']) {
      assert.equal(ok(await get(`/v1/payments/${p.id}`, who), 200).id, p.id, who);
      const listed = ok(await get('/v1/payments', who), 200);
      assert.deepEqual(
        listed.items.map((i: Json) => i.id),
        [p.id],
        who,
      );
    }
    for (const [who, signer] of [
      ['BANKCN1', net.as('BANKCN1')],
      ['REG-TH', regThSigner],
      ['BOT', botSigner],
    ] as const) {
      const one = await current().request('GET', `/v1/payments/${p.id}`, undefined, {}, { as: signer });
      assertProblem(one, 404, 'payment_not_found');
      const listed = await current().request('GET', '/v1/payments', undefined, {}, { as: signer });
      assert.deepEqual(ok(listed, 200).items, [], who);
    }
    assertProblem(await get(`/v1/payments/${randomUUID()}`, 'OPERATOR'), 404, 'payment_not_found');
    assertProblem(await get('/v1/payments/not-a-uuid', 'OPERATOR'), 404, 'payment_not_found');
  });

  it('lists with filters and a cursor, newest first', async () => {
    await start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(ok(await pay('BANKCN2', { amount: `${10 + i}.00` }), 201).id);
    const queued = ok(await pay('BANKCN1'), 201).id;
    const first = ok(await get('/v1/payments?limit=2&corridor=CN-HK', 'REG-HK'), 200);
    assert.deepEqual(
      first.items.map((i: Json) => i.id),
      [queued, ids[4]],
    );
    const second = ok(
      await get(`/v1/payments?limit=2&corridor=CN-HK&after=${first.nextCursor}`, 'REG-HK'),
      200,
    );
    assert.deepEqual(
      second.items.map((i: Json) => i.id),
      [ids[3], ids[2]],
    );
    const settled = ok(await get('/v1/payments?status=settled&bank=BANKCN2', 'OPERATOR'), 200);
    assert.equal(settled.items.length, 5);
    assert.equal(settled.nextCursor, null);
    const byQueued = ok(await get('/v1/payments?status=queued', 'BANKCN1'), 200);
    assert.deepEqual(
      byQueued.items.map((i: Json) => i.id),
      [queued],
    );
    const window = ok(
      await get('/v1/payments?from=2026-03-10T02:00:00Z&to=2026-03-10T02:00:01Z', 'OPERATOR'),
      200,
    );
    assert.equal(window.items.length, 6);
    assert.equal(ok(await get('/v1/payments?from=2026-03-10T02:00:01Z', 'OPERATOR'), 200).items.length, 0);
    assertProblem(await get('/v1/payments?status=lost', 'OPERATOR'), 400, 'invalid_request');
    assertProblem(await get('/v1/payments?after=x', 'OPERATOR'), 400, 'invalid_request');
  });

  it('writes nothing on 400, 403, 404 and 422', async () => {
    await start();
    await refused(() => pay('BANKCN2', { purpose: undefined }), 400, 'invalid_request');
    await refused(() => pay('BANKCN2', { amount: '1.001' }), 400, 'invalid_request');
    await refused(() => pay('BANKCN2', { priority: 10 }), 400, 'invalid_request');
    await refused(() => pay('BANKCN2', { expiresInSeconds: 7 * 86_400 + 1 }), 400, 'invalid_request');
    await refused(() => pay('BANKCN2', { quote: 'cheapest' }), 400, 'invalid_request');
    await refused(() => pay('BANKCN2', {}, ''), 400, 'idempotency_key_required');
    await refused(() => post('/v1/payments', payment(), 'BANKCN2', null), 400, 'idempotency_key_required');
    await refused(() => pay('PBOC'), 403, 'forbidden_role');
    await refused(() => pay('BANKCN2', { payer: { wallet: randomUUID() } }), 403, 'forbidden_scope');
    await refused(() => pay('BANKCN2', { payee: { bank: 'NOSUCHBANK' } }), 404, 'payee_unknown');
    await refused(() => pay('BANKCN2', { currency: 'THB' }), 422, 'currency_mismatch');
    await refused(() => pay('BANKCN2', { payee: { bank: 'BANKCN1' } }), 422, 'not_cross_border');
    await refused(
      () => current().request('POST', '/v1/payments/settlement-cycles', {}, {}, as('BANKCN2')),
      403,
      'forbidden_role',
    );
  });

  it('replays a payment for the same Idempotency-Key and body; refuses another body', async () => {
    await start();
    const key = randomUUID();
    const first = await pay('BANKCN2', {}, key);
    const p = ok(first, 201);
    const before = await events();
    const again = await pay('BANKCN2', {}, key);
    assert.equal(ok(again, 201).id, p.id);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.headers.get('location'), `/v1/payments/${p.id}`);
    assert.equal(await events(), before);
    await refused(() => pay('BANKCN2', { amount: '999.00' }, key), 409, 'idempotency_key_reused');
    assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n - 100_000n);
  });

  it('pays with a named quote, once', async () => {
    await start();
    const quote = ok(
      await post('/v1/fx/quotes', { from: 'CNY', to: 'HKD', amount: '1000.00' }, 'BANKCN2'),
      201,
    );
    const p = ok(await pay('BANKCN2', { quote: quote.id }), 201);
    assert.equal(p.status, 'settled');
    assert.equal(p.quote, quote.id);
    assert.equal(p.buy.amountMinor, quote.buy.amountMinor);
    const reused = ok(await pay('BANKCN2', { quote: quote.id }), 201);
    assert.equal(reused.status, 'rejected');
    assert.equal(reused.reason.code, 'quote_used');
  });

  it('answers a submission with the payment exactly as GET shows it, whatever its outcome', async () => {
    await start({ fees: { CN: { fixed: '1.00', bps: 10 } } });
    const quote = ok(
      await post('/v1/fx/quotes', { from: 'CNY', to: 'HKD', amount: '100.00' }, 'BANKCN2'),
      201,
    );
    // The answer is built from the row the commit wrote (no read after the commit): it must be
    // what the table gives back, field for field, for every outcome and optional field.
    const answers = [
      ok(await pay('BANKCN2', { remittanceInfo: 'INV-1', payer: { name: 'Acme Ltd' }, priority: 7 }), 201),
      ok(await pay('BANKCN2', { amount: '100.00', quote: quote.id.toUpperCase() }), 201),
      ok(await pay('BANKCN1'), 201),
      ok(await pay('BANKCN2', { payee: { bank: 'BANKHK2', name: 'IVAN  sanctioned' } }), 201),
      ok(await pay('BANKCN2', { amount: '50.00', currency: 'HKD' }), 201),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      ['settled', 'settled', 'queued', 'rejected', 'settled'],
    );
    for (const answer of answers) {
      const { timeline, ...shown } = ok(await get(`/v1/payments/${answer.id}`, answer.payer.bank), 200);
      assert.ok(Array.isArray(timeline));
      assert.deepEqual(answer, shown);
    }
    // A replay reads the table (the written row was taken by the first answer): the same body.
    const key = randomUUID();
    const first = ok(await pay('BANKCN2', { amount: '1.00' }, key), 201);
    const again = await pay('BANKCN2', { amount: '1.00' }, key);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(ok(again, 201), first);
  });

  describe('POST /v1/payments/batch', () => {
    const batch = (items: Json[], by = 'BANKCN2') =>
      post('/v1/payments/batch', { payments: items }, by, null);

    it('answers each payment on its own, in order, decided in order and written in one transaction', async () => {
      await start();
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      const items = [
        { idempotencyKey: keys[0], payment: payment({ remittanceInfo: 'INV-031' }) },
        { idempotencyKey: keys[1], payment: payment({ payee: { bank: 'NOSUCHBANK' } }) },
        // 9,000.00 CNY are left after the first: this one waits for funds.
        { idempotencyKey: keys[2], payment: payment({ amount: '9500.00' }) },
      ];
      const before = await events();
      const checkpoints = await current().db.scalar('select count(*) from audit_checkpoints');
      const { results } = ok(await batch(items), 200);
      assert.deepEqual(
        results.map((r: Json) => [
          r.index,
          r.idempotencyKey,
          r.status,
          r.replayed,
          r.payment?.status ?? null,
        ]),
        [
          [0, keys[0], 201, false, 'settled'],
          [1, keys[1], 404, false, null],
          [2, keys[2], 201, false, 'queued'],
        ],
      );
      assert.equal(results[1].problem.code, 'payee_unknown');
      assert.equal(results[1].problem.status, 404);
      assert.equal(results[1].payment, null);
      assert.equal(results[0].problem, null);
      assert.equal(results[2].payment.reason.code, 'awaiting_funds');
      for (const r of [results[0], results[2]]) {
        const { timeline: _, ...read } = ok(await get(`/v1/payments/${r.payment.id}`, 'BANKCN2'), 200);
        assert.deepEqual(r.payment, read);
      }
      assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n - 100_000n);
      // Received, screened, two legs, settled, the corridor's outflow; received, screened, queued;
      // and nothing for the 404.
      assert.equal((await events()) - before, 9n);
      // The two payments arrived together: one transaction, one checkpoint, for both (the service
      // was idle, so the first command of the batch may have been sent on its own: at most two).
      assert.ok((await current().db.scalar('select count(*) from audit_checkpoints')) - checkpoints <= 2n);

      // The same batch again: the recorded payments replayed, nothing written; the refused one is refused again.
      const written = await events();
      const again = ok(await batch(items), 200).results;
      assert.deepEqual(
        again.map((r: Json) => [r.status, r.replayed, r.payment?.id ?? null]),
        [
          [201, true, results[0].payment.id],
          [404, false, null],
          [201, true, results[2].payment.id],
        ],
      );
      assert.equal(await events(), written);
    });

    it('shares the key space of POST /v1/payments: an item replays a single request and vice versa', async () => {
      await start();
      const key = randomUUID();
      const single = ok(await pay('BANKCN2', {}, key), 201);
      const [item] = ok(await batch([{ idempotencyKey: key, payment: payment() }]), 200).results;
      assert.equal(item.status, 201);
      assert.equal(item.replayed, true);
      assert.equal(item.payment.id, single.id);
      const [reused] = ok(
        await batch([{ idempotencyKey: key, payment: payment({ amount: '999.00' }) }]),
        200,
      ).results;
      assert.equal(reused.status, 409);
      assert.equal(reused.problem.code, 'idempotency_key_reused');

      const other = randomUUID();
      const [first] = ok(
        await batch([{ idempotencyKey: other, payment: payment({ amount: '10.00' }) }]),
        200,
      ).results;
      const replayed = await pay('BANKCN2', { amount: '10.00' }, other);
      assert.equal(ok(replayed, 201).id, first.payment.id);
      assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
      assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n - 100_000n - 1_000n);
    });

    it('refuses a batch it cannot read, whole, with a pointer to each error, writing nothing', async () => {
      await start();
      const key = randomUUID();
      const problem = await refused(
        () =>
          batch([
            { idempotencyKey: key, payment: payment() },
            { idempotencyKey: key, payment: payment({ amount: '1.001' }) },
            { idempotencyKey: '', payment: payment({ colour: 'red' }) },
            { payment: payment() },
            'not a payment',
          ]),
        400,
        'invalid_request',
      );
      assert.deepEqual(
        (problem.errors as Json[]).map((e) => [e.field, e.code]),
        [
          ['/payments/1/payment/amount', 'amount_too_precise'],
          ['/payments/1/idempotencyKey', 'idempotency_key_duplicate'],
          ['/payments/2/payment/colour', 'unknown_field'],
          ['/payments/2/idempotencyKey', 'idempotency_key_invalid'],
          ['/payments/3/idempotencyKey', 'must_be_string'],
          ['/payments/4', 'must_be_object'],
        ],
      );
      await refused(() => batch([]), 400, 'invalid_request');
      await refused(
        () => post('/v1/payments/batch', { payments: {} }, 'BANKCN2', null),
        400,
        'invalid_request',
      );
      await refused(
        () =>
          batch(Array.from({ length: 1_001 }, () => ({ idempotencyKey: randomUUID(), payment: payment() }))),
        400,
        'invalid_request',
      );
      await refused(
        () => batch([{ idempotencyKey: randomUUID(), payment: payment() }], 'PBOC'),
        403,
        'forbidden_role',
      );
      assert.equal(await wallet('BANKCN2', 'CNY'), 10_000_00n);
    });
  });
});
