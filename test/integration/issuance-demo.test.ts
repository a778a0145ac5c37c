import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findCurrency } from '../../src/ledger/domain/currency.js';
import { DEMO_NETWORK } from '../../src/institutions/bootstrap/demo-network.js';
import { DEMO_ISSUED_MAJOR, DEMO_RESERVES_MAJOR } from '../../src/issuance/bootstrap/demo-issuance.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertSupplyMatchesLedger } from '../support/issuance-api.js';

/** The demo network gets reserves and CBDC at first start, once, through the sequencer. */
describe('issuance demo step', () => {
  let app: TestApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-demo-keys-'));

  before(async () => {
    app = await startTestApp({ env: { YB_DEMO: 'on', YB_KEYS_FILE: path.join(dir, 'keys.json') } });
  });

  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every commercial bank holds a quarter of its reserves as CBDC, in its currency’s minor units', async () => {
    const centralBanks = DEMO_NETWORK.filter((m) => m.kind === 'central_bank');
    for (const cb of centralBanks) {
      const currency = findCurrency(cb.establishes!.currency)!;
      const unit = 10n ** BigInt(currency.exponent);
      const banks = DEMO_NETWORK.filter(
        (m) => m.kind === 'commercial_bank' && m.jurisdiction === cb.jurisdiction,
      );
      const supply = await assertSupplyMatchesLedger(app, currency.code, app.operator);
      assert.equal(BigInt(supply.issued.amountMinor), DEMO_ISSUED_MAJOR * unit * BigInt(banks.length));
      assert.equal(
        BigInt(supply.reservesCredited.amountMinor),
        DEMO_RESERVES_MAJOR * unit * BigInt(banks.length),
      );
      // Each bank was issued a quarter of its reserves. (What it holds now differs: the demo market
      // step moves liquidity to the corridors' providers; the total held still equals the issued.)
      for (const bank of banks) {
        const issued = await app.db.query<{ amount: string }>(
          `select data->>'amount' as amount from events where type = 'CbdcIssued' and data->>'bankId' = $1`,
          [bank.id],
        );
        assert.deepEqual(
          issued.map((r) => BigInt(r.amount)),
          [DEMO_ISSUED_MAJOR * unit],
          bank.id,
        );
      }
    }
    const [row] = await app.db.query<{ actor: string }>(
      "select metadata->>'actor' as actor from events where type = 'CbdcIssued' limit 1",
    );
    assert.equal(row!.actor, 'system');
  });

  it('a restart does not seed again', async () => {
    const before = await app.db.scalar("select count(*) from events where type = 'CbdcIssued'");
    await app.restart();
    assert.equal(await app.db.scalar("select count(*) from events where type = 'CbdcIssued'"), before);
  });
});
