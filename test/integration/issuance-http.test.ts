import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bankReserveAccountId,
  bankWalletAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import { assertProblem } from '../support/ledger-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  approve,
  assertSupplyMatchesLedger,
  balanceOf,
  creditReserves,
  post,
  requestIssuance,
} from '../support/issuance-api.js';

/** Central-bank issuance end to end: signed HTTP → sequencer → ledger and read models → HTTP. */
describe('issuance over HTTP', () => {
  let app: TestApp;
  let net: TestNetwork;
  const events = () => app.db.scalar('select count(*) from events');

  /** The request is refused with this problem and nothing at all is written. */
  async function refusedWithoutWriting(
    send: () => ReturnType<TestApp['request']>,
    status: number,
    code: string,
  ): Promise<void> {
    const before = await events();
    const keysBefore = await app.db.scalar('select count(*) from idempotency_keys');
    assertProblem(await send(), status, code);
    assert.equal(await events(), before, `${code}: no event written`);
    assert.equal(
      await app.db.scalar('select count(*) from idempotency_keys'),
      keysBefore,
      `${code}: no key stored`,
    );
  }

  before(async () => {
    app = await startTestApp();
    net = await setUpNetwork(app);
  });

  after(async () => {
    await app?.close();
  });

  it('a central bank credits reserves to its own bank', async () => {
    const response = await creditReserves(app, net.as('PBOC'), 'BANKCN1', 100_000_000n);
    assert.equal(response.body.amount, '1000000.00');
    assert.equal(response.body.currency, 'CNY');
    assert.equal(await balanceOf(app, bankReserveAccountId('BANKCN1', 'CNY')), 100_000_000n);
    // The event keeps who did it and the request's signature.
    const [row] = await app.db.query<{ data: Record<string, unknown>; metadata: Record<string, unknown> }>(
      "select data, metadata from events where type = 'ReservesCredited' order by global_position desc limit 1",
    );
    assert.equal(row!.data.creditedBy, 'PBOC');
    assert.equal((row!.data.signature as { keyId: string }).keyId, 'PBOC-key-1');
    assert.equal(row!.metadata.actor, 'PBOC');
  });

  it('request → approve: reserves become CBDC; the events carry both signatures', async () => {
    const bank = net.as('BANKCN1');
    const created = await post(app, bank, '/v1/issuance/requests', {
      kind: 'issue',
      amount: '250000.00',
      reference: 'Q1',
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    assert.equal(created.headers.get('location'), `/v1/issuance/requests/${id}`);
    assert.equal(created.body.status, 'open');
    assert.equal(created.body.amountMinor, '25000000');

    const key = `approve-${id}`;
    const approved = await approve(app, net.as('PBOC'), id, key);
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.status, 'executed');
    assert.equal(approved.body.decidedBy, 'PBOC');
    assert.equal(approved.body.transferIds.length, 2);
    assert.equal(await balanceOf(app, bankReserveAccountId('BANKCN1', 'CNY')), 75_000_000n);
    assert.equal(await balanceOf(app, bankWalletAccountId('BANKCN1', 'CNY')), 25_000_000n);

    const [issued] = await app.db.query<{ data: Record<string, { keyId: string } | string> }>(
      "select data from events where type = 'CbdcIssued' and data->>'requestId' = $1",
      [id],
    );
    assert.equal((issued!.data.requestSignature as { keyId: string }).keyId, 'BANKCN1-key-1');
    assert.equal((issued!.data.approvalSignature as { keyId: string }).keyId, 'PBOC-key-1');
    assert.equal(issued!.data.requestedBy, 'BANKCN1');
    assert.equal(issued!.data.approvedBy, 'PBOC');

    // The same Idempotency-Key replays the stored reply and moves nothing again.
    const before = await events();
    const replay = await approve(app, net.as('PBOC'), id, key);
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body, approved.body);
    assert.equal(await events(), before);
    // A new key is a second approval: refused.
    await refusedWithoutWriting(() => approve(app, net.as('PBOC'), id), 409, 'issuance_request_not_open');

    const read = await app.request('GET', `/v1/issuance/requests/${id}`, undefined, {}, { as: bank });
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.body, approved.body);
    await assertSupplyMatchesLedger(app, 'CNY', net.operator);
  });

  it('redemption: CBDC back to reserves; more than held is refused and the request stays open', async () => {
    const bank = net.as('BANKCN1');
    const tooMuch = await requestIssuance(app, bank, 'redeem', 25_000_001n);
    await refusedWithoutWriting(() => approve(app, net.as('PBOC'), tooMuch), 422, 'insufficient_cbdc');
    const still = await app.request('GET', `/v1/issuance/requests/${tooMuch}`, undefined, {}, { as: bank });
    assert.equal(still.body.status, 'open');

    const id = await requestIssuance(app, bank, 'redeem', 5_000_000n);
    const approved = await approve(app, net.as('PBOC'), id);
    assert.equal(approved.status, 200, approved.text);
    assert.equal(await balanceOf(app, bankWalletAccountId('BANKCN1', 'CNY')), 20_000_000n);
    assert.equal(await balanceOf(app, bankReserveAccountId('BANKCN1', 'CNY')), 80_000_000n);

    const declined = await post(app, net.as('PBOC'), `/v1/issuance/requests/${tooMuch}/decline`, {
      reason: 'more than the bank holds',
    });
    assert.equal(declined.status, 200, declined.text);
    assert.equal(declined.body.status, 'declined');
    assert.equal(declined.body.declineReason, 'more than the bank holds');
    await assertSupplyMatchesLedger(app, 'CNY', net.as('PBOC'));
  });

  it('insufficient reserves: 422, nothing written', async () => {
    const id = await requestIssuance(app, net.as('BANKCN2'), 'issue', 1n);
    await refusedWithoutWriting(() => approve(app, net.as('PBOC'), id), 422, 'insufficient_reserves');
  });

  it('direct issuance by a central bank, in one step', async () => {
    await creditReserves(app, net.as('HKMA'), 'BANKHK2', 1_000_000n);
    const response = await post(app, net.as('HKMA'), '/v1/issuance', {
      bank: 'BANKHK2',
      kind: 'issue',
      amount: '4000.50',
    });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.status, 'executed');
    assert.equal(response.body.requestedBy, 'HKMA');
    assert.equal(await balanceOf(app, bankWalletAccountId('BANKHK2', 'HKD')), 400_050n);
    await assertSupplyMatchesLedger(app, 'HKD', net.as('HKMA'));
  });

  it('supply caps: exactly at the cap passes, one minor unit over is 422 supply_cap_exceeded', async () => {
    const pboc = net.as('PBOC');
    const supply = await assertSupplyMatchesLedger(app, 'CNY', pboc);
    const outstanding = BigInt(supply.outstanding.amountMinor);
    await creditReserves(app, pboc, 'BANKCN2', 10_000_000n);
    const cap = outstanding + 1_000_000n;
    const set = await app.request(
      'PUT',
      '/v1/currencies/CNY/supply-cap',
      { capMinor: cap.toString() },
      {},
      { as: pboc },
    );
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.cap.amountMinor, cap.toString());
    await refusedWithoutWriting(
      () => post(app, pboc, '/v1/issuance', { bank: 'BANKCN2', kind: 'issue', amountMinor: '1000001' }),
      422,
      'supply_cap_exceeded',
    );
    await refusedWithoutWriting(
      () => post(app, net.as('BANKCN2'), '/v1/issuance/requests', { kind: 'issue', amountMinor: '1000001' }),
      422,
      'supply_cap_exceeded',
    );
    const atCap = await post(app, pboc, '/v1/issuance', {
      bank: 'BANKCN2',
      kind: 'issue',
      amountMinor: '1000000',
    });
    assert.equal(atCap.status, 201, atCap.text);
    const capped = await assertSupplyMatchesLedger(app, 'CNY', pboc);
    assert.equal(capped.outstanding.amountMinor, cap.toString());
    assert.equal(capped.cap.amountMinor, cap.toString());

    await refusedWithoutWriting(
      () => app.request('PUT', '/v1/currencies/CNY/supply-cap', { cap: '1.00' }, {}, { as: net.as('HKMA') }),
      403,
      'forbidden_scope',
    );
    await refusedWithoutWriting(
      () =>
        app.request('PUT', '/v1/currencies/CNY/supply-cap', { cap: '1.00' }, {}, { as: net.as('REG-CN') }),
      403,
      'forbidden_role',
    );
    await refusedWithoutWriting(
      () => app.request('PUT', '/v1/currencies/CNY/supply-cap', { cap: '1.001' }, {}, { as: pboc }),
      400,
      'invalid_request',
    );
    const removed = await app.request(
      'PUT',
      '/v1/currencies/CNY/supply-cap',
      { cap: null },
      {},
      { as: pboc },
    );
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.body.cap, null);
  });

  it('the supply view: issued, redeemed, outstanding and holdings by institution and jurisdiction', async () => {
    const s = await assertSupplyMatchesLedger(app, 'CNY', net.as('REG-CN'));
    assert.equal(s.currency, 'CNY');
    assert.equal(s.centralBank, 'PBOC');
    assert.equal(s.redeemed.amountMinor, '5000000');
    const cn1 = s.holdings.byInstitution.find((h: { institution: string }) => h.institution === 'BANKCN1');
    assert.deepEqual(cn1, {
      institution: 'BANKCN1',
      jurisdiction: 'CN',
      bankWallets: { amount: '200000.00', amountMinor: '20000000' },
      customerWallets: { amount: '0.00', amountMinor: '0' },
      total: { amount: '200000.00', amountMinor: '20000000' },
    });
    assert.deepEqual(
      s.holdings.byJurisdiction.map((j: { jurisdiction: string }) => j.jurisdiction),
      ['CN'],
    );
  });

  it('who may read the supply: operator, the issuer and its regulators; anyone else 403 forbidden_scope', async () => {
    for (const id of ['OPERATOR', 'PBOC', 'REG-CN']) {
      const response = await app.request(
        'GET',
        '/v1/currencies/CNY/supply',
        undefined,
        {},
        { as: net.as(id) },
      );
      assert.equal(response.status, 200, `${id}: ${response.text}`);
    }
    for (const id of ['HKMA', 'REG-HK', 'BANKCN1', 'BANKHK1']) {
      assertProblem(
        await app.request('GET', '/v1/currencies/CNY/supply', undefined, {}, { as: net.as(id) }),
        403,
        'forbidden_scope',
      );
    }
    assertProblem(await app.request('GET', '/v1/currencies/XXX/supply'), 404, 'currency_unknown');
    assertProblem(await app.request('GET', '/v1/currencies/JPY/supply'), 404, 'currency_not_issued');
  });

  it('a foreign bank, another central bank, a regulator: refused with 403, nothing written', async () => {
    await refusedWithoutWriting(
      () =>
        post(app, net.as('BANKHK1'), '/v1/issuance/requests', {
          kind: 'issue',
          currency: 'CNY',
          amount: '1.00',
        }),
      403,
      'forbidden_scope',
    );
    await refusedWithoutWriting(
      () => post(app, net.as('HKMA'), '/v1/issuance/reserve-credits', { bank: 'BANKCN1', amount: '1.00' }),
      403,
      'forbidden_scope',
    );
    await refusedWithoutWriting(
      () => post(app, net.as('HKMA'), '/v1/issuance', { bank: 'BANKCN1', kind: 'issue', amount: '1.00' }),
      403,
      'forbidden_scope',
    );
    const id = await requestIssuance(app, net.as('BANKCN1'), 'issue', 1n);
    await refusedWithoutWriting(() => approve(app, net.as('HKMA'), id), 403, 'forbidden_scope');
    await refusedWithoutWriting(() => approve(app, net.as('BANKCN1'), id), 403, 'forbidden_role');
    await refusedWithoutWriting(
      () => post(app, net.as('REG-CN'), '/v1/issuance/requests', { kind: 'issue', amount: '1.00' }),
      403,
      'forbidden_role',
    );
    await refusedWithoutWriting(
      () => post(app, net.operator, '/v1/issuance/reserve-credits', { bank: 'BANKCN1', amount: '1.00' }),
      403,
      'forbidden_role',
    );
    // Other banks do not see the request; its regulator does.
    assertProblem(
      await app.request('GET', `/v1/issuance/requests/${id}`, undefined, {}, { as: net.as('BANKCN2') }),
      403,
      'forbidden_scope',
    );
    const list = await app.request(
      'GET',
      '/v1/issuance/requests?status=open',
      undefined,
      {},
      { as: net.as('REG-CN') },
    );
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.requests.some((q: { id: string }) => q.id === id));
    const hk = await app.request('GET', '/v1/issuance/requests', undefined, {}, { as: net.as('REG-HK') });
    assert.ok(hk.body.requests.every((q: { jurisdiction: string }) => q.jurisdiction === 'HK'));
  });

  it('bad input: 400 with every problem, nothing written', async () => {
    const bank = net.as('BANKCN1');
    await refusedWithoutWriting(
      () => post(app, bank, '/v1/issuance/requests', { kind: 'mint', amount: '1.001', extra: 1 }),
      400,
      'invalid_request',
    );
    const both = await post(app, bank, '/v1/issuance/requests', {
      kind: 'issue',
      amount: '1',
      amountMinor: '1',
    });
    assertProblem(both, 400, 'invalid_request');
    assert.equal(both.body.errors[0].code, 'amount_ambiguous');
    await refusedWithoutWriting(
      () => app.request('POST', '/v1/issuance/requests', { kind: 'issue', amount: '1.00' }, {}, { as: bank }),
      400,
      'idempotency_key_required',
    );
    await refusedWithoutWriting(() => approve(app, net.as('PBOC'), 'not-a-uuid'), 400, 'invalid_id');
    await refusedWithoutWriting(
      () => approve(app, net.as('PBOC'), '00000000-0000-4000-8000-000000000000'),
      404,
      'issuance_request_unknown',
    );
  });

  it('unsigned requests: 401, nothing written', async () => {
    await refusedWithoutWriting(
      () =>
        app.request(
          'POST',
          '/v1/issuance/reserve-credits',
          { bank: 'BANKCN1', amount: '1.00' },
          { 'idempotency-key': 'unsigned-1' },
          { as: null },
        ),
      401,
      assertUnsignedCode(),
    );
    const response = await app.request('GET', '/v1/currencies/CNY/supply', undefined, {}, { as: null });
    assert.equal(response.status, 401);
  });

  it('state survives a restart: the rebuilt state decides like the one before', async () => {
    const id = await requestIssuance(app, net.as('BANKCN1'), 'issue', 100n);
    await app.restart();
    const approved = await approve(app, net.as('PBOC'), id);
    assert.equal(approved.status, 200, approved.text);
    await refusedWithoutWriting(() => approve(app, net.as('PBOC'), id), 409, 'issuance_request_not_open');
    await assertSupplyMatchesLedger(app, 'CNY', net.operator);
  });
});

/** The guard's code for a request without Signature headers. */
function assertUnsignedCode(): string {
  return 'signature_missing';
}
