import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { MetricsCollector } from '../../src/scenarios/metrics.js';
import { D, type Dec } from '../../src/scenarios/money.js';

/** A collector on two currencies whose mid rates the test moves, and the events it reads. */
function collector() {
  const mid = new Map<string, Dec>([
    ['CNY', new D('7.3')],
    ['USD', new D(1)],
  ]);
  let epoch = 0;
  const metrics = new MetricsCollector({
    startNs: 0n,
    sampleEverySeconds: 3_600,
    bankWallets: new Map(),
    clearingAccounts: new Set(),
    exponentOf: () => 2,
    midRate: (c) => mid.get(c)!,
    midEpoch: () => epoch,
    reportingCurrency: 'USD',
  });
  metrics.active = true;
  let n = 0;
  const pay = (from: string, to: string, sellMinor: bigint, at: bigint) => {
    const id = `p${n++}`;
    const event = (type: string, data: unknown): DomainEvent => ({ type, streamId: id, data });
    metrics.observe(
      event('PaymentReceived', {
        payment: { id, payer: { jurisdiction: from }, payee: { jurisdiction: to } },
      }),
      at,
    );
    metrics.observe(
      event('PaymentSettled', {
        paymentId: id,
        settledBy: 'gross',
        sell: { currency: from === 'CN' ? 'CNY' : 'USD', amountMinor: sellMinor },
        buy: { currency: to === 'CN' ? 'CNY' : 'USD', amountMinor: 1n },
        fee: { currency: 'USD', amountMinor: 0n },
        legs: [],
      }),
      at,
    );
    metrics.endOfDecision();
  };
  const shock = (currency: string, rate: string) => {
    mid.set(currency, new D(rate));
    epoch++;
  };
  return { metrics, pay, shock };
}

describe('MetricsCollector: volume by corridor in the reporting currency', () => {
  it('given an FX shock between payments, then each payment is valued at the mid rate in force when it settled', () => {
    const { metrics, pay, shock } = collector();
    // 3 × 1.00 CNY at 7.3, then 3 × 1.00 CNY at 7 (and a USD corridor in between, unaffected).
    for (let i = 0; i < 3; i++) pay('CN', 'US', 100n, BigInt(i));
    pay('US', 'CN', 250n, 3n);
    shock('CNY', '7');
    for (let i = 0; i < 3; i++) pay('CN', 'US', 100n, BigInt(10 + i));
    const volume = metrics.finish(20n, 0).volume.byCorridor;
    // 3 ÷ 7.3 + 3 ÷ 7 = 0.4109589… + 0.4285714… = 0.8395303…; at one rate for all six it
    // would be 0.82 (all at 7.3) or 0.86 (all at 7).
    assert.equal(volume['CN>US']!.payments, 6);
    assert.equal(volume['CN>US']!.value, '0.84');
    assert.equal(volume['US>CN']!.value, '2.50');
    // Shares are of the total by currency, valued at the mid rates at the end (6 ÷ 7 + 2.5):
    // 0.83953 ÷ 3.35714 and 2.5 ÷ 3.35714.
    assert.equal(volume['CN>US']!.share, '0.2501');
    assert.equal(volume['US>CN']!.share, '0.7447');
  });

  it('given an FX shock, then the value is the same whether the corridor settles again before or after it', () => {
    // The run of the old rate is folded when the corridor next settles, or when the metrics are
    // read: either way once, with the old rate.
    const value = (settleAfter: boolean) => {
      const { metrics, pay, shock } = collector();
      pay('CN', 'US', 7_300_000n, 0n);
      shock('CNY', '6.5');
      if (settleAfter) pay('CN', 'US', 650_000n, 1n);
      return metrics.finish(2n, 0).volume.byCorridor['CN>US']!.value;
    };
    assert.equal(value(false), '10000.00');
    assert.equal(value(true), '11000.00');
  });
});
