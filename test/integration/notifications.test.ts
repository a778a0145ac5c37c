import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keyFromBase64url, verifyRequest } from '../../src/platform/signatures/index.js';
import { openEventStream, type StreamEvent } from '../support/event-stream-client.js';
import { fundBankWallet } from '../support/issuance-api.js';
import type { TestNetwork } from '../support/network.js';
import { startWithPaymentCorridor } from '../support/payment-corridor.js';
import type { TestApp } from '../support/test-app.js';

/** What a webhook receiver got: the request as it arrived, and the status it answered. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly status: number;
}

/** A local HTTP server (127.0.0.1, random port) answering with what `respond` says. */
async function startReceiver(respond: (position: string, received: readonly Received[]) => number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const position = String((JSON.parse(body.toString('utf8')) as { position: string }).position);
      const status = respond(position, received);
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/yuanbridge`,
    received,
    /** Positions answered 2xx, in arrival order. */
    delivered: () => received.filter((r) => r.status < 300).map((r) => position(r)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const position = (r: Received) =>
  String((JSON.parse(r.body.toString('utf8')) as { position: string }).position);

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The payment corridor of payment-corridor.ts on the system clock (retries must fall due by
 * themselves), with BANKCN1 funded too: CN banks pay HK banks and settle at once.
 */
async function startPaymentsApp(env: Record<string, string>): Promise<{ app: TestApp; net: TestNetwork }> {
  const { app, net } = await startWithPaymentCorridor({ env, systemClock: true });
  await fundBankWallet(app, net.as('PBOC'), 'BANKCN1', 1_000_000_00n);
  return { app, net };
}

/** A CN bank pays an HK bank; returns the payment id and the positions and types of its events. */
async function payOn(app: TestApp, net: TestNetwork, from: string, to: string, amount = '100.00') {
  const response = await app.request(
    'POST',
    '/v1/payments',
    { payee: { bank: to }, amount, currency: 'CNY', purpose: 'notifications test' },
    { 'idempotency-key': randomUUID() },
    { as: net.as(from) },
  );
  assert.equal(response.status, 201, response.text);
  const id = response.body.id as string;
  const rows = await app.db.query<{ global_position: string; type: string }>(
    'select global_position, type from events where stream_id = $1 order by global_position',
    [`payment-${id}`],
  );
  assert.ok(rows.length > 0, 'a payment writes events');
  return { id, events: rows.map((r) => ({ id: String(r.global_position), event: r.type })) };
}

describe('notifications: event stream and webhooks', () => {
  let app: TestApp;
  let net: TestNetwork;
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-node-key-'));

  before(async () => {
    ({ app, net } = await startPaymentsApp({
      YB_NODE_KEY_FILE: path.join(keyDir, 'node-key.json'),
      YB_WEBHOOK_RETRY_BASE_MS: '100',
    }));
  });
  after(async () => {
    await app?.close();
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  const pay = (from: string, to: string, amount = '100.00') => payOn(app, net, from, to, amount);
  const ofPayment = (events: readonly StreamEvent[], id: string) =>
    events.filter((e) => e.data.data.paymentId === id).map((e) => ({ id: e.id, event: e.event }));

  it('streams live payment events to the payee bank and its regulator, not to an unrelated bank', async () => {
    const payee = await openEventStream(app.url, '/v1/events/stream', net.as('BANKHK2'));
    const unrelated = await openEventStream(app.url, '/v1/events/stream', net.as('BANKCN2'));
    const regulator = await openEventStream(app.url, '/v1/events/stream', net.as('REG-HK'));
    const settledOnly = await openEventStream(
      app.url,
      '/v1/events/stream?types=PaymentSettled',
      net.as('BANKHK2'),
    );
    try {
      assert.equal(payee.status, 200);
      assert.match(payee.contentType ?? '', /^text\/event-stream/);
      const first = await pay('BANKCN1', 'BANKHK2');
      const settled = first.events.filter((e) => e.event === 'PaymentSettled');
      assert.equal(settled.length, 1, `the payment settles: ${JSON.stringify(first.events)}`);
      await payee.until((events) => ofPayment(events, first.id).length === first.events.length);
      await regulator.until((events) => ofPayment(events, first.id).length === first.events.length);
      await settledOnly.until((events) => events.length >= 1);
      assert.deepEqual(ofPayment(payee.events, first.id), first.events);
      assert.deepEqual(ofPayment(regulator.events, first.id), first.events);
      assert.deepEqual(
        settledOnly.events.map((e) => ({ id: e.id, event: e.event })),
        settled,
      );

      const event = payee.events[0]!;
      assert.equal(event.data.position, event.id);
      assert.equal(event.data.type, event.event);
      assert.equal(event.data.streamId, `payment-${first.id}`);
      assert.ok(!Number.isNaN(Date.parse(event.data.recordedAt)));
      assert.ok(event.data.data.parties.includes('BANKHK2'));

      // BANKCN2 is no party to the first payment: the first event it hears is of its own payment.
      const second = await pay('BANKCN2', 'BANKHK1');
      await unrelated.until((events) => ofPayment(events, second.id).length === second.events.length);
      assert.deepEqual(
        unrelated.events.map((e) => ({ id: e.id, event: e.event })),
        second.events,
      );
      assert.ok(unrelated.events.every((e) => e.data.data.parties.includes('BANKCN2')));
    } finally {
      for (const stream of [payee, unrelated, regulator, settledOnly]) stream.close();
    }
  });

  it('resumes with Last-Event-ID: exactly the missed events, then live, without duplicates', async () => {
    const before = await pay('BANKCN1', 'BANKHK2');
    const last = before.events[before.events.length - 1]!.id;
    const missed1 = await pay('BANKCN1', 'BANKHK2', '5.00');
    await pay('BANKCN2', 'BANKHK1', '6.00'); // not BANKHK2's
    const missed2 = await pay('BANKCN2', 'BANKHK2', '7.00');
    const missed = [...missed1.events, ...missed2.events];

    const resumed = await openEventStream(app.url, '/v1/events/stream?after=1', net.as('BANKHK2'), {
      'last-event-id': last,
    });
    try {
      await resumed.until((events) => events.length >= missed.length);
      const live = await pay('BANKCN1', 'BANKHK2', '8.00');
      await resumed.until((events) => ofPayment(events, live.id).length === live.events.length);
      const ids = resumed.events.map((e) => ({ id: e.id, event: e.event }));
      assert.deepEqual(ids, [...missed, ...live.events], 'the missed events, then the live ones, once each');
    } finally {
      resumed.close();
    }
    // ?after= does the same when there is no Last-Event-ID.
    const byQuery = await openEventStream(app.url, `/v1/events/stream?after=${last}`, net.as('BANKHK2'));
    try {
      await byQuery.until((events) => events.length >= missed.length);
      assert.deepEqual(
        byQuery.events.slice(0, missed.length).map((e) => ({ id: e.id, event: e.event })),
        missed,
      );
    } finally {
      byQuery.close();
    }
  });

  it('refuses an unsigned stream, a bad position and an unknown type', async () => {
    const unsigned = await fetch(`${app.url}/v1/events/stream`);
    assert.equal(unsigned.status, 401);
    await unsigned.body?.cancel();
    const bad = await app.request(
      'GET',
      '/v1/events/stream?after=-3',
      undefined,
      {},
      { as: net.as('BANKHK2') },
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_position');
    const unknown = await app.request(
      'GET',
      '/v1/events/stream?types=Nope',
      undefined,
      {},
      {
        as: net.as('BANKHK2'),
      },
    );
    assert.equal(unknown.status, 400);
  });

  it('delivers webhooks signed by the node key, verifiable with GET /v1/node-key', async () => {
    const receiver = await startReceiver(() => 204);
    try {
      const registered = await app.request(
        'PUT',
        '/v1/webhooks',
        { url: receiver.url },
        {},
        {
          as: net.as('BANKHK2'),
        },
      );
      assert.equal(registered.status, 200, registered.text);
      assert.equal(registered.body.url, receiver.url);
      assert.equal(registered.body.types, null);
      const shown = await app.request('GET', '/v1/webhooks', undefined, {}, { as: net.as('BANKHK2') });
      assert.deepEqual(shown.body, registered.body);

      const payment = await pay('BANKCN1', 'BANKHK2', '12.34');
      const expected = payment.events.map((e) => e.id);
      await eventually(() => receiver.delivered().length >= expected.length, 'the deliveries');
      assert.deepEqual(receiver.delivered(), expected, 'each event once, in position order');

      const nodeKey = await app.request('GET', '/v1/node-key', undefined, {}, { as: null });
      assert.equal(nodeKey.status, 200);
      assert.equal(nodeKey.body.keyId, 'yuanbridge-node-key-1');
      const publicKey = keyFromBase64url(nodeKey.body.publicKey as string);
      for (const r of receiver.received) {
        assert.equal(r.method, 'POST');
        assert.equal(r.headers['content-type'], 'application/json');
        const result = verifyRequest({
          method: r.method,
          url: `http://${r.headers.host}${r.url}`,
          headers: r.headers,
          body: r.body,
          now: Math.floor(Date.now() / 1000),
          maxAgeSeconds: 300,
          maxSkewSeconds: 30,
          resolveKey: (keyId) => (keyId === nodeKey.body.keyId ? { publicKey } : undefined),
          requiredComponents: () => ['@method', '@target-uri', 'content-digest', 'content-type'],
        });
        assert.ok(result.ok, `signature verifies: ${JSON.stringify(result)}`);
        const body = JSON.parse(r.body.toString('utf8'));
        assert.deepEqual(Object.keys(body).sort(), ['data', 'position', 'recordedAt', 'streamId', 'type']);
        assert.equal(body.streamId, `payment-${payment.id}`);
        // A tampered body no longer verifies.
        const tampered = verifyRequest({
          method: r.method,
          url: `http://${r.headers.host}${r.url}`,
          headers: r.headers,
          body: Buffer.from(r.body.toString('utf8').replace('"type":"Payment', '"type":"Xayment')),
          now: Math.floor(Date.now() / 1000),
          maxAgeSeconds: 300,
          maxSkewSeconds: 30,
          resolveKey: () => ({ publicKey }),
        });
        assert.equal(tampered.ok, false);
      }
      const rows = await app.db.query<{ status: string; attempts: number }>(
        `select status, attempts from webhook_deliveries where webhook_id = $1 order by position`,
        [registered.body.id],
      );
      assert.deepEqual(
        rows,
        expected.map(() => ({ status: 'delivered', attempts: 1 })),
      );
    } finally {
      await app.request('DELETE', '/v1/webhooks', undefined, {}, { as: net.as('BANKHK2') });
      await receiver.close();
    }
  });

  it('retries a failing receiver (500, 500, then 200): exactly one successful delivery per event', async () => {
    const receiver = await startReceiver((position, received) =>
      received.filter((r) => position === positionOf(r)).length < 2 ? 500 : 200,
    );
    try {
      const registered = await app.request(
        'PUT',
        '/v1/webhooks',
        { url: receiver.url, types: ['PaymentSettled'] },
        {},
        {
          as: net.as('REG-HK'),
        },
      );
      assert.equal(registered.status, 200, registered.text);
      const a = await pay('BANKCN1', 'BANKHK2', '1.00');
      const b = await pay('BANKCN2', 'BANKHK2', '2.00');
      const expected = [...a.events, ...b.events]
        .filter((e) => e.event === 'PaymentSettled')
        .map((e) => e.id);
      assert.equal(expected.length, 2, JSON.stringify([a.events, b.events]));
      await eventually(() => receiver.delivered().length >= 2, 'both settled events delivered');
      await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more comes
      assert.deepEqual(receiver.delivered(), expected);
      assert.deepEqual(
        receiver.received.map((r) => `${positionOf(r)}:${r.status}`),
        [
          `${expected[0]}:500`,
          `${expected[0]}:500`,
          `${expected[0]}:200`,
          `${expected[1]}:500`,
          `${expected[1]}:500`,
          `${expected[1]}:200`,
        ],
        'in order: the second event waits for the first',
      );
      const attempts = receiver.received.map((r) => r.headers['yuanbridge-delivery-attempt']);
      assert.deepEqual(attempts, ['1', '2', '3', '1', '2', '3']);
      const rows = await app.db.query<{ status: string; attempts: number; last_status: number }>(
        `select status, attempts, last_status from webhook_deliveries where webhook_id = $1 order by position`,
        [registered.body.id],
      );
      assert.deepEqual(rows, [
        { status: 'delivered', attempts: 3, last_status: 200 },
        { status: 'delivered', attempts: 3, last_status: 200 },
      ]);
    } finally {
      await app.request('DELETE', '/v1/webhooks', undefined, {}, { as: net.as('REG-HK') });
      await receiver.close();
    }
  });

  it('resumes retries after a restart of the service, and a deleted webhook stops receiving', async () => {
    let up = false;
    const receiver = await startReceiver(() => (up ? 200 : 503));
    const other = await startReceiver(() => 200);
    try {
      const registered = await app.request(
        'PUT',
        '/v1/webhooks',
        { url: receiver.url },
        {},
        {
          as: net.as('BANKCN1'),
        },
      );
      assert.equal(registered.status, 200, registered.text);
      const payment = await pay('BANKCN1', 'BANKHK2', '3.00');
      const expected = payment.events.map((e) => e.id);
      await eventually(() => receiver.received.length >= 1, 'a first (failed) attempt');
      await app.restart();
      up = true;
      await eventually(
        () => receiver.delivered().length >= expected.length,
        'the deliveries after the restart',
      );
      assert.deepEqual(receiver.delivered(), expected, 'each event delivered once, in order');
      // The receiver answers before the dispatcher records the delivery: wait for the record.
      const statuses = async () =>
        (
          await app.db.query<{ status: string }>(
            `select status from webhook_deliveries where webhook_id = $1 order by position`,
            [registered.body.id],
          )
        ).map((r) => r.status);
      await eventually(
        async () => (await statuses()).every((s) => s === 'delivered'),
        'the deliveries recorded',
      );
      assert.deepEqual(
        await statuses(),
        expected.map(() => 'delivered'),
      );

      // Deleted: it receives nothing more. BANKHK2's webhook, registered now, shows when the
      // dispatcher has gone past the next payment.
      const deleted = await app.request('DELETE', '/v1/webhooks', undefined, {}, { as: net.as('BANKCN1') });
      assert.equal(deleted.status, 204);
      const gone = await app.request('GET', '/v1/webhooks', undefined, {}, { as: net.as('BANKCN1') });
      assert.equal(gone.status, 404);
      assert.equal(gone.body.code, 'webhook_not_found');
      const count = receiver.received.length;
      const witness = await app.request(
        'PUT',
        '/v1/webhooks',
        { url: other.url },
        {},
        { as: net.as('BANKHK2') },
      );
      assert.equal(witness.status, 200, witness.text);
      const later = await pay('BANKCN1', 'BANKHK2', '4.00');
      await eventually(() => other.delivered().length >= later.events.length, 'the witness deliveries');
      assert.deepEqual(
        other.delivered(),
        later.events.map((e) => e.id),
      );
      assert.equal(receiver.received.length, count, 'the deleted webhook received nothing more');
      assert.equal(
        await app.db.scalar(
          'select count(*) from webhook_deliveries where webhook_id = $1 and position > $2',
          [registered.body.id, expected[expected.length - 1]],
        ),
        0n,
      );
    } finally {
      await app.request('DELETE', '/v1/webhooks', undefined, {}, { as: net.as('BANKHK2') });
      await receiver.close();
      await other.close();
    }
  });

  it('validates registrations: http(s) only, no credentials, known types; the operator has none', async () => {
    const as = { as: net.as('BANKHK1') };
    for (const url of ['ftp://example.com/x', 'http://user:pw@example.com/x', 'not a url']) {
      const r = await app.request('PUT', '/v1/webhooks', { url }, {}, as);
      assert.equal(r.status, 400, url);
    }
    const badType = await app.request(
      'PUT',
      '/v1/webhooks',
      { url: 'https://example.com/x', types: ['Nope'] },
      {},
      as,
    );
    assert.equal(badType.status, 400);
    const operator = await app.request('PUT', '/v1/webhooks', { url: 'https://example.com/x' });
    assert.equal(operator.status, 403);
    assert.equal(operator.body.code, 'forbidden_role');
    const none = await app.request('DELETE', '/v1/webhooks', undefined, {}, as);
    assert.equal(none.status, 404);
  });
});

const positionOf = position;

/**
 * A bank reads its webhook's delivery history (what was sent, how often, the receiver's last
 * answer) and, once its receiver is fixed, asks for a failed delivery to be tried again.
 */
describe('webhook deliveries: history and retry', () => {
  let app: TestApp;
  let net: TestNetwork;
  before(async () => {
    ({ app, net } = await startPaymentsApp({ YB_WEBHOOK_RETRY_BASE_MS: '20', YB_WEBHOOK_MAX_ATTEMPTS: '2' }));
  });
  after(async () => {
    await app?.close();
  });
  const as = (who: string) => ({ as: net.as(who) });
  const deliveries = (who: string, query = '') =>
    app.request('GET', `/v1/webhooks/deliveries${query}`, undefined, {}, as(who));

  it('shows each delivery with its attempts and last answer, pages oldest first, and retries a failed one', async () => {
    let up = false;
    const receiver = await startReceiver(() => (up ? 204 : 500));
    try {
      const registered = await app.request(
        'PUT',
        '/v1/webhooks',
        { url: receiver.url, types: ['PaymentSettled'] },
        {},
        as('BANKHK2'),
      );
      assert.equal(registered.status, 200, registered.text);
      const a = await payOn(app, net, 'BANKCN1', 'BANKHK2', '1.00');
      const b = await payOn(app, net, 'BANKCN2', 'BANKHK2', '2.00');
      const settled = [...a.events, ...b.events].filter((e) => e.event === 'PaymentSettled').map((e) => e.id);
      assert.equal(settled.length, 2);

      // Two attempts each (the maximum), both answered 500: both deliveries fail.
      await eventually(async () => {
        const r = await deliveries('BANKHK2', '?status=failed');
        return r.status === 200 && r.body.items.length === 2;
      }, 'both deliveries failed');
      const failed = await deliveries('BANKHK2');
      assert.equal(failed.status, 200, failed.text);
      assert.deepEqual(
        failed.body.items.map((d: Record<string, unknown>) => [
          d.position,
          d.eventType,
          d.status,
          d.attempts,
          d.lastStatus,
        ]),
        settled.map((p) => [p, 'PaymentSettled', 'failed', 2, 500]),
      );
      assert.equal(failed.body.items[0].webhookId, registered.body.id);
      assert.equal(failed.body.items[0].nextAttemptAt, null);
      assert.match(failed.body.items[0].lastError, /500/);
      assert.equal(failed.body.nextCursor, null);
      assert.equal(receiver.received.length, 4);

      // Paging: one at a time, oldest first, the cursor is the position.
      const first = await deliveries('BANKHK2', '?limit=1');
      assert.deepEqual([first.body.items.length, first.body.nextCursor], [1, settled[0]]);
      const second = await deliveries('BANKHK2', `?limit=1&after=${first.body.nextCursor}`);
      assert.deepEqual(
        [second.body.items.map((d: { position: string }) => d.position), second.body.nextCursor],
        [[settled[1]], null],
      );

      // Nobody else sees them: another bank has none, and the payer bank has none either.
      for (const other of ['BANKHK1', 'BANKCN1']) {
        const r = await deliveries(other);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.body.items, [], other);
      }

      // The receiver is fixed; the bank retries the second failed delivery only.
      up = true;
      const retried = await app.request(
        'POST',
        `/v1/webhooks/deliveries/${settled[1]}/retry`,
        undefined,
        {},
        as('BANKHK2'),
      );
      assert.equal(retried.status, 200, retried.text);
      assert.deepEqual([retried.body.status, retried.body.attempts], ['pending', 0]);
      await eventually(() => receiver.delivered().length === 1, 'the retried delivery');
      assert.deepEqual(receiver.delivered(), [settled[1]]);
      await eventually(async () => {
        const r = await deliveries('BANKHK2', '?status=delivered');
        return r.body.items.length === 1;
      }, 'the delivery recorded');
      const after = await deliveries('BANKHK2');
      assert.deepEqual(
        after.body.items.map((d: Record<string, unknown>) => [d.status, d.attempts, d.lastStatus]),
        [
          ['failed', 2, 500],
          ['delivered', 1, 204],
        ],
      );
      assert.ok(after.body.items[1].deliveredAt);

      // Only a failed delivery of one's own webhook can be retried.
      const again = await app.request(
        'POST',
        `/v1/webhooks/deliveries/${settled[1]}/retry`,
        undefined,
        {},
        as('BANKHK2'),
      );
      assert.deepEqual([again.status, again.body.code], [409, 'delivery_not_failed']);
      const unknown = await app.request(
        'POST',
        '/v1/webhooks/deliveries/1/retry',
        undefined,
        {},
        as('BANKHK2'),
      );
      assert.deepEqual([unknown.status, unknown.body.code], [404, 'delivery_not_found']);
      const noWebhook = await app.request(
        'POST',
        `/v1/webhooks/deliveries/${settled[0]}/retry`,
        undefined,
        {},
        as('BANKHK1'),
      );
      assert.deepEqual([noWebhook.status, noWebhook.body.code], [404, 'webhook_not_found']);
      const badPosition = await app.request(
        'POST',
        '/v1/webhooks/deliveries/x1/retry',
        undefined,
        {},
        as('BANKHK2'),
      );
      assert.deepEqual([badPosition.status, badPosition.body.code], [400, 'position_invalid']);
      for (const [query, code] of [
        ['?status=lost', 'status_invalid'],
        ['?after=-1', 'invalid_cursor'],
        ['?limit=0', 'invalid_limit'],
        ['?webhook=1', 'unknown_field'],
      ]) {
        const r = await deliveries('BANKHK2', query);
        assert.equal(r.status, 400, `${query}: ${r.text}`);
        assert.ok(JSON.stringify(r.body).includes(code!), `${query}: ${r.text}`);
      }
      assert.equal(receiver.delivered().length, 1, 'the first failed delivery was not sent again');
    } finally {
      await app.request('DELETE', '/v1/webhooks', undefined, {}, as('BANKHK2'));
      await receiver.close();
    }
  });
});
