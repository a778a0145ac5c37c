import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OPERATIONS,
  YuanbridgeClient,
  YuanbridgeProblem,
  generateKeyPair,
  type OperationId,
} from '../../src/sdk/index.js';

/** Requests as the fake server saw them, and its scripted replies in order. */
function fakeService(replies: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>) {
  const seen: { method: string; url: string; headers: Record<string, string>; body?: string }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    seen.push({
      method: init.method ?? 'GET',
      url: String(input),
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body as string | undefined,
    });
    const reply = replies.shift() ?? { status: 200, body: {} };
    const problem = reply.status >= 400;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: {
        'content-type': problem ? 'application/problem+json' : 'application/json',
        ...reply.headers,
      },
    });
  }) as typeof fetch;
  return { seen, fetchImpl };
}

const unavailable = (retryAfter = '0') => ({
  status: 503,
  headers: { 'retry-after': retryAfter },
  body: {
    type: 'urn:problem-type:yuanbridge:commit_failed',
    title: 'Commit failed',
    status: 503,
    detail: 'The database did not accept the batch; nothing happened.',
    code: 'commit_failed',
  },
});

const { secretKey } = generateKeyPair();
const clientOn = (fetchImpl: typeof fetch, retries = 3) =>
  new YuanbridgeClient({
    baseUrl: 'http://yb.test/',
    keyId: 'BANK-key-1',
    secretKey,
    fetch: fetchImpl,
    retry: { retries, baseDelayMs: 1 },
  });

describe('the SDK transport', () => {
  it('retries a GET after 503 + Retry-After, signing each attempt afresh', async () => {
    const { seen, fetchImpl } = fakeService([unavailable(), { status: 200, body: { id: 'p1' } }]);
    const read = await clientOn(fetchImpl).payments.get('p 1/x');
    assert.deepEqual(read, { id: 'p1' });
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.url, 'http://yb.test/v1/payments/p%201%2Fx', 'path parameters are encoded');
    // The service refuses a signature it has seen: a retry must not resend the same one.
    assert.notEqual(seen[0]!.headers.signature, seen[1]!.headers.signature);
    assert.match(seen[1]!.headers['signature-input']!, /keyid="BANK-key-1"/);
  });

  it('retries a POST that carries an Idempotency-Key, with the same key every time', async () => {
    const { seen, fetchImpl } = fakeService([
      unavailable(),
      unavailable(),
      { status: 201, body: { id: 'p1', status: 'settled' } },
    ]);
    const body = { payee: { bank: 'BANKHK2' }, amount: '1000.00', currency: 'CNY', purpose: 'goods' };
    await clientOn(fetchImpl).payments.submit(body);
    assert.equal(seen.length, 3);
    const keys = new Set(seen.map((r) => r.headers['idempotency-key']));
    assert.equal(keys.size, 1);
    assert.match([...keys][0]!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The body is sent as the signature covers it: digest of the exact bytes.
    assert.equal(seen[2]!.body, JSON.stringify(body));
    assert.match(seen[2]!.headers['content-digest']!, /^sha-256=:/);
    assert.match(seen[2]!.headers['signature-input']!, /"content-digest"/);
  });

  it('does not retry a POST the service cannot deduplicate, and gives up after the set retries', async () => {
    const once = fakeService([unavailable()]);
    await assert.rejects(
      clientOn(once.fetchImpl).payments.runSettlementCycle(),
      (error: unknown) =>
        error instanceof YuanbridgeProblem && error.status === 503 && error.code === 'commit_failed',
    );
    assert.equal(once.seen.length, 1);
    assert.equal(once.seen[0]!.headers['idempotency-key'], undefined);

    const always = fakeService([unavailable(), unavailable(), unavailable()]);
    await assert.rejects(clientOn(always.fetchImpl, 2).me(), YuanbridgeProblem);
    assert.equal(always.seen.length, 3, 'the first attempt and two retries');
  });

  it('turns a response that is not a problem detail into YuanbridgeProblem unexpected_response', async () => {
    const fetchImpl = (async () => new Response('<html>Bad gateway</html>', { status: 502 })) as typeof fetch;
    await assert.rejects(
      clientOn(fetchImpl).me(),
      (error: unknown) =>
        error instanceof YuanbridgeProblem && error.status === 502 && error.code === 'unexpected_response',
    );
  });

  it('has a method for every operation of openapi.yaml but the /audit web page', async () => {
    const { seen, fetchImpl } = fakeService([]);
    const client = clientOn(fetchImpl);
    // Call every method of every resource with placeholder arguments and see which operations
    // the requests hit: an operation added to openapi.yaml without a method fails here.
    const groups = [
      'payments',
      'fx',
      'wallets',
      'issuance',
      'corridors',
      'institutions',
      'ledger',
      'audit',
      'iso20022',
    ];
    const calls: Array<() => unknown> = [() => client.me()];
    for (const name of [...groups, 'notifications', 'operations']) {
      const group = (client as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[
        name
      ]!;
      for (const method of Object.values(group)) calls.push(() => method('A', 'B', { reason: 'x' }));
    }
    for (const call of calls) {
      const result = call();
      if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        await (result as AsyncGenerator).next().catch(() => undefined);
      } else await Promise.resolve(result).catch(() => undefined);
    }
    const hit = new Set<OperationId>();
    for (const request of seen) {
      const url = new URL(request.url);
      for (const [id, info] of Object.entries(OPERATIONS)) {
        const template = new RegExp(`^${info.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        if (info.method === request.method && template.test(url.pathname)) hit.add(id as OperationId);
      }
    }
    const missing = (Object.keys(OPERATIONS) as OperationId[]).filter((id) => !hit.has(id));
    assert.deepEqual(missing.sort(), ['getAuditPage', 'getAuditPageAsset']);
  });

  it('refuses what cannot be sent before sending it', () => {
    assert.throws(() => new YuanbridgeClient({ baseUrl: 'yb.test' }), /baseUrl/);
    assert.throws(() => new YuanbridgeClient({ baseUrl: 'http://yb.test', keyId: 'K' }), /together/);
    assert.throws(
      () => new YuanbridgeClient({ baseUrl: 'http://yb.test', keyId: 'K', secretKey: 'short' }),
      /secretKey/,
    );
  });
});
