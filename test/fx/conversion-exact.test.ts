import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buyAmountAt,
  buyAmountFor,
  effectiveRate,
  exactRate,
  impliedRate,
  impliedRateExact,
  sellAmountAt,
  sellAmountFor,
} from '../../src/fx/domain/conversion.js';
import { AMOUNT_MAX } from '../../src/ledger/domain/amount.js';
import { xorshift32 } from '../support/prng.js';

const CURRENCIES = ['CNY', 'HKD', 'JPY', 'KWD', 'AED', 'VND', 'BHD'];

function digits(random: () => number, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += Math.floor(random() * 10).toString();
  return text;
}

/** Rates as rate sheets publish them: up to 12 integer and 12 fractional digits, often tiny or huge. */
function randomRate(random: () => number): string {
  const whole = random() < 0.5 ? '0' : String(BigInt(digits(random, 1 + Math.floor(random() * 12)) || '0'));
  const fraction = random() < 0.15 ? '' : digits(random, 1 + Math.floor(random() * 12));
  const rate = fraction === '' ? whole : `${whole}.${fraction}`;
  return /^0(\.0*)?$/.test(rate) ? '0.000000000001' : rate;
}

/** Amounts spread over every magnitude up to past the ledger's maximum. */
function randomAmount(random: () => number): bigint {
  const length = 1 + Math.floor(random() * 21);
  const amount = BigInt(digits(random, length));
  return random() < 0.02 ? AMOUNT_MAX - BigInt(Math.floor(random() * 3)) : amount;
}

function randomSpread(random: () => number): number {
  const r = random();
  return r < 0.2 ? 0 : r < 0.25 ? 10_000 : r < 0.3 ? 9_999 : Math.floor(random() * 200);
}

describe('exact conversion (bigint) equals the decimal.js conversion', () => {
  it('buy and sell amounts, over random rates, spreads, amounts and currency pairs', () => {
    const random = xorshift32(20261125);
    let nonNull = 0;
    for (let i = 0; i < 60_000; i++) {
      const rate = randomRate(random);
      const spread = randomSpread(random);
      const from = CURRENCIES[Math.floor(random() * CURRENCIES.length)]!;
      const to = CURRENCIES[Math.floor(random() * CURRENCIES.length)]!;
      const amount = randomAmount(random);
      const exact = exactRate(rate, spread);
      const decimal = effectiveRate(rate, spread);
      assert.equal(exact.decimal.toString(), decimal.toString());
      const label = `${amount} ${from}→${to} at ${rate} less ${spread} bps`;
      const buy = buyAmountAt(amount, from, to, exact);
      assert.equal(buy, buyAmountFor(amount, from, to, decimal), `buy: ${label}`);
      if (spread < 10_000) {
        const sell = sellAmountAt(amount, from, to, exact);
        assert.equal(sell, sellAmountFor(amount, from, to, decimal), `sell: ${label}`);
        if (sell !== null) nonNull++;
      }
    }
    assert.ok(nonNull > 10_000, `${nonNull} sell amounts within the maximum`);
  });

  it('round trips near whole numbers (where truncating T ÷ rate could hide a fraction)', () => {
    const random = xorshift32(7);
    for (let i = 0; i < 20_000; i++) {
      const rate = randomRate(random);
      const spread = randomSpread(random) % 10_000;
      const exact = exactRate(rate, spread);
      const sold = randomAmount(random) % 10n ** 12n;
      const bought = buyAmountAt(sold, 'CNY', 'AED', exact);
      if (bought === null) continue;
      for (const amount of [bought - 1n, bought, bought + 1n]) {
        if (amount < 0n) continue;
        assert.equal(
          sellAmountAt(amount, 'CNY', 'AED', exact),
          sellAmountFor(amount, 'CNY', 'AED', exact.decimal),
          `${amount} at ${rate} less ${spread}`,
        );
      }
    }
  });

  it('implied rates: 12 significant digits, truncated, written as decimal.js writes them', () => {
    const random = xorshift32(42);
    const seen = new Set<string>();
    for (let i = 0; i < 60_000; i++) {
      const from = CURRENCIES[Math.floor(random() * CURRENCIES.length)]!;
      const to = CURRENCIES[Math.floor(random() * CURRENCIES.length)]!;
      const sell = random() < 0.01 ? 0n : randomAmount(random);
      const buy = random() < 0.01 ? 0n : randomAmount(random);
      const text = impliedRateExact(sell, from, buy, to);
      assert.equal(text, impliedRate(sell, from, buy, to), `${sell} ${from} → ${buy} ${to}`);
      if (text.includes('e')) seen.add('exponent');
      else if (text.includes('.')) seen.add('fraction');
      else seen.add('whole');
    }
    assert.deepEqual([...seen].sort(), ['exponent', 'fraction', 'whole']);
    // Around powers of ten, where a digit count estimated in floating point can be off by one.
    for (let k = 0n; k <= 20n; k++) {
      for (let j = 0n; j <= 20n; j++) {
        for (const [buy, sell] of [
          [10n ** k, 10n ** j],
          [10n ** k - 1n, 10n ** j],
          [10n ** k, 10n ** j - 1n],
          [10n ** k + 1n, 10n ** j],
        ] as const) {
          if (buy <= 0n || sell <= 0n) continue;
          assert.equal(impliedRateExact(sell, 'CNY', buy, 'JPY'), impliedRate(sell, 'CNY', buy, 'JPY'));
        }
      }
    }
  });
});
