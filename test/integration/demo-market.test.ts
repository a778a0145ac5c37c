import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_CORRIDORS } from '../../src/fx/bootstrap/demo-market.js';
import { DemoMarketMaker } from '../../src/fx/bootstrap/demo-market-maker.js';
import { ManualClock } from '../../src/platform/clock/clock.js';
import type { WithdrawRateSheet } from '../../src/fx/domain/fx.commands.js';
import { FxSequencedModule } from '../../src/fx/fx.sequenced-module.js';
import { CorridorsSequencedModule } from '../../src/corridors/corridors.sequenced-module.js';
import type { SubmitPayment } from '../../src/payments/domain/payments.commands.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** SILKCNBJ (CN) pays VICTHKHX (HK) in CNY, straight through the sequencer; the reply. */
async function silkPaysVictoria(app: TestApp, amountMinor: bigint) {
  const command: Omit<SubmitPayment, 'now'> = {
    type: 'SubmitPayment',
    actor: 'SILKCNBJ',
    paymentId: randomUUID(),
    payer: { bank: 'SILKCNBJ', wallet: null, name: null },
    payee: { bank: 'VICTHKHX', wallet: null, name: null },
    amountMinor,
    currency: 'CNY',
    quoteId: null,
    purpose: 'GDDS',
    remittanceInfo: 'invoice 42',
    priority: 5,
    expiresInSeconds: 600,
  };
  const { reply } = await app.app.sequencer.execute<{ status: string }>({
    command,
    metadata: { actor: 'system' },
  });
  return reply;
}

describe('the demo network makes a market on its corridors', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-demo-'));
    app = await startTestApp({
      env: { YB_DEMO: 'on', YB_KEYS_FILE: path.join(dir, 'keys.json'), YB_OPERATOR_PUBLIC_KEY: '' },
    });
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the Belt-and-Road corridors with providers quoting both ways on each', () => {
    const corridors = app.app.app.get(CorridorsSequencedModule).state.corridors;
    assert.deepEqual(
      [...corridors.keys()].sort(),
      DEMO_CORRIDORS.map(([a, b]) => (a < b ? `${a}-${b}` : `${b}-${a}`)).sort(),
    );
    const sheets = [...app.app.app.get(FxSequencedModule).state.sheets.values()];
    // Two providers per corridor, each quoting both directions.
    assert.equal(sheets.length, DEMO_CORRIDORS.length * 4);
    assert.ok(sheets.some((s) => s.provider === 'HARBHKHH' && s.from === 'CNY' && s.to === 'HKD'));
  });

  it('settles a cross-border payment at once, at the best of the competing rates', async () => {
    const reply = await silkPaysVictoria(app, 1_000_00n);
    assert.equal(reply.status, 'settled');
    const settled = await app.db.query<{ data: { providers: string[]; buy: { amountMinor: string } } }>(
      `select data from events where type = 'PaymentSettled'`,
    );
    // JADECNSH quotes CNY→HKD at 1.08 less 15 bp, HARBHKHH at 1.08 less 20 bp: JADECNSH is better.
    assert.deepEqual(settled[0]!.data.providers, ['JADECNSH']);
    assert.equal(settled[0]!.data.buy.amountMinor, '107838'); // 1000 × 1.08 × 0.9985 = 1078.38
  });
});

/**
 * The demo's rate sheets are valid for 30 days; the demo providers republish them before they run
 * out (DemoMarketMaker), so a data directory used again weeks later still quotes. A withdrawn
 * sheet stays withdrawn, and the refresh is recorded, so it survives a restart.
 */
describe('the demo providers keep their rates alive', () => {
  const DAY = 86_400;
  const T0 = BigInt(Date.parse('2026-03-10T02:00:00Z')) * 1_000_000n;
  const clock = new ManualClock(T0);
  let app: TestApp;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-demo-'));
    app = await startTestApp({
      clock,
      env: { YB_DEMO: 'on', YB_KEYS_FILE: path.join(dir, 'keys.json'), YB_OPERATOR_PUBLIC_KEY: '' },
    });
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sheets = () => app.app.app.get(FxSequencedModule).state.sheets;
  const maker = () => app.app.app.get(DemoMarketMaker);
  it('republishes the demo sheets a week before they expire, not earlier, and never a withdrawn one', async () => {
    const count = sheets().size;
    assert.equal(count, DEMO_CORRIDORS.length * 4);
    // 22 days in: 8 days left on every sheet, outside the refresh window.
    clock.advanceSeconds(22 * DAY);
    assert.equal(await maker().refresh(), 0);

    // The operator of HARBHKHH withdraws its CNY→HKD sheet; it must not come back.
    const withdraw: Omit<WithdrawRateSheet, 'now'> = {
      type: 'WithdrawRateSheet',
      actor: 'HARBHKHH',
      from: 'CNY',
      to: 'HKD',
    };
    await app.app.sequencer.execute({ command: withdraw, metadata: { actor: 'HARBHKHH' } });
    assert.equal(sheets().has('HARBHKHH:CNY:HKD'), false);

    // 24 days in: 6 days left: every remaining demo sheet is republished for another 30 days.
    clock.advanceSeconds(2 * DAY);
    assert.equal(await maker().refresh(), count - 1);
    const horizon = clock.nowNs() + 30n * BigInt(DAY) * 1_000_000_000n;
    for (const sheet of sheets().values()) assert.equal(sheet.expiresAt, horizon, sheet.provider);
    assert.equal(sheets().has('HARBHKHH:CNY:HKD'), false);
    assert.equal(await maker().refresh(), 0);

    // 40 days after the demo was seeded (past the first sheets' expiry), payments still settle,
    // at JADECNSH's rate, and the refreshed sheets come back after a restart.
    clock.advanceSeconds(16 * DAY);
    assert.equal((await silkPaysVictoria(app, 100_00n)).status, 'settled');
    await app.restart();
    for (const sheet of sheets().values()) assert.equal(sheet.expiresAt, horizon, sheet.provider);
    assert.equal(sheets().size, count - 1);
  });

  it('leaves alone a sheet its provider published by a signed request', () => {
    const sheet = sheets().get('JADECNSH:CNY:HKD')!;
    const signed = { ...sheet, evidence: { keyId: 'k', signature: 's' } } as unknown as typeof sheet;
    sheets().set(sheet.provider + ':CNY:HKD', signed);
    try {
      assert.ok(
        !maker()
          .due()
          .some((s) => s.provider === 'JADECNSH' && s.from === 'CNY' && s.to === 'HKD'),
      );
      clock.advanceSeconds(27 * DAY);
      assert.ok(maker().due().length > 0);
      assert.ok(
        !maker()
          .due()
          .some((s) => s.provider === 'JADECNSH' && s.from === 'CNY' && s.to === 'HKD'),
      );
    } finally {
      sheets().set(sheet.provider + ':CNY:HKD', sheet);
    }
  });
});
