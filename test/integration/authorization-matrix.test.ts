import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { OPENAPI_PATH } from '../../src/create-app.js';
import { bankWalletAccountId } from '../../src/institutions/domain/chart-of-accounts.js';
import { generateKeyPair, publicKeyToBase64url } from '../../src/platform/signatures/index.js';
import { assertProblem } from '../support/ledger-api.js';
import { setUpNetwork } from '../support/network.js';
import { startTestApp, type Signer, type TestApp, type TestResponse } from '../support/test-app.js';
import { camt056, pacs008, pacs009, readAnswer } from '../support/iso20022-messages.js';

/**
 * The 401/403 matrix of issue 3: every write endpoint the service serves (POST, PUT, DELETE),
 * each called unsigned (401 signature_missing) and by one institution of each kind and position
 * relative to the object (operator; central bank of the jurisdiction and of another; the bank whose
 * object it is, another bank of the same jurisdiction, a bank of another jurisdiction; regulators
 * of the jurisdiction and of another). Each call is "allowed" (2xx: bodies are valid and the state
 * is prepared so that an allowed call really succeeds) or "refused" (403 forbidden_role or
 * forbidden_scope), and a refused call writes nothing (events, idempotency keys).
 *
 * The expectations (MATRIX) follow docs/institutions.md, docs/wallets.md and docs/issuance.md;
 * where the docs say nothing (FX, corridors: not documented yet) they follow the controllers and
 * deciders. The object is always CN's: the bank BANKCN1, its wallets, CNY, the corridor CN-TH.
 */

/** The callers, in the matrix's column order. */
const CALLERS = ['OPERATOR', 'PBOC', 'HKMA', 'BANKCN1', 'BANKCN2', 'BANKHK1', 'REG-CN', 'REG-HK'] as const;
type CallerId = (typeof CALLERS)[number];
const CALLER_ROLES: Record<CallerId, string> = {
  OPERATOR: 'operator',
  PBOC: 'central bank of the jurisdiction (CN)',
  HKMA: 'central bank of another jurisdiction (HK)',
  BANKCN1: 'commercial bank whose object it is (CN, liquidity provider)',
  BANKCN2: 'another commercial bank of the same jurisdiction (CN, not a liquidity provider)',
  BANKHK1: 'a commercial bank of another jurisdiction (HK, liquidity provider)',
  'REG-CN': 'regulator of the jurisdiction (CN)',
  'REG-HK': 'regulator of another jurisdiction (HK)',
};

type Expected = 'allow' | 'forbidden_role' | 'forbidden_scope';
const A: Expected = 'allow';
const R: Expected = 'forbidden_role';
const S: Expected = 'forbidden_scope';

/**
 * Endpoint × caller → expected outcome. A row is a served route, optionally with the object it is
 * called on in brackets when one route is checked on two kinds of object.
 */
// prettier-ignore
const MATRIX: Record<string, readonly Expected[]> = {
  //                                                              OPERATOR PBOC HKMA BANKCN1 BANKCN2 BANKHK1 REG-CN REG-HK
  // The raw ledger is the operator's instrument (docs/institutions.md).
  'POST /v1/ledger/accounts':                                         [A, R, R, R, R, R, R, R],
  'POST /v1/ledger/transfers':                                        [A, R, R, R, R, R, R, R],
  // Registration: central banks by the operator only; banks and regulators also by their own
  // jurisdiction's central bank (HKMA registering a bank in CN: forbidden_scope).
  'POST /v1/institutions [a commercial bank of CN]':                  [A, A, S, R, R, R, R, R],
  'POST /v1/institutions [a central bank]':                           [A, R, R, R, R, R, R, R],
  // Keys: the institution itself or the operator; anyone else may rotate keys, but not this one.
  'POST /v1/institutions/:id/keys [BANKCN1]':                         [A, S, S, A, S, S, S, S],
  // Roles: the operator or the bank's central bank.
  'PUT /v1/institutions/:id/roles/:role [BANKCN1 liquidity_provider]':    [A, A, S, R, R, R, R, R],
  'DELETE /v1/institutions/:id/roles/:role [BANKCN1 liquidity_provider]': [A, A, S, R, R, R, R, R],
  // Freezes: the central bank or a regulator of the bank's jurisdiction (docs/wallets.md).
  'POST /v1/institutions/:id/freeze [BANKCN1]':                       [R, A, S, R, R, R, A, S],
  'POST /v1/institutions/:id/unfreeze [BANKCN1]':                     [R, A, S, R, R, R, A, S],
  // Wallets: only commercial banks open wallets and move wallet money, from their own wallets.
  'POST /v1/wallets [a customer wallet of the caller]':               [R, R, R, A, A, A, R, R],
  'POST /v1/wallets/transfers [from BANKCN1.CNY]':                    [R, R, R, A, S, S, R, R],
  'POST /v1/wallets/:id/freeze [a customer wallet of BANKCN1]':       [R, A, S, R, R, R, A, S],
  'POST /v1/wallets/:id/unfreeze [a customer wallet of BANKCN1]':     [R, A, S, R, R, R, A, S],
  // A wallet's jurisdiction is its bank's, also in a foreign CBDC: BANKCN1.HKD is not HKMA's.
  'POST /v1/wallets/:id/freeze [BANKCN1.HKD]':                        [R, A, S, R, R, R, A, S],
  'POST /v1/wallets/:id/unfreeze [BANKCN1.HKD]':                      [R, A, S, R, R, R, A, S],
  'PUT /v1/currencies/:code/wallet-tiers/:tier [CNY tier 3]':         [R, A, S, R, R, R, R, R],
  // Issuance (docs/issuance.md, "Who may do what").
  'POST /v1/issuance/reserve-credits [to BANKCN1]':                   [R, A, S, R, R, R, R, R],
  'POST /v1/issuance/requests [CNY]':                                 [R, R, R, A, A, S, R, R],
  'POST /v1/issuance/requests/:id/approve [BANKCN1 asked PBOC]':      [R, A, S, R, R, R, R, R],
  'POST /v1/issuance/requests/:id/decline [BANKCN1 asked PBOC]':      [R, A, S, R, R, R, R, R],
  'POST /v1/issuance [to BANKCN1]':                                   [R, A, S, R, R, R, R, R],
  'PUT /v1/currencies/:code/supply-cap [CNY]':                        [R, A, S, R, R, R, R, R],
  // FX (not in the docs yet; from src/fx): liquidity providers publish their own sheets, any
  // commercial bank asks for quotes. A sheet is always the caller's own, so no scope applies.
  'PUT /v1/fx/rate-sheets/:from/:to [CNY/HKD]':                       [R, R, R, A, R, A, R, R],
  // Withdrawing: the caller's own sheet, and only a liquidity provider has any (BANKCN2 is not one).
  'DELETE /v1/fx/rate-sheets/:from/:to [CNY/HKD]':                    [R, R, R, A, R, A, R, R],
  'POST /v1/fx/quotes [into the other currency]':                                     [R, R, R, A, A, A, R, R],
  // Corridors (not in the docs yet; from src/corridors): the operator opens them and sets fees,
  // each side's central bank governs its own side. HKMA is not a side of CN-TH.
  'PUT /v1/corridors/:id [CN-TH]':                                    [A, R, R, R, R, R, R, R],
  'PUT /v1/corridors/:id/sides/:jurisdiction [CN-TH, side CN]':       [R, A, S, R, R, R, R, R],
  'PUT /v1/corridors/:id/sides/:jurisdiction [CN-TH, side TH]':       [R, S, S, R, R, R, R, R],
  'POST /v1/corridors/:id/suspend [CN-TH]':                           [R, A, S, R, R, R, R, R],
  'POST /v1/corridors/:id/resume [CN-TH]':                            [R, A, S, R, R, R, R, R],
  // On CN-HK, HKMA governs the HK side: it may suspend too.
  'POST /v1/corridors/:id/suspend [CN-HK]':                           [R, A, A, R, R, R, R, R],
  // Payments (docs/payments.md): commercial banks pay from their own wallets (to a bank of the other
  // jurisdiction); only the payer cancels; only the operator runs a settlement cycle by hand.
  'POST /v1/payments [from the caller’s bank wallet]':           [R, R, R, A, A, A, R, R],
  'POST /v1/payments [from a customer wallet of BANKCN1]':      [R, R, R, A, S, S, R, R],
  // A batch is the caller's own payments: refusals by scope are per payment, inside the 200.
  'POST /v1/payments/batch [from the caller’s bank wallet]':     [R, R, R, A, A, A, R, R],
  'POST /v1/payments/:id/cancel [a queued payment of BANKCN1]':  [R, R, R, A, S, S, R, R],
  'POST /v1/payments/settlement-cycles':                         [A, R, R, R, R, R, R, R],
  // ISO 20022 (docs/iso20022.md): the same rules as the JSON routes; the signer must be the
  // debtor agent (pacs.008), the debtor (pacs.009), the assigner (camt.056).
  'POST /v1/iso20022/pacs.008 [the caller as debtor agent]':     [R, R, R, A, A, A, R, R],
  'POST /v1/iso20022/pacs.008 [BANKCN1 as debtor agent]':        [R, R, R, A, S, S, R, R],
  'POST /v1/iso20022/pacs.009 [BANKCN1 as debtor]':              [R, R, R, A, S, S, R, R],
  'POST /v1/iso20022/camt.056 [a queued payment of BANKCN1]':    [R, R, R, A, S, S, R, R],
  // Webhooks (docs/notifications.md): every institution but the operator keeps its own one.
  'PUT /v1/webhooks [own webhook]':                              [R, A, A, A, A, A, A, A],
  'DELETE /v1/webhooks [own webhook]':                           [R, A, A, A, A, A, A, A],
  'POST /v1/webhooks/deliveries/:position/retry [own failed delivery]': [R, A, A, A, A, A, A, A],
};

/** One request of the matrix. */
interface Call {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** After an allowed call answered 2xx: checks on the reply, and state the test keeps (keys). */
  readonly onSuccess?: (response: TestResponse) => void;
}

interface Endpoint {
  /** A key of MATRIX. */
  readonly row: string;
  /** Before each caller's call (not counted): puts the object in the state the call needs. */
  readonly prepare?: (caller: CallerId) => Promise<void>;
  readonly call: (caller: CallerId) => Call;
  /** After the row: leaves the shared state as the other rows expect it. */
  readonly cleanUp?: () => Promise<void>;
}

/** The served route a row is about: `POST /v1/wallets/:id/freeze [x]` → `POST /v1/wallets/:id/freeze`. */
const routeOf = (row: string) => row.replace(/ \[.*\]$/, '');

/**
 * Read side: endpoint × caller → 'ok' (200 with the data), or the refusal: 403 with that code, or
 * 404 `quote_unknown` (a quote is shown to the bank that asked, its jurisdiction's central bank
 * and regulators, and the operator).
 */
type ReadExpected = 'ok' | 'forbidden_role' | 'forbidden_scope' | 'quote_unknown';
const OK: ReadExpected = 'ok';
const Q: ReadExpected = 'quote_unknown';
// prettier-ignore
const READ_MATRIX: Record<string, readonly ReadExpected[]> = {
  //                                                  OPERATOR PBOC HKMA BANKCN1 BANKCN2 BANKHK1 REG-CN REG-HK
  'GET /v1/wallets/:id [BANKCN1.CNY]':                     [OK, OK, S, OK, S, S, OK, S],
  'GET /v1/wallets/:id [a customer wallet of BANKCN1]':    [OK, OK, S, OK, S, S, OK, S],
  'GET /v1/wallets/:id [BANKCN1.HKD]':                     [OK, OK, S, OK, S, S, OK, S],
  'GET /v1/wallets/:id/history [BANKCN1.CNY]':             [OK, OK, S, OK, S, S, OK, S],
  'GET /v1/wallets?bank=BANKCN1':                          [OK, OK, S, OK, S, S, OK, S],
  'GET /v1/issuance/requests/:id [BANKCN1 asked PBOC]':    [OK, OK, S, OK, S, S, OK, S],
  'GET /v1/currencies/:code/supply [CNY]':                 [OK, OK, S, S, S, S, OK, S],
  'GET /v1/fx/quotes/:id [asked by BANKCN1]':              [OK, OK, Q, OK, Q, Q, OK, Q],
  'GET /v1/ledger/accounts/:id [BANKCN1.CNY]':             [OK, R, R, R, R, R, R, R],
};

describe('authorization matrix: every write endpoint × every kind of caller, over signed HTTP', () => {
  let app: TestApp;
  /** Current keys: the matrix rotates BANKCN1's key, so look signers up here, never keep one. */
  const signers = new Map<string, Signer>();
  const signer = (id: string): Signer => {
    const s = signers.get(id);
    if (s === undefined) throw new Error(`no signer for ${id}`);
    return s;
  };
  const events = () => app.db.scalar('select count(*) from events');
  const keys = () => app.db.scalar('select count(*) from idempotency_keys');
  const idem = () => ({ 'idempotency-key': randomUUID() });

  function send(as: string | null, method: string, path: string, body?: unknown, headers = {}) {
    return app.request(method, path, body, headers, { as: as === null ? null : signer(as) });
  }

  /** A set-up request that must succeed (one of `statuses`). */
  async function must(
    as: string,
    method: string,
    path: string,
    body?: unknown,
    statuses: readonly number[] = [200, 201],
  ): Promise<TestResponse> {
    const response = await send(as, method, path, body, method === 'GET' ? {} : idem());
    assert.ok(
      statuses.includes(response.status),
      `set-up ${as} ${method} ${path}: ${response.status} ${response.text}`,
    );
    return response;
  }

  let customerWallet: string;
  let rawDebit: string;
  let rawCredit: string;
  let openRequest: string = randomUUID();
  let queuedPayment: string = randomUUID();
  const queuedPayments: string[] = [];
  /** A payment from BANKCN1's empty customer wallet: it waits for funds (the settlement timer is off). */
  async function queueAPaymentOfBankCn1(): Promise<void> {
    const response = await must('BANKCN1', 'POST', '/v1/payments', {
      payer: { wallet: customerWallet },
      payee: { bank: 'BANKHK2' },
      amount: '1000.00',
      currency: 'CNY',
      purpose: 'matrix',
    });
    assert.equal(response.body.status, 'queued', response.text);
    queuedPayment = response.body.id;
    queuedPayments.push(queuedPayment);
  }
  let counter = 0;
  const next = () => ++counter;

  const FREEZE = { reason: 'matrix: sanctions screening', scope: 'all' };
  const UNFREEZE = { reason: 'matrix: cleared' };
  const SHEET = { rate: '1.08', spreadBps: 10, maxAmount: '100000.00', validForSeconds: 3600 };
  const SHEET_HKD_CNY = { rate: '0.92', spreadBps: 10, maxAmount: '100000.00', validForSeconds: 3600 };
  const publishSheet = (bank: string) => must(bank, 'PUT', '/v1/fx/rate-sheets/CNY/HKD', SHEET);
  const ensureRole = (granted: boolean) =>
    must('OPERATOR', granted ? 'PUT' : 'DELETE', '/v1/institutions/BANKCN1/roles/liquidity_provider');
  const ensureWalletUnfrozen = (id: string) =>
    must('PBOC', 'POST', `/v1/wallets/${id}/unfreeze`, UNFREEZE, [200, 409]);
  const ensureWalletFrozen = (id: string) => must('PBOC', 'POST', `/v1/wallets/${id}/freeze`, FREEZE);
  const ensureBankUnfrozen = () =>
    must('PBOC', 'POST', '/v1/institutions/BANKCN1/unfreeze', UNFREEZE, [200, 409]);
  const ensureBankFrozen = () => must('PBOC', 'POST', '/v1/institutions/BANKCN1/freeze', FREEZE);
  const ensureResumed = async (corridor: string, centralBanks: readonly string[]) => {
    for (const cb of centralBanks)
      await must(cb, 'POST', `/v1/corridors/${corridor}/resume`, { reason: 'matrix: set-up' });
  };
  const newPublicKey = () => publicKeyToBase64url(generateKeyPair().publicKey);
  const removeWebhooks = async () => {
    for (const caller of CALLERS)
      if (caller !== 'OPERATOR') await must(caller, 'DELETE', '/v1/webhooks', undefined, [204, 404]);
  };
  const newCentralBanks = [
    { jurisdiction: 'JP', establishes: { name: 'Japan', currency: 'JPY', timeZone: 'Asia/Tokyo' } },
    { jurisdiction: 'SG', establishes: { name: 'Singapore', currency: 'SGD', timeZone: 'Asia/Singapore' } },
    { jurisdiction: 'MY', establishes: { name: 'Malaysia', currency: 'MYR', timeZone: 'Asia/Kuala_Lumpur' } },
  ];

  const walletFreeze = (row: string, wallet: () => string, freezing: boolean): Endpoint => ({
    row,
    prepare: () => (freezing ? ensureWalletUnfrozen(wallet()) : ensureWalletFrozen(wallet())).then(() => {}),
    call: () => ({
      method: 'POST',
      path: `/v1/wallets/${wallet()}/${freezing ? 'freeze' : 'unfreeze'}`,
      body: freezing ? FREEZE : UNFREEZE,
      headers: idem(),
      onSuccess: (response) => {
        assert.equal(response.body.walletId, wallet());
        assert.equal(response.body.frozen === null, !freezing);
      },
    }),
    cleanUp: () => ensureWalletUnfrozen(wallet()).then(() => {}),
  });

  const ENDPOINTS: readonly Endpoint[] = [
    {
      row: 'POST /v1/ledger/accounts',
      call: () => ({
        method: 'POST',
        path: '/v1/ledger/accounts',
        body: { accounts: [{ id: randomUUID(), currency: 'CNY', code: 1 }] },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.results[0].result, 'ok'),
      }),
    },
    {
      row: 'POST /v1/ledger/transfers',
      call: () => ({
        method: 'POST',
        path: '/v1/ledger/transfers',
        body: {
          transfers: [
            {
              id: randomUUID(),
              debitAccountId: rawDebit,
              creditAccountId: rawCredit,
              amount: '1.00',
              currency: 'CNY',
              code: 1,
            },
          ],
        },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.results[0].result, 'ok'),
      }),
    },
    {
      row: 'POST /v1/institutions [a commercial bank of CN]',
      call: () => {
        const id = `MTXCN${next()}`;
        return {
          method: 'POST',
          path: '/v1/institutions',
          body: {
            id,
            kind: 'commercial_bank',
            name: `${id} (matrix)`,
            jurisdiction: 'CN',
            publicKey: newPublicKey(),
          },
          headers: idem(),
          onSuccess: (response) => assert.equal(response.body.id, id),
        };
      },
    },
    {
      row: 'POST /v1/institutions [a central bank]',
      call: () => {
        const cb = newCentralBanks[0]!;
        const id = `MTXCB${next()}`;
        return {
          method: 'POST',
          path: '/v1/institutions',
          body: { id, kind: 'central_bank', name: `${id} (matrix)`, ...cb, publicKey: newPublicKey() },
          headers: idem(),
          onSuccess: () => void newCentralBanks.shift(),
        };
      },
    },
    {
      row: 'POST /v1/institutions/:id/keys [BANKCN1]',
      call: () => {
        const pair = generateKeyPair();
        return {
          method: 'POST',
          path: '/v1/institutions/BANKCN1/keys',
          body: { publicKey: publicKeyToBase64url(pair.publicKey) },
          headers: idem(),
          // From now on BANKCN1 signs with the new key (the old one is refused).
          onSuccess: (response) =>
            signers.set('BANKCN1', { keyId: response.body.key.keyId as string, secretKey: pair.secretKey }),
        };
      },
    },
    {
      row: 'PUT /v1/institutions/:id/roles/:role [BANKCN1 liquidity_provider]',
      prepare: () => ensureRole(false).then(() => {}),
      call: () => ({
        method: 'PUT',
        path: '/v1/institutions/BANKCN1/roles/liquidity_provider',
        onSuccess: (response) => assert.deepEqual(response.body.roles, ['liquidity_provider']),
      }),
      cleanUp: () => ensureRole(true).then(() => {}),
    },
    {
      row: 'DELETE /v1/institutions/:id/roles/:role [BANKCN1 liquidity_provider]',
      prepare: () => ensureRole(true).then(() => {}),
      call: () => ({
        method: 'DELETE',
        path: '/v1/institutions/BANKCN1/roles/liquidity_provider',
        onSuccess: (response) => assert.deepEqual(response.body.roles, []),
      }),
      cleanUp: () => ensureRole(true).then(() => {}),
    },
    {
      row: 'POST /v1/institutions/:id/freeze [BANKCN1]',
      prepare: () => ensureBankUnfrozen().then(() => {}),
      call: () => ({
        method: 'POST',
        path: '/v1/institutions/BANKCN1/freeze',
        body: FREEZE,
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.frozen.scope, 'all'),
      }),
      cleanUp: () => ensureBankUnfrozen().then(() => {}),
    },
    {
      row: 'POST /v1/institutions/:id/unfreeze [BANKCN1]',
      prepare: () => ensureBankFrozen().then(() => {}),
      call: () => ({
        method: 'POST',
        path: '/v1/institutions/BANKCN1/unfreeze',
        body: UNFREEZE,
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.frozen, null),
      }),
      cleanUp: () => ensureBankUnfrozen().then(() => {}),
    },
    {
      row: 'POST /v1/wallets [a customer wallet of the caller]',
      call: (caller) => {
        const id = randomUUID();
        return {
          method: 'POST',
          path: '/v1/wallets',
          body: { kind: 'customer', id, tier: 4, holderReference: `matrix-${id.slice(0, 8)}` },
          headers: idem(),
          onSuccess: (response) => {
            assert.equal(response.body.id, id);
            assert.equal(response.body.bankId, caller);
          },
        };
      },
    },
    {
      row: 'POST /v1/wallets/transfers [from BANKCN1.CNY]',
      call: () => ({
        method: 'POST',
        path: '/v1/wallets/transfers',
        body: { from: 'BANKCN1.CNY', to: 'BANKCN2.CNY', amount: '1.00', reference: 'matrix' },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.from, 'BANKCN1.CNY'),
      }),
    },
    walletFreeze('POST /v1/wallets/:id/freeze [a customer wallet of BANKCN1]', () => customerWallet, true),
    walletFreeze('POST /v1/wallets/:id/unfreeze [a customer wallet of BANKCN1]', () => customerWallet, false),
    walletFreeze('POST /v1/wallets/:id/freeze [BANKCN1.HKD]', () => 'BANKCN1.HKD', true),
    walletFreeze('POST /v1/wallets/:id/unfreeze [BANKCN1.HKD]', () => 'BANKCN1.HKD', false),
    {
      row: 'PUT /v1/currencies/:code/wallet-tiers/:tier [CNY tier 3]',
      call: () => ({
        method: 'PUT',
        path: '/v1/currencies/CNY/wallet-tiers/3',
        body: {
          singlePayment: `${40000 + next()}.00`,
          daily: '100000.00',
          balance: '500000.00',
          annual: null,
        },
        onSuccess: (response) => assert.equal(response.body.currency, 'CNY'),
      }),
    },
    {
      row: 'POST /v1/issuance/reserve-credits [to BANKCN1]',
      call: () => ({
        method: 'POST',
        path: '/v1/issuance/reserve-credits',
        body: { bank: 'BANKCN1', amountMinor: '100' },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.bank, 'BANKCN1'),
      }),
    },
    {
      row: 'POST /v1/issuance/requests [CNY]',
      call: () => ({
        method: 'POST',
        path: '/v1/issuance/requests',
        body: { kind: 'issue', currency: 'CNY', amountMinor: '100', reference: 'matrix' },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.status, 'open'),
      }),
    },
    {
      row: 'POST /v1/issuance/requests/:id/approve [BANKCN1 asked PBOC]',
      prepare: async () => {
        openRequest = (
          await must('BANKCN1', 'POST', '/v1/issuance/requests', { kind: 'issue', amountMinor: '100' })
        ).body.id;
      },
      call: () => ({
        method: 'POST',
        path: `/v1/issuance/requests/${openRequest}/approve`,
        body: {},
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.status, 'executed'),
      }),
    },
    {
      row: 'POST /v1/issuance/requests/:id/decline [BANKCN1 asked PBOC]',
      prepare: async () => {
        openRequest = (
          await must('BANKCN1', 'POST', '/v1/issuance/requests', { kind: 'issue', amountMinor: '100' })
        ).body.id;
      },
      call: () => ({
        method: 'POST',
        path: `/v1/issuance/requests/${openRequest}/decline`,
        body: { reason: 'matrix: declined' },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.status, 'declined'),
      }),
    },
    {
      row: 'POST /v1/issuance [to BANKCN1]',
      call: () => ({
        method: 'POST',
        path: '/v1/issuance',
        body: { bank: 'BANKCN1', kind: 'issue', amountMinor: '100' },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.status, 'executed'),
      }),
    },
    {
      row: 'PUT /v1/currencies/:code/supply-cap [CNY]',
      call: () => ({
        method: 'PUT',
        path: '/v1/currencies/CNY/supply-cap',
        body: { cap: `${100_000_000 + next()}.00` },
        headers: idem(),
      }),
      cleanUp: () => must('PBOC', 'PUT', '/v1/currencies/CNY/supply-cap', { cap: null }).then(() => {}),
    },
    {
      row: 'PUT /v1/fx/rate-sheets/:from/:to [CNY/HKD]',
      call: (caller) => ({
        method: 'PUT',
        path: '/v1/fx/rate-sheets/CNY/HKD',
        body: SHEET,
        onSuccess: (response) => assert.equal(response.body.provider, caller),
      }),
    },
    {
      row: 'POST /v1/fx/quotes [into the other currency]',
      // A bank is never quoted by itself: BANKHK1 (the CNY→HKD provider) asks BANKCN1 for CNY.
      prepare: async (caller) => {
        if (caller === 'BANKHK1') await must('BANKCN1', 'PUT', '/v1/fx/rate-sheets/HKD/CNY', SHEET_HKD_CNY);
      },
      call: (caller) => ({
        method: 'POST',
        path: '/v1/fx/quotes',
        body:
          caller === 'BANKHK1'
            ? { from: 'HKD', to: 'CNY', amount: '100.00' }
            : { from: 'CNY', to: 'HKD', amount: '100.00' },
        headers: idem(),
      }),
    },
    {
      row: 'DELETE /v1/fx/rate-sheets/:from/:to [CNY/HKD]',
      // A liquidity provider withdraws a sheet it has just published.
      prepare: async (caller) => {
        if (caller === 'BANKCN1' || caller === 'BANKHK1') await publishSheet(caller);
      },
      call: () => ({
        method: 'DELETE',
        path: '/v1/fx/rate-sheets/CNY/HKD',
        onSuccess: (response) => assert.equal(response.body.withdrawn, true),
      }),
      cleanUp: () => publishSheet('BANKHK1').then(() => {}),
    },
    {
      row: 'PUT /v1/corridors/:id [CN-TH]',
      call: () => ({
        method: 'PUT',
        path: '/v1/corridors/CN-TH',
        body: { fees: { CN: { bps: next() % 100 } } },
        onSuccess: (response) => assert.equal(response.body.id, 'CN-TH'),
      }),
    },
    {
      row: 'PUT /v1/corridors/:id/sides/:jurisdiction [CN-TH, side CN]',
      call: () => ({
        method: 'PUT',
        path: '/v1/corridors/CN-TH/sides/CN',
        body: { hours: null, maxPayment: `${50000 + next()}.00`, dailyOutboundQuota: null },
      }),
    },
    {
      row: 'PUT /v1/corridors/:id/sides/:jurisdiction [CN-TH, side TH]',
      call: () => ({
        method: 'PUT',
        path: '/v1/corridors/CN-TH/sides/TH',
        body: { hours: null, maxPayment: `${50000 + next()}.00`, dailyOutboundQuota: null },
      }),
    },
    {
      row: 'POST /v1/corridors/:id/suspend [CN-TH]',
      prepare: () => ensureResumed('CN-TH', ['PBOC']),
      call: () => ({
        method: 'POST',
        path: '/v1/corridors/CN-TH/suspend',
        body: { reason: 'matrix: incident' },
      }),
      cleanUp: () => ensureResumed('CN-TH', ['PBOC']),
    },
    {
      row: 'POST /v1/corridors/:id/resume [CN-TH]',
      prepare: () =>
        must('PBOC', 'POST', '/v1/corridors/CN-TH/suspend', { reason: 'matrix: set-up' }).then(() => {}),
      call: () => ({
        method: 'POST',
        path: '/v1/corridors/CN-TH/resume',
        body: { reason: 'matrix: resolved' },
      }),
      cleanUp: () => ensureResumed('CN-TH', ['PBOC']),
    },
    {
      row: 'POST /v1/corridors/:id/suspend [CN-HK]',
      prepare: () => ensureResumed('CN-HK', ['PBOC', 'HKMA']),
      call: () => ({
        method: 'POST',
        path: '/v1/corridors/CN-HK/suspend',
        body: { reason: 'matrix: incident' },
      }),
      cleanUp: () => ensureResumed('CN-HK', ['PBOC', 'HKMA']),
    },
    {
      row: 'POST /v1/payments [from the caller’s bank wallet]',
      // To a bank of the other jurisdiction, named on the sanctions list: recorded as rejected
      // whatever the balances, so that nothing waits in the queue.
      call: (caller) => ({
        method: 'POST',
        path: '/v1/payments',
        body: {
          payee: { bank: caller === 'BANKHK1' ? 'BANKCN2' : 'BANKHK2', name: 'Ivan Sanctioned' },
          amount: '1.00',
          currency: caller === 'BANKHK1' ? 'HKD' : 'CNY',
          purpose: 'matrix',
        },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.reason.code, 'sanctions_hit'),
      }),
    },
    {
      row: 'POST /v1/payments/batch [from the caller’s bank wallet]',
      // As the single payment above: named on the sanctions list, recorded as rejected.
      call: (caller) => ({
        method: 'POST',
        path: '/v1/payments/batch',
        body: {
          payments: [
            {
              idempotencyKey: randomUUID(),
              payment: {
                payee: { bank: caller === 'BANKHK1' ? 'BANKCN2' : 'BANKHK2', name: 'Ivan Sanctioned' },
                amount: '1.00',
                currency: caller === 'BANKHK1' ? 'HKD' : 'CNY',
                purpose: 'matrix',
              },
            },
          ],
        },
        onSuccess: (response) => assert.equal(response.body.results[0].payment.reason.code, 'sanctions_hit'),
      }),
    },
    {
      row: 'POST /v1/payments [from a customer wallet of BANKCN1]',
      // Over the tier-4 single-payment limit (2,000.00 CNY): recorded as rejected, never queued.
      call: (caller) => ({
        method: 'POST',
        path: '/v1/payments',
        body: {
          payer: { wallet: customerWallet },
          payee: { bank: caller === 'BANKHK1' ? 'BANKCN2' : 'BANKHK2' },
          amount: '5000.00',
          currency: 'CNY',
          purpose: 'matrix',
        },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.reason.code, 'single_payment_limit_exceeded'),
      }),
    },
    {
      row: 'POST /v1/payments/:id/cancel [a queued payment of BANKCN1]',
      // From BANKCN1's customer wallet, which holds nothing: the payment waits for funds (the
      // settlement timer is off in this app). BANKHK1 is its provider, so sees it: refused by scope.
      prepare: () => queueAPaymentOfBankCn1(),
      call: () => ({
        method: 'POST',
        path: `/v1/payments/${queuedPayment}/cancel`,
        body: { reason: 'matrix: cancelled' },
        headers: idem(),
        onSuccess: (response) => assert.equal(response.body.status, 'cancelled'),
      }),
      // Nothing left queued for the other rows.
      cleanUp: async () => {
        for (const id of queuedPayments.splice(0))
          await must(
            'BANKCN1',
            'POST',
            `/v1/payments/${id}/cancel`,
            { reason: 'matrix: clean-up' },
            [200, 409],
          );
      },
    },
    {
      row: 'POST /v1/payments/settlement-cycles',
      call: () => ({
        method: 'POST',
        path: '/v1/payments/settlement-cycles',
        body: {},
        onSuccess: (response) => assert.equal(typeof response.body.queued, 'number'),
      }),
    },
    ...isoEndpoints(),
    {
      row: 'PUT /v1/webhooks [own webhook]',
      // Port 9 (discard) refuses at once: nothing leaves the machine if an event is ever delivered.
      call: (caller) => ({
        method: 'PUT',
        path: '/v1/webhooks',
        body: { url: `http://127.0.0.1:9/matrix/${caller}` },
        onSuccess: (response) => assert.equal(response.body.url, `http://127.0.0.1:9/matrix/${caller}`),
      }),
      cleanUp: () => removeWebhooks(),
    },
    {
      row: 'DELETE /v1/webhooks [own webhook]',
      prepare: async (caller) => {
        if (caller !== 'OPERATOR')
          await must(caller, 'PUT', '/v1/webhooks', { url: `http://127.0.0.1:9/matrix/${caller}` });
      },
      call: () => ({ method: 'DELETE', path: '/v1/webhooks' }),
    },
    {
      row: 'POST /v1/webhooks/deliveries/:position/retry [own failed delivery]',
      // A delivery of the event at position 1 to the caller's webhook, failed after every attempt
      // (written as the dispatcher would have left it).
      prepare: async (caller) => {
        if (caller === 'OPERATOR') return;
        const webhook = await must(caller, 'PUT', '/v1/webhooks', {
          url: `http://127.0.0.1:9/matrix/${caller}`,
        });
        await app.db.query(
          `insert into webhook_deliveries (webhook_id, position, institution_id, event_type, status, attempts,
                                           last_attempt_at, last_status, last_error, created_at)
           values ($1, 1, $2, 'PaymentSettled', 'failed', 8, now(), 503, 'HTTP 503', now())
           on conflict (webhook_id, position) do update set status = 'failed'`,
          [webhook.body.id, caller],
        );
      },
      call: () => ({
        method: 'POST',
        path: '/v1/webhooks/deliveries/1/retry',
        onSuccess: (response) =>
          assert.deepEqual([response.body.status, response.body.attempts], ['pending', 0]),
      }),
      cleanUp: () => removeWebhooks(),
    },
  ];

  /**
   * ISO 20022 rows. A pacs.008 to a sanctioned name is recorded as rejected (RR04), never queued;
   * a pacs.009 names no one, so it settles (or, once a row has withdrawn the rate sheet, is
   * rejected for want of a route): either way nothing waits in the queue.
   */
  function isoEndpoints(): Endpoint[] {
    const xml = { 'content-type': 'application/xml' };
    const rejectedRr04 = (response: TestResponse) => {
      const tx = readAnswer(response).message.TxInfAndSts;
      assert.equal(tx.TxSts, 'RJCT');
      assert.equal(tx.StsRsnInf[0].Rsn.Cd, 'RR04');
    };
    const sanctioned = (from: string, kind: 'pacs.008' | 'pacs.009'): Call => {
      const hk = from.startsWith('BANKHK');
      const fields = { from, to: hk ? 'BANKCN2' : 'BANKHK2', currency: hk ? 'HKD' : 'CNY', amount: '1.00' };
      if (kind === 'pacs.009') {
        const onSuccess = (response: TestResponse) =>
          assert.ok(['ACSC', 'RJCT'].includes(readAnswer(response).message.TxInfAndSts.TxSts), response.text);
        return {
          method: 'POST',
          path: '/v1/iso20022/pacs.009',
          body: pacs009(fields).xml,
          headers: xml,
          onSuccess,
        };
      }
      const message = pacs008({ ...fields, creditorName: 'Ivan Sanctioned' }).xml;
      return {
        method: 'POST',
        path: '/v1/iso20022/pacs.008',
        body: message,
        headers: xml,
        onSuccess: rejectedRr04,
      };
    };
    return [
      {
        row: 'POST /v1/iso20022/pacs.008 [the caller as debtor agent]',
        call: (caller) => sanctioned(caller, 'pacs.008'),
      },
      {
        row: 'POST /v1/iso20022/pacs.008 [BANKCN1 as debtor agent]',
        call: () => sanctioned('BANKCN1', 'pacs.008'),
      },
      {
        row: 'POST /v1/iso20022/pacs.009 [BANKCN1 as debtor]',
        call: () => sanctioned('BANKCN1', 'pacs.009'),
      },
      {
        row: 'POST /v1/iso20022/camt.056 [a queued payment of BANKCN1]',
        // As the JSON cancel row: a payment from BANKCN1's empty customer wallet waits for funds.
        prepare: () => queueAPaymentOfBankCn1(),
        // Each caller asks as itself (the assigner), for BANKCN1's payment.
        call: (caller) => ({
          method: 'POST',
          path: '/v1/iso20022/camt.056',
          body: camt056({ from: caller, uetr: queuedPayment }),
          headers: xml,
          onSuccess: (response) => assert.equal(readAnswer(response).message.Sts.Conf, 'CNCL'),
        }),
        cleanUp: async () => {
          for (const id of queuedPayments.splice(0))
            await must(
              'BANKCN1',
              'POST',
              `/v1/payments/${id}/cancel`,
              { reason: 'matrix: clean-up' },
              [200, 409],
            );
        },
      },
    ];
  }

  before(async () => {
    // The settlement timer off: a payment queued by a row must not be settled by a cycle mid-row.
    app = await startTestApp({ env: { YB_SETTLEMENT_INTERVAL_MS: '0' } });
    const net = await setUpNetwork(app);
    for (const id of ['OPERATOR', ...Object.keys(net.signers)]) signers.set(id, net.as(id));
    // A third jurisdiction, so that a corridor (CN-TH) has a central bank that is not a side of it.
    const bot = generateKeyPair();
    await must('OPERATOR', 'POST', '/v1/institutions', {
      id: 'BOT',
      kind: 'central_bank',
      name: 'Bank of Thailand (test)',
      jurisdiction: 'TH',
      establishes: { name: 'Thailand', currency: 'THB', timeZone: 'Asia/Bangkok' },
      keyId: 'BOT-key-1',
      publicKey: publicKeyToBase64url(bot.publicKey),
    });
    signers.set('BOT', { keyId: 'BOT-key-1', secretKey: bot.secretKey });
    // Money: reserves, then CBDC by direct issuance (BANKCN1 in CNY, BANKHK1 in HKD).
    await must('PBOC', 'POST', '/v1/issuance/reserve-credits', { bank: 'BANKCN1', amount: '10000000.00' });
    await must('PBOC', 'POST', '/v1/issuance', { bank: 'BANKCN1', kind: 'issue', amount: '1000000.00' });
    await must('HKMA', 'POST', '/v1/issuance/reserve-credits', { bank: 'BANKHK1', amount: '10000000.00' });
    await must('HKMA', 'POST', '/v1/issuance', { bank: 'BANKHK1', kind: 'issue', amount: '1000000.00' });
    // Wallets: foreign-currency bank wallets for FX, and a customer wallet of BANKCN1.
    await must('BANKCN1', 'POST', '/v1/wallets', { currency: 'HKD' });
    await must('BANKHK1', 'POST', '/v1/wallets', { currency: 'CNY' });
    customerWallet = randomUUID();
    await must('BANKCN1', 'POST', '/v1/wallets', {
      kind: 'customer',
      id: customerWallet,
      tier: 4,
      holderReference: 'matrix-customer',
    });
    // BANKHK1 sells HKD for CNY (so a CNY→HKD quote finds liquidity).
    await publishSheet('BANKHK1');
    // Corridors, and two raw ledger accounts for the operator's ledger API.
    await must('OPERATOR', 'PUT', '/v1/corridors/CN-TH', {});
    await must('OPERATOR', 'PUT', '/v1/corridors/CN-HK', {});
    rawDebit = randomUUID();
    rawCredit = randomUUID();
    await must('OPERATOR', 'POST', '/v1/ledger/accounts', {
      accounts: [
        { id: rawDebit, currency: 'CNY', code: 1 },
        { id: rawCredit, currency: 'CNY', code: 1 },
      ],
    });
  });

  after(async () => {
    await app?.close();
  });

  it('the matrix covers every write route the service serves, and nothing else', () => {
    const served = servedWriteRoutes(app);
    const covered = new Set(Object.keys(MATRIX).map(routeOf));
    assert.deepEqual(
      served.filter((r) => !covered.has(r)),
      [],
      'served write routes missing from MATRIX',
    );
    assert.deepEqual(
      [...covered].filter((r) => !served.includes(r)),
      [],
      'MATRIX rows for routes that are not served',
    );
    // One endpoint definition per row, and one expectation per caller.
    assert.deepEqual(ENDPOINTS.map((e) => e.row).sort(), Object.keys(MATRIX).sort());
    for (const row of Object.values(MATRIX)) assert.equal(row.length, CALLERS.length);
    const documented = openApiWriteRoutes();
    const undocumented = served.filter((r) => !documented.includes(r));
    console.log(
      `# served write routes: ${served.length}; not in openapi.yaml: ${undocumented.join(', ') || 'none'}`,
    );
    const gone = documented.filter((r) => !served.includes(r));
    assert.deepEqual(gone, [], 'openapi.yaml documents write routes that are not served');
  });

  it('each write endpoint: unsigned → 401, each caller → allowed (2xx) or 403 with nothing written', async () => {
    const mismatches: string[] = [];
    let allowed = 0;
    let refused = 0;
    const lines: string[] = [];
    for (const endpoint of ENDPOINTS) {
      const expected = MATRIX[endpoint.row]!;
      // Unsigned: 401 signature_missing, nothing written.
      {
        const c = endpoint.call('OPERATOR');
        const before = await events();
        const response = await send(null, c.method, c.path, c.body, c.headers);
        if (response.status !== 401 || response.body?.code !== 'signature_missing')
          mismatches.push(
            `${endpoint.row} unsigned: expected 401 signature_missing, got ${response.status} ${response.text}`,
          );
        if ((await events()) !== before) mismatches.push(`${endpoint.row} unsigned: events were written`);
      }
      const cells: string[] = [];
      for (const [i, caller] of CALLERS.entries()) {
        const want = expected[i]!;
        await endpoint.prepare?.(caller);
        const c = endpoint.call(caller);
        const eventsBefore = await events();
        const keysBefore = await keys();
        const response = await send(caller, c.method, c.path, c.body, c.headers);
        const where = `${endpoint.row} as ${caller}`;
        const got =
          response.status === 403
            ? String(response.body?.code)
            : response.status < 300
              ? 'allow'
              : `${response.status}`;
        cells.push(
          got === want ? (want === 'allow' ? 'A' : want === 'forbidden_role' ? 'R' : 'S') : `!${got}`,
        );
        if (want === 'allow') {
          if (response.status < 200 || response.status >= 300) {
            mismatches.push(`${where}: expected allowed (2xx), got ${response.status} ${response.text}`);
            continue;
          }
          allowed++;
          try {
            c.onSuccess?.(response);
          } catch (error) {
            mismatches.push(`${where}: allowed, but the reply is wrong: ${(error as Error).message}`);
          }
        } else {
          try {
            assertProblem(response, 403, want);
            refused++;
          } catch {
            mismatches.push(`${where}: expected 403 ${want}, got ${response.status} ${response.text}`);
            // An unexpectedly allowed call may have changed what later calls rely on (a key).
            if (response.status < 300) {
              try {
                c.onSuccess?.(response);
              } catch {
                // reported above
              }
            }
          }
          if ((await events()) !== eventsBefore)
            mismatches.push(`${where}: refused, but events were written`);
          if ((await keys()) !== keysBefore)
            mismatches.push(`${where}: refused, but an idempotency key was stored`);
        }
      }
      await endpoint.cleanUp?.();
      lines.push(`#   ${cells.join(' ')}  ${endpoint.row}`);
    }
    console.log(`# columns: ${CALLERS.map((c) => `${c} (${CALLER_ROLES[c]})`).join('; ')}`);
    console.log(`#   A = allowed, R = 403 forbidden_role, S = 403 forbidden_scope, !x = unexpected x`);
    console.log(`#   ${CALLERS.map((c) => c.slice(0, 1)).join(' ')}`);
    for (const line of lines) console.log(line);
    console.log(
      `# authorization matrix: ${ENDPOINTS.length} endpoints × ${CALLERS.length} callers, ` +
        `${allowed} allowed, ${refused} refused, ${ENDPOINTS.length} unsigned refused (401)` +
        (mismatches.length > 0 ? `, ${mismatches.length} mismatches` : ''),
    );
    assert.deepEqual(mismatches, [], mismatches.join('\n'));
  });

  it('a central bank resuming a corridor lifts its own side only, never the other side’s suspension', async () => {
    await ensureResumed('CN-HK', ['PBOC', 'HKMA']);
    await must('PBOC', 'POST', '/v1/corridors/CN-HK/suspend', { reason: 'matrix: PBOC incident' });
    const before = await events();
    // HKMA may call resume (it governs the HK side, which is not suspended): nothing changes.
    await must('HKMA', 'POST', '/v1/corridors/CN-HK/resume', { reason: 'matrix: HKMA tries' });
    assert.equal(await events(), before, 'HKMA resuming its own (running) side records nothing');
    const corridor = await must('BANKCN1', 'GET', '/v1/corridors/CN-HK');
    const sides = corridor.body.sides as Array<{ jurisdiction: string; suspension: { by: string } | null }>;
    assert.equal(
      sides.find((s) => s.jurisdiction === 'CN')!.suspension?.by,
      'PBOC',
      'CN side still suspended',
    );
    await ensureResumed('CN-HK', ['PBOC']);
  });

  it('reads: a caller from another institution or jurisdiction is refused, never shown the data', async () => {
    const requestId = (
      await must('BANKCN1', 'POST', '/v1/issuance/requests', {
        kind: 'issue',
        amountMinor: '100',
        reference: 'read',
      })
    ).body.id as string;
    await publishSheet('BANKHK1');
    const quote = (
      await must('BANKCN1', 'POST', '/v1/fx/quotes', { from: 'CNY', to: 'HKD', amount: '10.00' })
    ).body.id as string;
    const paths: Record<string, string> = {
      'GET /v1/wallets/:id [BANKCN1.CNY]': '/v1/wallets/BANKCN1.CNY',
      'GET /v1/wallets/:id [a customer wallet of BANKCN1]': `/v1/wallets/${customerWallet}`,
      'GET /v1/wallets/:id [BANKCN1.HKD]': '/v1/wallets/BANKCN1.HKD',
      'GET /v1/wallets/:id/history [BANKCN1.CNY]': '/v1/wallets/BANKCN1.CNY/history',
      'GET /v1/wallets?bank=BANKCN1': '/v1/wallets?bank=BANKCN1',
      'GET /v1/issuance/requests/:id [BANKCN1 asked PBOC]': `/v1/issuance/requests/${requestId}`,
      'GET /v1/currencies/:code/supply [CNY]': '/v1/currencies/CNY/supply',
      'GET /v1/fx/quotes/:id [asked by BANKCN1]': `/v1/fx/quotes/${quote}`,
      'GET /v1/ledger/accounts/:id [BANKCN1.CNY]': `/v1/ledger/accounts/${bankWalletAccountId('BANKCN1', 'CNY')}`,
    };
    const mismatches: string[] = [];
    let shown = 0;
    let hidden = 0;
    for (const [row, expected] of Object.entries(READ_MATRIX)) {
      for (const [i, caller] of CALLERS.entries()) {
        const want = expected[i]!;
        const response = await send(caller, 'GET', paths[row]!);
        const where = `${row} as ${caller}`;
        if (want === 'ok') {
          if (response.status !== 200)
            mismatches.push(`${where}: expected 200, got ${response.status} ${response.text}`);
          else shown++;
          continue;
        }
        const status = want === 'quote_unknown' ? 404 : 403;
        try {
          assertProblem(response, status, want);
          hidden++;
        } catch {
          mismatches.push(`${where}: expected ${status} ${want}, got ${response.status} ${response.text}`);
        }
      }
    }

    // Probing: another bank cannot tell a wallet that exists from one that does not.
    const missing = randomUUID();
    for (const caller of ['BANKCN2', 'BANKHK1', 'HKMA', 'REG-HK'] as const) {
      const real = await send(caller, 'GET', `/v1/wallets/${customerWallet}`);
      const none = await send(caller, 'GET', `/v1/wallets/${missing}`);
      const realProblem = assertProblem(real, 403, 'forbidden_scope');
      const noneProblem = assertProblem(none, 403, 'forbidden_scope');
      assert.equal(realProblem.title, noneProblem.title);
      assert.equal(
        realProblem.detail.replace(customerWallet, '<id>'),
        noneProblem.detail.replace(missing, '<id>'),
        `${caller}: the same words whether or not the wallet exists`,
      );
      const history = await send(caller, 'GET', `/v1/wallets/${missing}/history`);
      assertProblem(history, 403, 'forbidden_scope');
    }
    assertProblem(await send('OPERATOR', 'GET', `/v1/wallets/${missing}`), 404, 'wallet_not_found');

    // Lists are filtered: nobody outside sees BANKCN1's requests, even when naming the bank.
    for (const caller of ['HKMA', 'BANKCN2', 'BANKHK1', 'REG-HK'] as const) {
      for (const query of ['', '?bank=BANKCN1', '?currency=CNY']) {
        const list = await send(caller, 'GET', `/v1/issuance/requests${query}`);
        if (list.status === 403) continue; // refusing outright is as good as filtering
        assert.equal(list.status, 200, list.text);
        const leaked = (
          list.body.requests as Array<{ id: string; bankId: string; jurisdiction?: string }>
        ).filter((r) => r.bankId === 'BANKCN1' || r.id === requestId);
        if (leaked.length > 0)
          mismatches.push(
            `GET /v1/issuance/requests${query} as ${caller}: shows ${leaked.length} of BANKCN1's requests`,
          );
      }
    }
    for (const caller of ['OPERATOR', 'PBOC', 'BANKCN1', 'REG-CN'] as const) {
      const list = await send(caller, 'GET', '/v1/issuance/requests?bank=BANKCN1');
      assert.equal(list.status, 200, list.text);
      assert.ok(
        (list.body.requests as Array<{ id: string }>).some((r) => r.id === requestId),
        `${caller} sees BANKCN1's request`,
      );
    }
    const rows = Object.keys(READ_MATRIX).length;
    console.log(
      `# read matrix: ${rows} reads × ${CALLERS.length} callers, ${shown} shown, ${hidden} refused` +
        (mismatches.length > 0 ? `, ${mismatches.length} mismatches` : ''),
    );
    assert.deepEqual(mismatches, [], mismatches.join('\n'));
  });
});

/** `METHOD /path/:param` of every POST, PUT, PATCH and DELETE route the running Express app serves. */
function servedWriteRoutes(app: TestApp): string[] {
  const express = app.app.app.getHttpAdapter().getInstance() as {
    router?: { stack: Layer[] };
    _router?: { stack: Layer[] };
  };
  type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const routes = new Set<string>();
  for (const layer of stack) {
    if (layer.route === undefined) continue;
    for (const path of ([] as string[]).concat(layer.route.path)) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && ['post', 'put', 'patch', 'delete'].includes(method))
          routes.add(`${method.toUpperCase()} ${path.replace(/\/$/, '') || '/'}`);
      }
    }
  }
  assert.ok(routes.size > 0, 'no routes found on the Express app');
  return [...routes].sort();
}

/** Write operations documented in openapi.yaml, as `METHOD /path/:param`. */
function openApiWriteRoutes(): string[] {
  const routes: string[] = [];
  let path: string | null = null;
  for (const line of fs.readFileSync(OPENAPI_PATH, 'utf8').split('\n')) {
    const p = /^ {2}(\/\S*):\s*$/.exec(line);
    if (p) path = p[1]!.replace(/\{([^}]+)\}/g, ':$1');
    const m = /^ {4}(post|put|patch|delete):\s*$/.exec(line);
    if (m && path !== null) routes.push(`${m[1]!.toUpperCase()} ${path}`);
  }
  return routes.sort();
}
