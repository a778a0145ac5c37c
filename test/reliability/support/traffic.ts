import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { bankWalletAccountId } from '../../../src/institutions/domain/chart-of-accounts.js';
import { assertSupplyMatchesLedger, fundBankWallet } from '../../support/issuance-api.js';
import { setUpNetwork, type TestNetwork } from '../../support/network.js';
import type { Prng } from '../../support/prng.js';
import type { Json, TestApp, TestResponse } from '../../support/test-app.js';

/**
 * Signed money-moving traffic against a service that may die at any moment, and the ledger of
 * intent the checks compare the database with. Every operation carries an Idempotency-Key; one
 * whose answer was lost (connection reset, 503) is `unknown` until it is retried with the same key
 * and body. Only acknowledged (2xx) effects are counted in the expected balances.
 *
 * Operations, on the network of test/support/network.ts with corridor CN-HK open (no fee rules):
 * - payment BANKCN2 → BANKHK2, 1.00–50.00 CNY, settled PvP through BANKHK1;
 * - wallet transfer BANKCN2.CNY → BANKCN1.CNY;
 * - PBOC issues to BANKCN2 (reserves credited up front) or redeems from BANKCN1 (may be refused:
 *   BANKCN1 lacks the CBDC — a definitive answer with no effect).
 */

/** What the service is given to hold before the traffic starts. */
export const FUNDING = { cn2Cny: 5_000_000_00n, hk1Hkd: 50_000_000_00n, cn2Reserves: 1_000_000_000_00n };

export type OpKind = 'payment' | 'transfer' | 'issue' | 'redeem';

export interface Op {
  readonly kind: OpKind;
  readonly key: string;
  readonly as: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  state: 'unknown' | 'acknowledged' | 'refused';
  /** The first 2xx body. */
  reply: Json;
  /** Times it was sent. */
  attempts: number;
  /** A retry was answered with Idempotent-Replayed: the lost answer's request had committed. */
  replayedOnRetry: boolean;
}

export interface Counters {
  sent: number;
  acknowledged: number;
  unknownAfterCrash: number;
  retried: number;
  replayedOnRetry: number;
  refused: number;
  replaysChecked: number;
}

export type Target = Pick<TestApp, 'request' | 'operator' | 'db'>;

export class Traffic {
  readonly ops: Op[] = [];
  readonly counters: Counters = {
    sent: 0,
    acknowledged: 0,
    unknownAfterCrash: 0,
    retried: 0,
    replayedOnRetry: 0,
    refused: 0,
    replaysChecked: 0,
  };

  constructor(
    readonly net: TestNetwork,
    private readonly random: Prng,
  ) {}

  /** The network, the corridor, the rate sheet and the funding, before any fault. */
  static async prepare(app: Target, random: Prng): Promise<Traffic> {
    const net = await setUpNetwork(app as TestApp);
    const ok = (r: TestResponse, status: number) => assert.equal(r.status, status, r.text);
    ok(await app.request('PUT', '/v1/corridors/CN-HK', {}), 200);
    ok(
      await app.request(
        'POST',
        '/v1/wallets',
        { currency: 'CNY' },
        { 'idempotency-key': randomUUID() },
        { as: net.as('BANKHK1') },
      ),
      201,
    );
    await fundBankWallet(app as TestApp, net.as('HKMA'), 'BANKHK1', FUNDING.hk1Hkd);
    await fundBankWallet(app as TestApp, net.as('PBOC'), 'BANKCN2', FUNDING.cn2Cny);
    ok(
      await app.request(
        'POST',
        '/v1/issuance/reserve-credits',
        { bank: 'BANKCN2', amountMinor: FUNDING.cn2Reserves.toString() },
        { 'idempotency-key': randomUUID() },
        { as: net.as('PBOC') },
      ),
      201,
    );
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
    return new Traffic(net, random);
  }

  /** A new operation (not sent yet). */
  next(): Op {
    const r = this.random;
    const minor = BigInt(r.int(100, 5_000));
    const roll = r.next();
    const op: Op =
      roll < 0.55
        ? this.op('payment', 'BANKCN2', '/v1/payments', {
            payee: { bank: 'BANKHK2' },
            amountMinor: minor.toString(),
            currency: 'CNY',
            purpose: 'chaos',
          })
        : roll < 0.8
          ? this.op('transfer', 'BANKCN2', '/v1/wallets/transfers', {
              from: 'BANKCN2.CNY',
              to: 'BANKCN1.CNY',
              amountMinor: minor.toString(),
            })
          : roll < 0.9
            ? this.op('issue', 'PBOC', '/v1/issuance', {
                bank: 'BANKCN2',
                kind: 'issue',
                amountMinor: minor.toString(),
              })
            : this.op('redeem', 'PBOC', '/v1/issuance', {
                bank: 'BANKCN1',
                kind: 'redeem',
                amountMinor: minor.toString(),
              });
    this.ops.push(op);
    return op;
  }

  private op(kind: OpKind, as: string, path: string, body: Record<string, unknown>): Op {
    return {
      kind,
      key: this.random.uuid(),
      as,
      path,
      body,
      state: 'unknown',
      reply: null,
      attempts: 0,
      replayedOnRetry: false,
    };
  }

  /**
   * Sends `op` once. Returns false when the answer was lost (network error or 503): the op stays
   * unknown. A 4xx other than a redemption refused for want of CBDC fails the test.
   */
  async send(app: Target, op: Op): Promise<boolean> {
    op.attempts += 1;
    if (op.attempts === 1) this.counters.sent += 1;
    else this.counters.retried += 1;
    let response: TestResponse;
    try {
      response = await app.request(
        'POST',
        op.path,
        op.body,
        { 'idempotency-key': op.key },
        { as: this.net.as(op.as) },
      );
    } catch {
      return false;
    }
    if (response.status === 503) {
      assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      assert.ok(response.headers.get('retry-after'), `503 without Retry-After: ${response.text}`);
      return false;
    }
    if (response.status === 200 || response.status === 201) {
      if (op.state === 'acknowledged') {
        // A replay of an acknowledged op: the same answer, marked as a replay.
        assert.equal(response.headers.get('idempotent-replayed'), 'true', `${op.kind} ${op.key}`);
        assert.deepEqual(response.body, op.reply, `${op.kind} ${op.key}: a replay answers the same`);
        this.counters.replaysChecked += 1;
        return true;
      }
      if (op.attempts > 1 && response.headers.get('idempotent-replayed') === 'true') {
        op.replayedOnRetry = true;
        this.counters.replayedOnRetry += 1;
      }
      op.state = 'acknowledged';
      op.reply = response.body;
      this.counters.acknowledged += 1;
      if (op.kind === 'payment') {
        assert.equal(response.body.status, 'settled', `payment ${op.key}: ${response.text}`);
      }
      return true;
    }
    if (op.kind === 'redeem' && response.status === 422 && response.body?.code === 'insufficient_cbdc') {
      if (op.state !== 'refused') this.counters.refused += 1;
      op.state = 'refused';
      return true;
    }
    const log = (app as { stderr?: string }).stderr?.slice(-3000) ?? '';
    assert.fail(`${op.kind} ${op.key}: unexpected ${response.status} ${response.text}\n${log}`);
  }

  /** Sends new operations from `workers` clients until `stop()` says so or an answer is lost. */
  async drive(app: Target, workers: number, stop: () => boolean): Promise<void> {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (!stop()) {
          const op = this.next();
          if (!(await this.send(app, op))) return;
        }
      }),
    );
  }

  /** Retries every unknown op (same key, same body) until each has a definitive answer. */
  async settleUnknown(app: Target): Promise<void> {
    const unknown = this.ops.filter((op) => op.state === 'unknown');
    this.counters.unknownAfterCrash += unknown.length;
    for (const op of unknown) {
      for (let attempt = 0; op.state === 'unknown'; attempt++) {
        assert.ok(attempt < 50, `${op.kind} ${op.key} has no answer after 50 retries`);
        if (!(await this.send(app, op))) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Replays up to `count` acknowledged ops: each must answer as the first time, and do nothing. */
  async replaySome(app: Target, count: number): Promise<void> {
    const acknowledged = this.ops.filter((op) => op.state === 'acknowledged');
    for (let i = 0; i < count && acknowledged.length > 0; i++) {
      const op = this.random.pick(acknowledged);
      assert.ok(await this.send(app, op), `replay of ${op.kind} ${op.key} lost`);
    }
  }
}

export interface CheckFigures {
  readonly payments: number;
  readonly transfers: number;
  readonly issuance: number;
}

/**
 * Every invariant against the database and the API, after all unknown ops were settled:
 * - each acknowledged payment is in `payments` once, settled, with its legs on the ledger (every
 *   leg's transfer carries the payment id); no payment has legs without being settled, and no
 *   payment exists that was not asked for (exactly once);
 * - each acknowledged wallet transfer and issuance is in the database once;
 * - the banks' balances equal the funding plus the acknowledged effects, exactly;
 * - per currency, holdings = issued − redeemed and debits = credits (assertSupplyMatchesLedger);
 * - GET /v1/audit/verify is ok.
 */
export async function checkInvariants(app: Target, traffic: Traffic): Promise<CheckFigures> {
  const unknown = traffic.ops.filter((op) => op.state === 'unknown');
  assert.equal(unknown.length, 0, 'every op has a definitive answer before the checks');
  const acked = (kind: OpKind) => traffic.ops.filter((op) => op.state === 'acknowledged' && op.kind === kind);

  // Payments: exactly the acknowledged ones, each settled with all its legs.
  const payments = acked('payment');
  const rows = await app.db.query<{ id: string; status: string; legs: string; currencies: string[] }>(
    `select p.id::text as id, p.status, count(t.id)::text as legs,
            coalesce(array_agg(distinct t.currency) filter (where t.id is not null), '{}') as currencies
       from payments p left join ledger_transfers t on t.user_data_128 = p.id
      group by p.id, p.status`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  assert.equal(
    rows.length,
    payments.length,
    'payments in the database = payments acknowledged (exactly once)',
  );
  for (const op of payments) {
    const row = byId.get(op.reply.id as string);
    assert.ok(row, `acknowledged payment ${op.reply.id} is in the database`);
    assert.equal(row.status, 'settled', `payment ${row.id}`);
    // payer → provider (CNY) and provider → payee (HKD): both legs or none.
    assert.ok(Number(row.legs) >= 2, `payment ${row.id} has ${row.legs} legs`);
    assert.deepEqual([...row.currencies].sort(), ['CNY', 'HKD'], `payment ${row.id} legs`);
  }
  for (const row of rows) {
    if (row.status !== 'settled')
      assert.equal(row.legs, '0', `unsettled payment ${row.id} has legs on the ledger`);
  }

  // Wallet transfers: one ledger transfer each (userData128 = the transfer id), none unasked for.
  const transfers = acked('transfer');
  const walletTransfers = await app.db.scalar(`select count(*) from ledger_transfers where code = 200`);
  assert.equal(walletTransfers, BigInt(transfers.length), 'wallet transfers on the ledger = acknowledged');
  const ledgerIds = new Set(
    (
      await app.db.query<{ id: string }>(
        'select user_data_128::text as id from ledger_transfers where code = 200',
      )
    ).map((r) => r.id),
  );
  for (const op of transfers)
    assert.ok(ledgerIds.has(op.reply.id as string), `wallet transfer ${op.reply.id}`);

  // Issuance: the acknowledged ones exist, executed; nothing else was executed by PBOC directly.
  const issuance = [...acked('issue'), ...acked('redeem')];
  const executed = await app.db.query<{ id: string }>(
    `select id::text as id from issuance_requests where status = 'executed'`,
  );
  const executedIds = new Set(executed.map((r) => r.id));
  for (const op of issuance) assert.ok(executedIds.has(op.reply.id as string), `issuance ${op.reply.id}`);
  // Two fundings (HKMA → BANKHK1, PBOC → BANKCN2) were executed before the traffic.
  assert.equal(executed.length, issuance.length + 2, 'executed issuance = acknowledged + the two fundings');

  // Balances: funding + acknowledged effects, to the minor unit.
  const minor = (op: Op) => BigInt(op.body.amountMinor as string);
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  const sold = sum(
    payments.map((op) => BigInt(op.reply.sell.amountMinor) + BigInt(op.reply.fee?.amountMinor ?? 0)),
  );
  const bought = sum(payments.map((op) => BigInt(op.reply.buy.amountMinor)));
  const moved = sum(transfers.map(minor));
  const issued = sum(acked('issue').map(minor));
  const redeemed = sum(acked('redeem').map(minor));
  const balance = async (bank: string, currency: string) => {
    const [row] = await app.db.query<{ b: string }>(
      'select (credits_posted - debits_posted)::text as b from ledger_accounts where id = $1',
      [bankWalletAccountId(bank, currency)],
    );
    return BigInt(row?.b ?? '0');
  };
  assert.equal(await balance('BANKCN2', 'CNY'), FUNDING.cn2Cny + issued - sold - moved, 'BANKCN2 CNY');
  assert.equal(await balance('BANKCN1', 'CNY'), moved - redeemed, 'BANKCN1 CNY');
  assert.equal(await balance('BANKHK2', 'HKD'), bought, 'BANKHK2 HKD');
  assert.equal(await balance('BANKHK1', 'HKD'), FUNDING.hk1Hkd - bought, 'BANKHK1 HKD');

  await assertSupplyMatchesLedger(app as TestApp, 'CNY', traffic.net.as('PBOC'));
  await assertSupplyMatchesLedger(app as TestApp, 'HKD', traffic.net.as('HKMA'));

  const verify = await app.request('GET', '/v1/audit/verify');
  assert.equal(verify.status, 200, verify.text);
  assert.equal(verify.body.ok, true, `audit chain: ${verify.text}`);
  return { payments: payments.length, transfers: transfers.length, issuance: issuance.length };
}
