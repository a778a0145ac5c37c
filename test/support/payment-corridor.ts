import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/platform/clock/clock.js';
import { fundBankWallet } from './issuance-api.js';
import { setUpNetwork, type TestNetwork } from './network.js';
import { startTestApp, type TestApp, type TestAppOptions, type TestResponse } from './test-app.js';

/** 10:00 on Tuesday 10 March 2026 in Asia/Shanghai: inside the corridor's opening hours. */
export const CORRIDOR_OPEN_NS = BigInt(Date.parse('2026-03-10T02:00:00Z')) * 1_000_000n;

/**
 * A service on which a cross-border payment can be made (as in payments-http.test.ts): the network
 * of network.ts, a ManualClock inside business hours (or the system clock, `systemClock`), the settlement timer off, corridor CN-HK
 * open, BANKHK1 (a liquidity provider) with 100,000.00 HKD, a CNY wallet and a CNY→HKD rate sheet,
 * BANKCN2 with 10,000.00 CNY, BANKCN1 with nothing (its payments queue).
 */
export async function startWithPaymentCorridor(
  options: TestAppOptions & { readonly systemClock?: boolean } = {},
): Promise<{ app: TestApp; net: TestNetwork; clock: ManualClock }> {
  const clock = new ManualClock(CORRIDOR_OPEN_NS);
  const app = await startTestApp({
    ...options,
    // The system clock where time must pass by itself (webhook retries are due on the service clock).
    clock: options.systemClock ? undefined : clock,
    env: { YB_SETTLEMENT_INTERVAL_MS: '0', ...options.env },
  });
  try {
    const net = await setUpNetwork(app);
    const ok = (response: TestResponse, status: number) =>
      assert.equal(response.status, status, response.text);
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
    await fundBankWallet(app, net.as('HKMA'), 'BANKHK1', 100_000_00n);
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 10_000_00n);
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
    return { app, net, clock };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** A payment body from the payer to BANKHK2, in CNY. */
export function paymentTo(payee = 'BANKHK2', amount = '1000.00'): Record<string, unknown> {
  return { payee: { bank: payee }, amount, currency: 'CNY', purpose: 'Invoice 2026-031 (goods)' };
}
