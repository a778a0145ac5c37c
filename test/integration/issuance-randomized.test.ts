import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Prng, seedFromEnv } from '../support/prng.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, type TestApp, type TestResponse } from '../support/test-app.js';
import { assertSupplyMatchesLedger, ledgerSums, post } from '../support/issuance-api.js';

/**
 * A seeded random run of reserve credits, issuance and redemption requests (approved, declined or
 * refused), direct issuance, cap changes and, where the wallets module offers them, customer
 * wallets and transfers between wallets. After every step that may have moved CBDC, and at the
 * end, per currency: Σ holdings = issued − redeemed = outstanding, debits = credits, no holder
 * negative; and issued/redeemed equal what an independent tally of the accepted replies says.
 * Replay a failure with YB_SEED=<seed>.
 */
const SEED = seedFromEnv(20_261_123);
const STEPS = 160;

const BANKS: Record<string, { cb: string; currency: string; banks: string[] }> = {
  CN: { cb: 'PBOC', currency: 'CNY', banks: ['BANKCN1', 'BANKCN2'] },
  HK: { cb: 'HKMA', currency: 'HKD', banks: ['BANKHK1', 'BANKHK2'] },
};

/** Refusals a random workload may meet; anything else (a 500, a 400) is a failure. */
const EXPECTED_REFUSALS = new Set([
  'insufficient_reserves',
  'insufficient_cbdc',
  'supply_cap_exceeded',
  'issuance_request_not_open',
  // wallets: limits, freezes and balances are the wallets module's business
  'exceeds_credits',
  'insufficient_funds',
  'insufficient_balance',
]);

describe(`issuance, randomized (YB_SEED=${SEED})`, () => {
  let app: TestApp;
  let net: TestNetwork;
  const rng = new Prng(SEED);
  const tally: Record<string, { issued: bigint; redeemed: bigint }> = {
    CNY: { issued: 0n, redeemed: 0n },
    HKD: { issued: 0n, redeemed: 0n },
  };
  const open: Array<{ id: string; jurisdiction: string; kind: 'issue' | 'redeem'; amount: bigint }> = [];
  const customerWallets: Record<string, string[]> = {};
  let walletsAvailable = true;
  const walletMoves = { opened: 0, transferred: 0, refused: 0 };
  const refusals: Record<string, number> = {};
  let step = 0;

  before(async () => {
    app = await startTestApp();
    net = await setUpNetwork(app);
  });

  after(async () => {
    await app?.close();
  });

  const say = (what: string) => `seed ${SEED}, step ${step}: ${what} (replay with YB_SEED=${SEED})`;

  function accepted(response: TestResponse, what: string): boolean {
    if (response.status >= 200 && response.status < 300) return true;
    refusals[`${what}:${response.body?.code}`] = (refusals[`${what}:${response.body?.code}`] ?? 0) + 1;
    assert.ok(
      response.status === 409 || response.status === 422 || response.status === 403,
      say(`${what}: unexpected ${response.status} ${response.text}`),
    );
    assert.ok(
      EXPECTED_REFUSALS.has(response.body?.code),
      say(`${what}: unexpected refusal ${response.text}`),
    );
    return false;
  }

  function record(view: { kind: string; status: string; currency: string; amountMinor: string }) {
    if (view.status !== 'executed') return;
    const t = tally[view.currency]!;
    if (view.kind === 'issue') t.issued += BigInt(view.amountMinor);
    else t.redeemed += BigInt(view.amountMinor);
  }

  async function check(): Promise<void> {
    for (const currency of Object.keys(tally)) {
      try {
        const supply = await assertSupplyMatchesLedger(app, currency, net.operator);
        assert.equal(BigInt(supply.issued.amountMinor), tally[currency]!.issued, 'issued = tally');
        assert.equal(BigInt(supply.redeemed.amountMinor), tally[currency]!.redeemed, 'redeemed = tally');
      } catch (error) {
        throw new Error(say(`invariants of ${currency}: ${(error as Error).message}`), { cause: error });
      }
    }
  }

  /** Amounts of one to a few thousand major units, in minor units, sometimes a single unit. */
  const amount = () => (rng.chance(0.1) ? 1n : BigInt(rng.int(1, 500_000)) * BigInt(rng.int(1, 20)));

  it('keeps supply equal to the sum of holdings after every step', async (t) => {
    const started = Date.now();
    for (step = 0; step < STEPS; step++) {
      const j = rng.pick(Object.keys(BANKS));
      const { cb, currency, banks } = BANKS[j]!;
      const bank = rng.pick(banks);
      const roll = rng.next();
      if (roll < 0.18) {
        const response = await post(app, net.as(cb), '/v1/issuance/reserve-credits', {
          bank,
          amountMinor: (amount() * 4n).toString(),
        });
        assert.equal(response.status, 201, say(response.text));
      } else if (roll < 0.45) {
        const kind = rng.chance(0.6) ? 'issue' : 'redeem';
        // Redemptions smaller than issuances, so that both happen often.
        const a = kind === 'issue' ? amount() : await redemptionAmount(bank, currency);
        const response = await post(app, net.as(bank), '/v1/issuance/requests', {
          kind,
          amountMinor: a.toString(),
        });
        if (accepted(response, 'request'))
          open.push({ id: response.body.id, jurisdiction: j, kind, amount: a });
      } else if (roll < 0.7 && open.length > 0) {
        const index = rng.int(0, open.length - 1);
        const request = open[index]!;
        const centralBank = net.as(BANKS[request.jurisdiction]!.cb);
        if (rng.chance(0.15)) {
          const response = await post(app, centralBank, `/v1/issuance/requests/${request.id}/decline`, {
            reason: 'randomized decline',
          });
          if (accepted(response, 'decline')) open.splice(index, 1);
        } else {
          const response = await post(app, centralBank, `/v1/issuance/requests/${request.id}/approve`, {});
          if (accepted(response, 'approve')) {
            record(response.body);
            open.splice(index, 1);
          }
        }
      } else if (roll < 0.82) {
        const kind = rng.chance(0.55) ? 'issue' : 'redeem';
        const a = kind === 'issue' ? amount() : await redemptionAmount(bank, currency);
        const response = await post(app, net.as(cb), '/v1/issuance', {
          bank,
          kind,
          amountMinor: a.toString(),
        });
        if (accepted(response, 'direct')) record(response.body);
      } else if (roll < 0.87) {
        const supply = await app.request(
          'GET',
          `/v1/currencies/${currency}/supply`,
          undefined,
          {},
          { as: net.as(cb) },
        );
        const outstanding = BigInt(supply.body.outstanding.amountMinor);
        const cap = rng.chance(0.4) ? null : (outstanding + amount() * 20n).toString();
        const response = await app.request(
          'PUT',
          `/v1/currencies/${currency}/supply-cap`,
          cap === null ? { cap: null } : { capMinor: cap },
          {},
          { as: net.as(cb) },
        );
        assert.equal(response.status, 200, say(response.text));
      } else if (walletsAvailable) {
        await walletStep(bank, banks);
      }
      await check();
    }
    // The workload must have exercised what it checks.
    for (const [currency, t] of Object.entries(tally)) {
      assert.ok(
        t.issued > 0n && t.redeemed > 0n,
        say(
          `${currency}: issued and redeemed something: ${t.issued} ${t.redeemed} ${JSON.stringify(refusals)} ${JSON.stringify(walletMoves)}`,
        ),
      );
    }
    assert.ok((await ledgerSums(app, 'CNY')).holdings > 0n);
    t.diagnostic(
      `wallets: ${walletsAvailable ? JSON.stringify(walletMoves) : 'not available'}; refusals: ${JSON.stringify(refusals)}`,
    );
    assert.ok(Date.now() - started < 20_000, say(`took ${Date.now() - started} ms`));
  });

  /** Mostly a part of what the bank's wallet holds (so redemptions happen), sometimes more than all of it. */
  async function redemptionAmount(bank: string, currency: string): Promise<bigint> {
    const supply = await app.request(
      'GET',
      `/v1/currencies/${currency}/supply`,
      undefined,
      {},
      { as: net.operator },
    );
    const holding = supply.body.holdings.byInstitution.find(
      (h: { institution: string }) => h.institution === bank,
    );
    const held = BigInt(holding?.bankWallets.amountMinor ?? '0');
    if (held === 0n || rng.chance(0.2)) return held + BigInt(rng.int(1, 1000));
    return (held * BigInt(rng.int(1, 100))) / 100n || 1n;
  }

  /** Opens a customer wallet, or moves CBDC from a bank wallet (or a customer wallet) to another. */
  async function walletStep(bank: string, banks: readonly string[]): Promise<void> {
    const own = (customerWallets[bank] ??= []);
    if (own.length === 0 || rng.chance(0.25)) {
      const id = randomUUID();
      const response = await post(app, net.as(bank), '/v1/wallets', {
        kind: 'customer',
        id,
        tier: 1,
        holderReference: `holder-${id.slice(0, 8)}`,
      });
      if (response.status === 404 || response.status === 400) {
        walletsAvailable = false; // the wallets module does not offer customer wallets (yet)
        return;
      }
      if (accepted(response, 'open wallet')) {
        own.push(id);
        walletMoves.opened++;
      }
      return;
    }
    const currency = Object.values(BANKS).find((b) => b.banks.includes(bank))!.currency;
    const from = rng.chance(0.5) ? `${bank}.${currency}` : rng.pick(own);
    const peer = rng.pick(banks);
    const to =
      rng.chance(0.5) || (customerWallets[peer]?.length ?? 0) === 0
        ? `${peer}.${currency}`
        : rng.pick(customerWallets[peer]!);
    if (from === to) return;
    const response = await post(app, net.as(bank), '/v1/wallets/transfers', {
      from,
      to,
      amountMinor: (amount() / 20n + 1n).toString(),
    });
    if (response.status === 404 || response.status === 400) {
      walletsAvailable = false;
      return;
    }
    if (response.status < 300) walletMoves.transferred++;
    else {
      walletMoves.refused++;
      refusals[`transfer:${response.body?.code}`] = (refusals[`transfer:${response.body?.code}`] ?? 0) + 1;
    }
    if (response.status >= 400 && !EXPECTED_REFUSALS.has(response.body?.code)) {
      // The wallets module's own refusals (limits, tiers) are not this test's business, but they
      // must be refusals (4xx), never failures.
      assert.ok(response.status < 500, say(`wallet transfer: ${response.status} ${response.text}`));
    }
  }
});
