import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../src/platform/database/database.js';
import { createLog } from '../../src/platform/logging/log.js';
import { generateKeyPair } from '../../src/platform/signatures/index.js';
import { assertProblem } from '../support/ledger-api.js';
import { paymentTo, startWithPaymentCorridor } from '../support/payment-corridor.js';
import type { TestNetwork } from '../support/network.js';
import { startTestApp, type Json, type TestApp } from '../support/test-app.js';

/** One sample of a Prometheus text exposition: `name{labels} value`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (line.slice(0, space) === series) return Number(line.slice(space + 1));
  }
  return undefined;
}

describe('operations: /ready, /metrics, request ids and the request log', () => {
  let app: TestApp;
  let net: TestNetwork;
  const lines: Json[] = [];

  before(async () => {
    // The JSON log, captured: one line per request is part of what is tested.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    ({ app, net } = await startWithPaymentCorridor({ log: createLog('info', sink) }));
  });
  after(async () => {
    await app?.close();
  });

  const metrics = async (): Promise<string> => {
    const response = await app.request('GET', '/metrics', undefined, {}, { as: null });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return response.text;
  };

  it('GET /ready answers 200 without a signature when the database answers and the sequencer writes', async () => {
    const response = await app.request('GET', '/ready', undefined, {}, { as: null });
    assert.equal(response.status, 200, response.text);
    const position = await app.db.scalar('select position from event_log_head');
    assert.deepEqual(response.body, {
      status: 'ready',
      database: 'ok',
      sequencer: 'writing',
      position: position.toString(),
    });
    // Liveness is unchanged.
    assert.equal((await app.request('GET', '/health', undefined, {}, { as: null })).status, 200);
  });

  it('GET /ready answers 503 not_ready with Retry-After, saying the database is not answering', async () => {
    const dataSource = app.app.app.get(Database).dataSource;
    const query = dataSource.query;
    dataSource.query = (() => Promise.reject(new Error('connection refused'))) as typeof query;
    try {
      const response = await app.request('GET', '/ready', undefined, {}, { as: null });
      const problem = assertProblem(response, 503, 'not_ready');
      assert.equal(response.headers.get('retry-after'), '5');
      assert.deepEqual(
        problem.errors!.map((e: Json) => e.code),
        ['database_unavailable'],
      );
      assert.match(problem.detail, /connection refused/);
    } finally {
      dataSource.query = query;
    }
    assert.equal((await app.request('GET', '/ready', undefined, {}, { as: null })).status, 200);
  });

  it('GET /metrics counts payments by status and corridor, and the queue, from committed events', async () => {
    const before = await metrics();
    const settled = (text: string) =>
      sample(text, 'yb_payments_total{status="settled",corridor="CN-HK"}') ?? 0;
    const queuedEvents = (text: string) =>
      sample(text, 'yb_payments_total{status="queued",corridor="CN-HK"}') ?? 0;
    const received = (text: string) =>
      sample(text, 'yb_payments_total{status="received",corridor="CN-HK"}') ?? 0;

    const pay = (by: string) =>
      app.request(
        'POST',
        '/v1/payments',
        paymentTo(),
        { 'idempotency-key': randomUUID() },
        { as: net.as(by) },
      );
    const paid = await pay('BANKCN2');
    assert.equal(paid.status, 201, paid.text);
    assert.equal(paid.body.status, 'settled');
    const waiting = await pay('BANKCN1'); // BANKCN1 holds nothing: the payment queues
    assert.equal(waiting.status, 201, waiting.text);
    assert.equal(waiting.body.status, 'queued');

    const text = await metrics();
    assert.equal(settled(text) - settled(before), 1);
    assert.equal(queuedEvents(text) - queuedEvents(before), 1);
    assert.equal(received(text) - received(before), 2);
    assert.equal(sample(text, 'yb_payments_queued'), 1);
    const position = await app.db.scalar('select position from event_log_head');
    assert.equal(sample(text, 'yb_event_log_position'), Number(position));
    assert.equal(sample(text, 'yb_sequencer_writing'), 1);
    // Every committed batch that wrote events is in both histograms, each event counted once.
    const batches = sample(text, 'yb_sequencer_batch_events_count')!;
    assert.ok(batches > 0);
    assert.equal(sample(text, 'yb_sequencer_commit_seconds_count'), batches);
    assert.equal(sample(text, 'yb_sequencer_batch_events_sum'), Number(position));
    assert.ok(sample(text, 'yb_sequencer_commit_seconds_sum')! > 0);
    // prom-client's default process metrics.
    assert.ok(sample(text, 'process_cpu_user_seconds_total')! > 0);
    assert.ok(sample(text, 'nodejs_heap_size_used_bytes')! > 0);
  });

  it('GET /metrics counts refused signatures by reason', async () => {
    const before = await metrics();
    const count = (text: string, reason: string) =>
      sample(text, `yb_signature_failures_total{reason="${reason}"}`) ?? 0;
    assertProblem(await app.request('GET', '/v1/me', undefined, {}, { as: null }), 401, 'signature_missing');
    assertProblem(await app.request('GET', '/v1/me', undefined, {}, { as: null }), 401, 'signature_missing');
    const stranger = { keyId: 'NOBODY-key-1', secretKey: generateKeyPair().secretKey };
    assertProblem(
      await app.request('GET', '/v1/me', undefined, {}, { as: stranger }),
      401,
      'signature_key_unknown',
    );
    const forged = { keyId: net.as('BANKCN1').keyId, secretKey: generateKeyPair().secretKey };
    assertProblem(
      await app.request('GET', '/v1/me', undefined, {}, { as: forged }),
      401,
      'signature_invalid',
    );
    // A refusal that is not about the signature is not counted.
    assertProblem(
      await app.request('GET', '/v1/nowhere', undefined, {}, { as: null }),
      404,
      'route_not_found',
    );

    const text = await metrics();
    assert.equal(count(text, 'signature_missing') - count(before, 'signature_missing'), 2);
    assert.equal(count(text, 'signature_key_unknown') - count(before, 'signature_key_unknown'), 1);
    assert.equal(count(text, 'signature_invalid') - count(before, 'signature_invalid'), 1);
    assert.equal(count(text, 'route_not_found'), 0);
  });

  it('gives every request an id: the client’s if sane, else a new one, on the response and in problems', async () => {
    const offered = await app.request(
      'GET',
      '/v1/me',
      undefined,
      { 'x-request-id': 'bank-ref:42/a' },
      { as: null },
    );
    assert.equal(offered.headers.get('x-request-id'), 'bank-ref:42/a');
    assert.equal(offered.body.requestId, 'bank-ref:42/a');
    assert.equal(offered.body.code, 'signature_missing'); // the other members stay as they were
    assert.equal(offered.body.instance, '/v1/me');

    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const insane of ['has space', 'x'.repeat(129), 'quote"d', '']) {
      const response = await app.request(
        'GET',
        '/health',
        undefined,
        { 'x-request-id': insane },
        { as: null },
      );
      assert.match(response.headers.get('x-request-id') ?? '', uuid, JSON.stringify(insane));
    }
    const ok128 = 'y'.repeat(128);
    const kept = await app.request('GET', '/health', undefined, { 'x-request-id': ok128 }, { as: null });
    assert.equal(kept.headers.get('x-request-id'), ok128);
    const a = await app.request('GET', '/health', undefined, {}, { as: null });
    const b = await app.request('GET', '/health', undefined, {}, { as: null });
    assert.match(a.headers.get('x-request-id')!, uuid);
    assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
  });

  it('writes one JSON line per request: method, path, status, duration, request id, key id if signed', async () => {
    const id = `log-${randomUUID()}`;
    const signedId = `log-${randomUUID()}`;
    await app.request(
      'GET',
      '/v1/institutions?jurisdiction=CN',
      undefined,
      { 'x-request-id': id },
      { as: null },
    );
    const me = await app.request(
      'GET',
      '/v1/me',
      undefined,
      { 'x-request-id': signedId },
      { as: net.as('BANKCN2') },
    );
    assert.equal(me.status, 200, me.text);
    // The line is written when the response has been sent: give the log a moment.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const unsigned = lines.filter((l) => l.requestId === id);
    assert.equal(unsigned.length, 1);
    const [line] = unsigned;
    assert.equal(line.msg, 'request');
    assert.equal(line.level, 'info');
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/v1/institutions'); // the query string is left out
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
    assert.ok(line.durationMs >= 0);
    assert.equal(line.keyId, undefined);
    assert.ok(!Number.isNaN(Date.parse(line.time)));

    const signed = lines.filter((l) => l.requestId === signedId);
    assert.equal(signed.length, 1);
    assert.equal(signed[0].keyId, net.as('BANKCN2').keyId);
    assert.equal(signed[0].path, '/v1/me');
  });

  it('keeps a registry per app: two services in one process each count their own', async () => {
    const other = await startTestApp();
    try {
      const response = await other.request('GET', '/metrics', undefined, {}, { as: null });
      assert.equal(response.status, 200);
      assert.equal(sample(response.text, 'yb_payments_queued'), 0);
      assert.equal(sample(await metrics(), 'yb_payments_queued'), 1);
    } finally {
      await other.close();
    }
  });
});
