import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_CORRIDORS } from '../../src/fx/bootstrap/demo-market.js';
import { FxSequencedModule } from '../../src/fx/fx.sequenced-module.js';
import { CorridorsSequencedModule } from '../../src/corridors/corridors.sequenced-module.js';
import type { SubmitPayment } from '../../src/payments/domain/payments.commands.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

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
    const command: Omit<SubmitPayment, 'now'> = {
      type: 'SubmitPayment',
      actor: 'SILKCNBJ',
      paymentId: randomUUID(),
      payer: { bank: 'SILKCNBJ', wallet: null, name: null },
      payee: { bank: 'VICTHKHX', wallet: null, name: null },
      amountMinor: 1_000_00n,
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
    assert.equal(reply.status, 'settled');
    const settled = await app.db.query<{ data: { providers: string[]; buy: { amountMinor: string } } }>(
      `select data from events where type = 'PaymentSettled'`,
    );
    // JADECNSH quotes CNY→HKD at 1.08 less 15 bp, HARBHKHH at 1.08 less 20 bp: JADECNSH is better.
    assert.deepEqual(settled[0]!.data.providers, ['JADECNSH']);
    assert.equal(settled[0]!.data.buy.amountMinor, '107838'); // 1000 × 1.08 × 0.9985 = 1078.38
  });
});
