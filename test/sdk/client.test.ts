import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  YuanbridgeClient,
  YuanbridgeProblem,
  type AuditEvent,
  type Payment,
  type PaymentRequest,
} from '../../src/sdk/index.js';
import { readKeysFile } from '../../src/institutions/bootstrap/keys-file.js';
import { keyFromBase64url } from '../../src/platform/signatures/index.js';
import { quickstart } from '../../examples/sdk-quickstart.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertEventProof } from '../support/event-proof-check.js';
import { pacs008 } from '../support/iso20022-messages.js';

/**
 * The SDK against the real service with the demo network (YB_DEMO=on: funded banks, open
 * corridors, liquidity providers quoting), each client signing with a key from the keys file
 * the service wrote, as a bank's integration would.
 */
describe('the SDK against a running service', () => {
  let app: TestApp;
  let dir: string;
  let keysFile: string;
  const client = (institution: string) => {
    const entry = readKeysFile(keysFile).institutions[institution];
    assert.ok(entry, `no key for ${institution}`);
    return new YuanbridgeClient({ baseUrl: app.url, keyId: entry.keyId, secretKey: entry.secretKey });
  };
  const payment = (extra: Partial<PaymentRequest> = {}): PaymentRequest => ({
    payee: { bank: 'VICTHKHX' },
    amount: '10.00',
    currency: 'CNY',
    purpose: 'GDDS',
    ...extra,
  });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-sdk-'));
    keysFile = path.join(dir, 'keys.json');
    app = await startTestApp({ env: { YB_DEMO: 'on', YB_KEYS_FILE: keysFile, YB_OPERATOR_PUBLIC_KEY: '' } });
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs the README's example: quote, pay, read the payment", async () => {
    const logged: unknown[][] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void logged.push(args);
    let result;
    try {
      result = await quickstart(app.url, keysFile);
    } finally {
      console.log = log;
    }
    const { quote, payment: submitted, read } = result;
    assert.equal(submitted.status, 'settled', JSON.stringify(submitted.reason));
    assert.equal(submitted.quote, quote.id);
    assert.equal(read.id, submitted.id);
    // The payee gets what the quote promised, to the minor unit.
    assert.deepEqual(read.buy, quote.buy);
    assert.deepEqual(
      read.timeline.map((e) => e.type),
      ['PaymentReceived', 'PaymentScreened', 'PaymentSettled'],
    );
    assert.equal(logged.length, 2);
  });

  it('sends ISO 20022 messages as XML: a pacs.008 answered by a pacs.002, then the payment as JSON', async () => {
    const yb = client('SILKCNBJ');
    const message = pacs008({ from: 'SILKCNBJ', to: 'VICTHKHX', amount: '12.00', currency: 'CNY' });
    const report = await yb.iso20022.customerCreditTransfer(message.xml);
    assert.match(report, /<TxSts>ACSC<\/TxSts>/);
    assert.match(report, new RegExp(message.uetr));
    const again = await yb.iso20022.statusReport(message.uetr);
    assert.match(again, /<TxSts>ACSC<\/TxSts>/);
    assert.equal((await yb.payments.get(message.uetr)).status, 'settled');
    await assert.rejects(yb.iso20022.customerCreditTransfer('<not xml'), (error: unknown) => {
      assert.ok(error instanceof YuanbridgeProblem);
      assert.equal(error.code, 'xml_unreadable');
      return true;
    });
  });

  it('me(): the service names the signer', async () => {
    const me = await client('SILKCNBJ').me();
    assert.equal(me.institution.id, 'SILKCNBJ');
    assert.equal(me.institution.kind, 'commercial_bank');
    assert.equal(me.signature.keyId, 'SILKCNBJ-key-1');
    assert.deepEqual(me.signature.coveredComponents, ['@method', '@target-uri']);
  });

  it('quotes and pays with an automatic Idempotency-Key; the same key replays the same payment', async () => {
    const yb = client('JADECNSH');
    const quote = await yb.fx.quote({ from: 'CNY', to: 'HKD', amount: '25.00' });
    assert.equal(quote.sell.amountMinor, '2500');
    assert.match(quote.buy.amount, /^\d+\.\d{2}$/);

    const first = await yb.payments.submitWithResponse(payment({ amount: '25.00', quote: quote.id }));
    assert.equal(first.status, 201);
    assert.equal(first.data.status, 'settled');
    assert.equal(first.replayed, false);
    assert.match(first.idempotencyKey ?? '', /^[0-9a-f-]{36}$/, 'a UUID was sent');

    // A retry after a lost reply: same key, same body → the stored reply, nothing paid twice.
    const again = await yb.payments.submitWithResponse(payment({ amount: '25.00', quote: quote.id }), {
      idempotencyKey: first.idempotencyKey,
    });
    assert.equal(again.replayed, true);
    assert.deepEqual(again.data, first.data);
    const listed = await yb.payments.list({ bank: 'JADECNSH', limit: '1000' });
    assert.equal(listed.items.filter((p) => p.id === first.data.id).length, 1);

    // The same key for another request is refused.
    await assert.rejects(
      yb.payments.submit(payment({ amount: '26.00' }), { idempotencyKey: first.idempotencyKey }),
      (error: unknown) =>
        error instanceof YuanbridgeProblem && error.status === 409 && error.code === 'idempotency_key_reused',
    );
  });

  it('submitBatch: one request, one result per payment; an item’s key replays it alone', async () => {
    const yb = client('JADECNSH');
    const { results } = await yb.payments.submitBatch({
      payments: [
        { payment: payment({ amount: '3.00' }), idempotencyKey: 'sdk-batch-1' },
        { payment: payment({ amount: '4.00' }), idempotencyKey: 'sdk-batch-2' },
        { payment: payment({ payee: { bank: 'NOSUCHBANK' } }), idempotencyKey: 'sdk-batch-3' },
      ],
    });
    assert.deepEqual(
      results.map((r) => [r.index, r.status, r.payment?.status ?? r.problem?.code]),
      [
        [0, 201, 'settled'],
        [1, 201, 'settled'],
        [2, 404, 'payee_unknown'],
      ],
    );
    assert.deepEqual(
      results.map((r) => r.idempotencyKey),
      ['sdk-batch-1', 'sdk-batch-2', 'sdk-batch-3'],
    );
    const again = await yb.payments.submitWithResponse(payment({ amount: '3.00' }), {
      idempotencyKey: 'sdk-batch-1',
    });
    assert.equal(again.replayed, true);
    assert.equal(again.data.id, results[0]!.payment!.id);
  });

  it('refusals throw YuanbridgeProblem with the status, code and field errors', async () => {
    const yb = client('SILKCNBJ');
    await assert.rejects(yb.payments.submit(payment({ amount: '10.001' })), (error: unknown) => {
      assert.ok(error instanceof YuanbridgeProblem);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'invalid_request');
      assert.deepEqual(
        error.errors.map((e) => [e.field, e.code]),
        [['/amount', 'amount_too_precise']],
      );
      assert.match(error.requestId ?? '', /\S/);
      return true;
    });
    await assert.rejects(
      yb.payments.submit(payment({ payee: { bank: 'JADECNSH' } })),
      (error: unknown) =>
        error instanceof YuanbridgeProblem && error.status === 422 && error.code === 'not_cross_border',
    );
    await assert.rejects(
      yb.payments.get('00000000-0000-7000-8000-000000000001'),
      (error: unknown) =>
        error instanceof YuanbridgeProblem && error.status === 404 && error.code === 'payment_not_found',
    );
    // A key the service does not know: the signature is refused (401), before any handler runs.
    const stranger = new YuanbridgeClient({
      baseUrl: app.url,
      keyId: 'SILKCNBJ-key-9',
      secretKey: readKeysFile(keysFile).institutions.SILKCNBJ!.secretKey,
    });
    await assert.rejects(
      stranger.me(),
      (error: unknown) =>
        error instanceof YuanbridgeProblem && error.status === 401 && error.code === 'signature_key_unknown',
    );
  });

  it('lists payments page by page with the async iterator, newest first, none twice', async () => {
    const yb = client('SIAMTHBK');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await yb.payments.submit(
        payment({ payee: { bank: 'VICTHKHX' }, amount: `1${i}.00`, currency: 'THB' }),
      );
      assert.equal(p.status, 'settled', JSON.stringify(p.reason));
      made.push(p.id);
    }
    const pageSizes: number[] = [];
    const seen: Payment[] = [];
    for await (const page of yb.payments.pages({ bank: 'SIAMTHBK', limit: '2' })) {
      pageSizes.push(page.items.length);
      seen.push(...page.items);
    }
    assert.deepEqual(pageSizes, [2, 2, 1]);
    assert.deepEqual(
      seen.map((p) => p.id),
      [...made].reverse(),
    );
    const all: string[] = [];
    for await (const p of yb.payments.all({ bank: 'SIAMTHBK', limit: '3' })) all.push(p.id);
    assert.deepEqual(all, [...made].reverse());
  });

  it('reads the audit trail with proofs a regulator checks alone; verify and export', async () => {
    const regulator = client('REG-HK');
    const nodeKey = await regulator.notifications.nodeKey();
    const publicKey = keyFromBase64url(nodeKey.publicKey);
    const page = await regulator.audit.events({ type: 'PaymentSettled', limit: 5 });
    assert.ok(page.items.length > 0);
    for (const event of page.items as AuditEvent[]) {
      assert.ok(event.jurisdictions.includes('HK'));
      assertEventProof(event, publicKey);
    }
    const report = await regulator.audit.verify();
    assert.equal(report.ok, true, JSON.stringify(report.firstBreak));
    const exported = await regulator.audit.export({ type: 'PaymentSettled' });
    const records = exported
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { record: string; position?: string });
    assert.ok(records.some((r) => r.record === 'event'));
    assert.ok(records.some((r) => r.record === 'checkpoint'));
  });

  it('streams the payment events that concern the signer, resuming after Last-Event-ID', async () => {
    const payee = client('VICTHKHX');
    const abort = new AbortController();
    const seen: { id: string; event: string }[] = [];
    for await (const event of payee.notifications.stream({
      types: ['PaymentSettled'],
      signal: abort.signal,
    })) {
      seen.push(event);
      if (seen.length === 2) abort.abort();
    }
    assert.deepEqual(
      seen.map((e) => e.event),
      ['PaymentSettled', 'PaymentSettled'],
    );
    const resumed = new AbortController();
    for await (const event of payee.notifications.stream({
      types: ['PaymentSettled'],
      lastEventId: seen[0]!.id,
      signal: resumed.signal,
    })) {
      assert.equal(event.id, seen[1]!.id, 'the first event after the one given');
      resumed.abort();
    }
  });

  it('an operator drives issuance, wallets and corridors through the same client', async () => {
    const operator = client('OPERATOR');
    const corridors = await operator.corridors.list();
    assert.ok(corridors.corridors.some((c) => c.id === 'CN-HK'));
    const hk = await client('HKMA').issuance.supply('HKD');
    assert.equal(hk.currency, 'HKD');
    assert.match(hk.outstanding.amountMinor, /^\d+$/);
    const wallet = await client('VICTHKHX').wallets.get('VICTHKHX.HKD');
    assert.equal(wallet.currency, 'HKD');
    // Balances are strings in minor units: BigInt, never a float.
    assert.ok(BigInt(wallet.balance.amountMinor) > 0n);
  });
});
