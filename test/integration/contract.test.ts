import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { OPENAPI_PATH } from '../../src/create-app.js';
import { generateKeyPair, publicKeyToBase64url, signRequest } from '../../src/platform/signatures/index.js';
import type { TestNetwork } from '../support/network.js';
import { paymentTo, startWithPaymentCorridor } from '../support/payment-corridor.js';
import type { Json, TestApp, TestResponse } from '../support/test-app.js';
import { camt056, pacs008, pacs009 } from '../support/iso20022-messages.js';

/**
 * The contract: openapi.yaml says exactly what the service does.
 *
 * - The routes the service serves and the operations openapi.yaml documents are the same set.
 * - Every documented operation is called at least once with a valid request, signed by a caller
 *   allowed to make it; the request body must conform to the documented request schema, the
 *   response status must be documented, and the body must conform to that response's schema
 *   (OpenAPI 3.1 schemas are JSON Schema 2020-12: validated with Ajv's 2020 draft).
 * - A few refusals are checked the same way (problem details).
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Spec = Json;

const spec: Spec = parse(fs.readFileSync(OPENAPI_PATH, 'utf8'));
const SPEC_ID = 'openapi.yaml';

/**
 * `/v1/wallets/{id}` ↔ Express's `/v1/wallets/:id`. A trailing `{path}` is Express's catch-all
 * `*path` (the /audit page's files, which may span several segments).
 */
const toExpress = (template: string) => template.replace(/\{path\}$/, '*path').replace(/\{([^}]+)\}/g, ':$1');
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function documentedOperations(): string[] {
  const operations: string[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) if (item[method]) operations.push(`${method.toUpperCase()} ${path}`);
  }
  return operations.sort();
}

function servedRoutes(app: TestApp): string[] {
  type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> } };
  const express = app.app.app.getHttpAdapter().getInstance() as {
    router?: { stack: Layer[] };
    _router?: { stack: Layer[] };
  };
  const routes = new Set<string>();
  for (const layer of (express.router ?? express._router)?.stack ?? []) {
    if (layer.route === undefined) continue;
    for (const path of ([] as string[]).concat(layer.route.path)) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') routes.add(`${method.toUpperCase()} ${path.replace(/\/$/, '') || '/'}`);
      }
    }
  }
  assert.ok(routes.size > 0, 'no routes found on the Express app');
  return [...routes].sort();
}

/** Ajv over the whole document, so that `#/components/...` references resolve as they are. */
function makeAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('uri', { validate: (value: string) => URL.canParse(value) });
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  return ajv;
}

describe('contract: openapi.yaml and the service agree', () => {
  let app: TestApp;
  let net: TestNetwork;
  const ajv = makeAjv();
  const validators = new Map<string, ValidateFunction>();
  const called = new Set<string>();
  const failures: string[] = [];

  const validator = (path: string): ValidateFunction => {
    let validate = validators.get(path);
    if (validate === undefined) {
      validate = ajv.getSchema(`${SPEC_ID}#${path}`);
      assert.ok(validate, `no schema at ${path}`);
      validators.set(path, validate);
    }
    return validate;
  };

  /** The response object for a status, following a `$ref` to components/responses; and its JSON pointer. */
  const responseOf = (operation: Json, opPointer: string, status: number): [Json, string] | undefined => {
    const response = operation.responses[String(status)];
    if (response === undefined) return undefined;
    if (typeof response.$ref === 'string') {
      const ref = response.$ref as string;
      const name = ref.replace('#/components/responses/', '');
      return [spec.components.responses[name], `/${pointer('components', 'responses', name)}`];
    }
    return [response, `${opPointer}/${pointer('responses', String(status))}`];
  };

  /** `body` is a valid request (checked against the request schema) unless `invalid`. */
  function check(
    method: string,
    template: string,
    body: unknown,
    response: TestResponse,
    invalid = false,
    requestType = 'application/json',
  ): void {
    const where = `${method} ${template} → ${response.status}`;
    const item = spec.paths[template];
    const operation = item?.[method.toLowerCase()];
    if (operation === undefined) {
      failures.push(`${method} ${template}: not documented`);
      return;
    }
    called.add(`${method} ${template}`);
    const opPointer = `/${pointer('paths', template, method.toLowerCase())}`;
    if (body !== undefined && operation.requestBody && !invalid) {
      const path = `${opPointer}/requestBody/content/${pointer(requestType)}/schema`;
      const validate = validator(path);
      if (!validate(body)) failures.push(`${where}: request body: ${ajv.errorsText(validate.errors)}`);
    }
    const found = responseOf(operation, opPointer, response.status);
    if (found === undefined) {
      failures.push(`${where}: status not documented (${response.text.slice(0, 300)})`);
      return;
    }
    const [documented, responsePointer] = found;
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (documented.content === undefined) {
      if (response.text !== '') failures.push(`${where}: documented without a body, got ${contentType}`);
      return;
    }
    if (!(contentType in documented.content)) {
      failures.push(`${where}: content type ${contentType}, documented: ${Object.keys(documented.content)}`);
      return;
    }
    if (documented.content[contentType].schema === undefined) return;
    const validate = validator(`${responsePointer}/content/${pointer(contentType)}/schema`);
    const value = contentType.endsWith('json') ? response.body : response.text;
    if (!validate(value)) {
      failures.push(
        `${where}: response body: ${ajv.errorsText(validate.errors)}\n    ${response.text.slice(0, 400)}`,
      );
    }
  }

  /**
   * One documented operation: `template` with `params` substituted, signed as `as` (null:
   * unsigned), checked against the spec; it must answer `expected`.
   */
  async function call(
    as: string | null,
    method: string,
    template: string,
    options: {
      params?: Record<string, string>;
      query?: string;
      body?: unknown;
      expected?: number;
      /** An ISO 20022 message (docs/iso20022.md): the body is XML text. */
      xml?: boolean;
    } = {},
  ): Promise<Json> {
    let path = template;
    for (const [name, value] of Object.entries(options.params ?? {}))
      path = path.replace(`{${name}}`, encodeURIComponent(value));
    if (options.query) path += `?${options.query}`;
    const headers: Record<string, string> = method === 'POST' ? { 'idempotency-key': randomUUID() } : {};
    if (options.xml) headers['content-type'] = 'application/xml';
    const response = await app.request(method, path, options.body, headers, {
      as: as === null ? null : net.as(as),
    });
    const expected = options.expected ?? (method === 'POST' ? [200, 201] : [200]);
    // A request meant to be refused for its body is not expected to match the request schema.
    check(
      method,
      template,
      options.body,
      response,
      options.expected === 400,
      options.xml ? 'application/xml' : 'application/json',
    );
    assert.ok(
      ([] as number[]).concat(expected).includes(response.status),
      `${as} ${method} ${path}: ${response.status} ${response.text}`,
    );
    return response.body;
  }

  before(async () => {
    ({ app, net } = await startWithPaymentCorridor());
  });
  after(async () => {
    await app?.close();
  });

  it('validates for real: bodies the spec does not allow are refused', () => {
    const payment = validator('/components/schemas/Payment');
    assert.equal(payment({}), false);
    assert.equal(payment({ id: 'x', status: 'lost' }), false);
    const problem = validator('/components/schemas/Problem');
    const ok = { type: 'urn:problem-type:yuanbridge:x', title: 't', status: 400, detail: 'd', code: 'x' };
    assert.equal(problem(ok), true);
    const { code: _code, ...withoutCode } = ok;
    assert.equal(problem(withoutCode), false);
    assert.equal(validator('/components/schemas/Readiness')({ status: 'ready', database: 'ok' }), false);
  });

  it('documents every route the service serves, and serves every route it documents', () => {
    const served = servedRoutes(app);
    const documented = documentedOperations().map((op) => {
      const [method, path] = op.split(' ');
      return `${method} ${toExpress(path!)}`;
    });
    assert.deepEqual(
      served.filter((r) => !documented.includes(r)),
      [],
      'served but not in openapi.yaml',
    );
    assert.deepEqual(
      documented.filter((r) => !served.includes(r)),
      [],
      'in openapi.yaml but not served',
    );
  });

  it('answers every documented operation as documented', async () => {
    // Operations: probes and metrics.
    await call(null, 'GET', '/health');
    await call(null, 'GET', '/ready');
    await call(null, 'GET', '/metrics');

    // The raw ledger (the operator).
    const [a, b] = [randomUUID(), randomUUID()];
    await call('OPERATOR', 'POST', '/v1/ledger/accounts', {
      body: {
        accounts: [
          { id: a, currency: 'CNY', code: 1 },
          { id: b, currency: 'CNY', code: 1 },
        ],
      },
    });
    const transfer = randomUUID();
    await call('OPERATOR', 'POST', '/v1/ledger/transfers', {
      body: {
        transfers: [
          { id: transfer, debitAccountId: a, creditAccountId: b, amount: '12.34', currency: 'CNY', code: 1 },
        ],
      },
    });
    await call('OPERATOR', 'GET', '/v1/ledger/accounts/{id}', { params: { id: b } });
    await call('OPERATOR', 'GET', '/v1/ledger/accounts/{id}/transfers', { params: { id: b } });
    await call('OPERATOR', 'GET', '/v1/ledger/transfers/{id}', { params: { id: transfer } });

    // Institutions: a new bank registered by its central bank; keys, roles, freezes.
    await call(null, 'GET', '/v1/jurisdictions');
    await call(null, 'GET', '/v1/institutions', { query: 'jurisdiction=CN' });
    await call('PBOC', 'POST', '/v1/institutions', {
      body: {
        id: 'NEWBANKCN',
        kind: 'commercial_bank',
        name: 'New Bank (contract)',
        jurisdiction: 'CN',
        keyId: 'NEWBANKCN-key-1',
        publicKey: publicKeyToBase64url(generateKeyPair().publicKey),
      },
    });
    await call(null, 'GET', '/v1/institutions/{id}', { params: { id: 'NEWBANKCN' } });
    await call('OPERATOR', 'POST', '/v1/institutions/{id}/keys', {
      params: { id: 'NEWBANKCN' },
      body: { publicKey: publicKeyToBase64url(generateKeyPair().publicKey) },
    });
    const role = { id: 'NEWBANKCN', role: 'liquidity_provider' };
    await call('OPERATOR', 'PUT', '/v1/institutions/{id}/roles/{role}', { params: role });
    await call('OPERATOR', 'DELETE', '/v1/institutions/{id}/roles/{role}', { params: role });
    await call('PBOC', 'POST', '/v1/institutions/{id}/freeze', {
      params: { id: 'NEWBANKCN' },
      body: { reason: 'contract: screening', scope: 'all' },
    });
    await call('PBOC', 'POST', '/v1/institutions/{id}/unfreeze', {
      params: { id: 'NEWBANKCN' },
      body: { reason: 'contract: cleared' },
    });
    await call('BANKCN2', 'GET', '/v1/me');

    // Wallets.
    const customer = randomUUID();
    await call('BANKCN1', 'POST', '/v1/wallets', {
      body: { kind: 'customer', id: customer, tier: 4, holderReference: 'contract-customer' },
    });
    await call('BANKCN1', 'GET', '/v1/wallets', { query: 'bank=BANKCN1' });
    await call('BANKCN2', 'POST', '/v1/wallets/transfers', {
      body: { from: 'BANKCN2.CNY', to: 'BANKCN1.CNY', amount: '1.00', reference: 'contract' },
    });
    await call('BANKCN2', 'GET', '/v1/wallets/{id}', { params: { id: 'BANKCN2.CNY' } });
    await call('BANKCN2', 'GET', '/v1/wallets/{id}/history', { params: { id: 'BANKCN2.CNY' } });
    await call('PBOC', 'POST', '/v1/wallets/{id}/freeze', {
      params: { id: customer },
      body: { reason: 'contract: court order', scope: 'all' },
    });
    await call('PBOC', 'POST', '/v1/wallets/{id}/unfreeze', {
      params: { id: customer },
      body: { reason: 'contract: lifted' },
    });
    await call('PBOC', 'GET', '/v1/currencies/{code}/wallet-tiers', { params: { code: 'CNY' } });
    await call('PBOC', 'PUT', '/v1/currencies/{code}/wallet-tiers/{tier}', {
      params: { code: 'CNY', tier: '3' },
      body: { singlePayment: '50000.00', daily: '100000.00', balance: '500000.00', annual: null },
    });

    // Issuance.
    await call('PBOC', 'POST', '/v1/issuance/reserve-credits', {
      body: { bank: 'BANKCN1', amountMinor: '100000' },
    });
    const approved = await call('BANKCN1', 'POST', '/v1/issuance/requests', {
      body: { kind: 'issue', currency: 'CNY', amountMinor: '100', reference: 'contract' },
    });
    await call('BANKCN1', 'GET', '/v1/issuance/requests');
    await call('BANKCN1', 'GET', '/v1/issuance/requests/{id}', { params: { id: approved.id } });
    await call('PBOC', 'POST', '/v1/issuance/requests/{id}/approve', {
      params: { id: approved.id },
      body: {},
    });
    const declined = await call('BANKCN1', 'POST', '/v1/issuance/requests', {
      body: { kind: 'issue', amountMinor: '100' },
    });
    await call('PBOC', 'POST', '/v1/issuance/requests/{id}/decline', {
      params: { id: declined.id },
      body: { reason: 'contract: declined' },
    });
    await call('PBOC', 'POST', '/v1/issuance', {
      body: { bank: 'BANKCN1', kind: 'issue', amountMinor: '100' },
    });
    await call('PBOC', 'PUT', '/v1/currencies/{code}/supply-cap', {
      params: { code: 'CNY' },
      body: { cap: '100000000.00' },
    });
    await call('PBOC', 'GET', '/v1/currencies/{code}/supply', { params: { code: 'CNY' } });

    // FX.
    const sheet = { rate: '1.0850', spreadBps: 10, maxAmount: '50000.00', validForSeconds: 86_400 };
    const pair = { from: 'CNY', to: 'HKD' };
    await call('BANKHK1', 'PUT', '/v1/fx/rate-sheets/{from}/{to}', { params: pair, body: sheet });
    await call('BANKCN2', 'GET', '/v1/fx/rate-sheets');
    const quote = await call('BANKCN2', 'POST', '/v1/fx/quotes', {
      body: { from: 'CNY', to: 'HKD', amount: '100.00' },
    });
    await call('BANKCN2', 'GET', '/v1/fx/quotes/{id}', { params: { id: quote.id } });

    // Corridors.
    const corridor = { id: 'CN-HK' };
    await call('BANKCN2', 'GET', '/v1/corridors');
    await call('BANKCN2', 'GET', '/v1/corridors/{id}', { params: corridor });
    await call('OPERATOR', 'PUT', '/v1/corridors/{id}', { params: corridor, body: {} });
    await call('PBOC', 'PUT', '/v1/corridors/{id}/sides/{jurisdiction}', {
      params: { ...corridor, jurisdiction: 'CN' },
      body: { hours: null, maxPayment: '1000000.00', dailyOutboundQuota: null },
    });
    await call('PBOC', 'POST', '/v1/corridors/{id}/suspend', {
      params: corridor,
      body: { reason: 'contract' },
    });
    await call('PBOC', 'POST', '/v1/corridors/{id}/resume', {
      params: corridor,
      body: { reason: 'contract' },
    });

    // Payments: one that settles, one that waits (from an empty customer wallet) and is cancelled.
    const settled = await call('BANKCN2', 'POST', '/v1/payments', {
      body: { ...paymentTo(), quote: quote.id, amount: '100.00' },
    });
    assert.equal(settled.status, 'settled');
    const queued = await call('BANKCN1', 'POST', '/v1/payments', {
      body: { ...paymentTo(), payer: { wallet: customer } },
    });
    assert.equal(queued.status, 'queued');
    // A batch: one settles, one is refused on its own (a payee that is not on the platform).
    const batch = await call('BANKCN2', 'POST', '/v1/payments/batch', {
      body: {
        payments: [
          { idempotencyKey: randomUUID(), payment: { ...paymentTo(), amount: '10.00' } },
          { idempotencyKey: randomUUID(), payment: paymentTo('NOSUCHBANK') },
        ],
      },
    });
    assert.deepEqual(
      batch.results.map((r: Json) => [r.status, r.payment?.status ?? r.problem.code]),
      [
        [201, 'settled'],
        [404, 'payee_unknown'],
      ],
    );
    await call('BANKCN2', 'GET', '/v1/payments');
    await call('BANKCN2', 'GET', '/v1/payments/{id}', { params: { id: settled.id } });
    await call('OPERATOR', 'POST', '/v1/payments/settlement-cycles', { body: {} });
    await call('BANKCN1', 'POST', '/v1/payments/{id}/cancel', {
      params: { id: queued.id },
      body: { reason: 'contract: no longer needed' },
    });

    // ISO 20022 (docs/iso20022.md): a pacs.008 that settles, a pacs.009 that waits (BANKCN1 holds
    // nothing) and is cancelled by a camt.056; the status report; a camt.053; an unreadable body.
    const isoCustomer = pacs008({
      from: 'BANKCN2',
      to: 'BANKHK2',
      amount: '10.00',
      debtorName: 'Contract Co.',
    });
    await call('BANKCN2', 'POST', '/v1/iso20022/pacs.008', {
      body: isoCustomer.xml,
      xml: true,
      expected: 201,
    });
    const interbank = pacs009({ from: 'BANKCN1', to: 'BANKHK2', amount: '10.00' });
    await call('BANKCN1', 'POST', '/v1/iso20022/pacs.009', { body: interbank.xml, xml: true, expected: 201 });
    await call('BANKHK2', 'GET', '/v1/iso20022/payments/{id}/pacs.002', { params: { id: isoCustomer.uetr } });
    await call('BANKCN1', 'POST', '/v1/iso20022/camt.056', {
      body: camt056({ from: 'BANKCN1', uetr: interbank.uetr }),
      xml: true,
    });
    await call('BANKCN2', 'GET', '/v1/iso20022/camt.053', { query: 'wallet=BANKCN2.CNY&date=2026-03-10' });
    await call('BANKCN2', 'POST', '/v1/iso20022/pacs.008', { body: '<Document>', xml: true, expected: 400 });
    await call('BANKHK1', 'DELETE', '/v1/fx/rate-sheets/{from}/{to}', { params: pair });

    // Notifications.
    await call('BANKCN2', 'PUT', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/contract' } });
    await call('BANKCN2', 'GET', '/v1/webhooks');
    await call('BANKCN2', 'GET', '/v1/webhooks/deliveries', { query: 'status=failed&limit=10' });
    await call('BANKCN2', 'POST', '/v1/webhooks/deliveries/{position}/retry', {
      params: { position: '1' },
      expected: 404,
    });
    await call('BANKCN2', 'DELETE', '/v1/webhooks', { expected: 204 });
    await call(null, 'GET', '/v1/node-key');
    await eventStreamHeaders();

    // The audit trail, and its web page.
    await call(null, 'GET', '/audit');
    await call(null, 'GET', '/audit/{path}', { params: { path: 'app.mjs' } });
    await call(null, 'GET', '/audit/{path}', { params: { path: 'secrets.json' }, expected: 404 });
    const page = await call('REG-CN', 'GET', '/v1/audit/events', {
      query: `paymentId=${settled.id}&limit=10`,
    });
    assert.ok(page.items.length > 0);
    await call('REG-HK', 'GET', '/v1/audit/events/{position}', {
      params: { position: page.items[0].position },
    });
    await call('REG-CN', 'GET', '/v1/audit/verify');
    await call('PBOC', 'GET', '/v1/audit/supply', { query: 'asOf=10' });
    await call('REG-HK', 'GET', '/v1/audit/flows');
    await call('REG-CN', 'GET', '/v1/audit/export', { query: 'format=csv&type=PaymentSettled' });
    await call('REG-CN', 'GET', '/v1/audit/events/{position}', {
      params: { position: '999999' },
      expected: 404,
    });
    await call('BANKCN2', 'GET', '/v1/audit/verify', { expected: 403 });

    // Refusals are documented too.
    await call(null, 'GET', '/v1/payments', { expected: 401 });
    await call('BANKCN2', 'GET', '/v1/payments/{id}', { params: { id: randomUUID() }, expected: 404 });
    await call('BANKCN2', 'POST', '/v1/ledger/accounts', {
      body: { accounts: [{ id: randomUUID(), currency: 'CNY', code: 1 }] },
      expected: 403,
    });
    await call('BANKCN2', 'POST', '/v1/payments', { body: { ...paymentTo(), amount: '-1' }, expected: 400 });
    await call('BANKCN2', 'POST', '/v1/payments/batch', { body: { payments: [] }, expected: 400 });

    assert.deepEqual(failures, [], `the service and openapi.yaml disagree:\n  ${failures.join('\n  ')}`);
    const missed = documentedOperations().filter((op) => !called.has(op));
    assert.deepEqual(missed, [], 'documented operations the test did not call');
  });

  /** The event stream answers 200 text/event-stream; read its headers, then hang up. */
  async function eventStreamHeaders(): Promise<void> {
    const url = `${app.url}/v1/events/stream`;
    const signer = net.as('BANKCN2');
    const signature = signRequest({
      method: 'GET',
      url,
      headers: {},
      keyId: signer.keyId,
      secretKey: signer.secretKey,
      created: Number(app.clock!.nowNs() / 1_000_000_000n),
    });
    const abort = new AbortController();
    const response = await fetch(url, { headers: { ...signature }, signal: abort.signal });
    abort.abort();
    await response.body?.cancel().catch(() => undefined);
    check('GET', '/v1/events/stream', undefined, {
      status: response.status,
      headers: response.headers,
      body: null,
      text: '',
    });
    assert.equal(response.status, 200);
  }
});
