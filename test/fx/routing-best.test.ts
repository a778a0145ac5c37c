import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { best, candidate, compareRoutes, type RouteLeg } from '../../src/fx/domain/routing.js';
import { Prng } from '../support/prng.js';

function leg(provider: string, sellMinor: bigint, buyMinor: bigint): RouteLeg {
  return { provider, from: 'CNY', to: 'HKD', sellMinor, buyMinor, rate: '1', spreadBps: 0 };
}

describe('best: the route a stable sort by compareRoutes puts first', () => {
  it('given candidates that tie on amounts, when choosing, then direct beats bridged and provider ids decide, first of equals kept', () => {
    const direct = candidate([leg('LPB', 100n, 108n)]);
    const bridged = candidate([leg('LPA', 100n, 50n), leg('LPC', 50n, 108n)]);
    const otherDirect = candidate([leg('LPA', 100n, 108n)]);
    assert.equal(best('source', [bridged, direct, otherDirect]), otherDirect);
    const twin = candidate([leg('LPA', 100n, 108n)]);
    assert.equal(best('source', [otherDirect, twin]), otherDirect);
  });

  it('agrees with a stable sort on random candidate lists, both fixed sides', () => {
    const rng = new Prng(20261125);
    for (let round = 0; round < 2_000; round++) {
      const n = rng.int(1, 5);
      const candidates = Array.from({ length: n }, () => {
        const provider = `LP${rng.int(0, 3)}`;
        const sell = BigInt(rng.int(95, 100));
        const buy = BigInt(rng.int(100, 105));
        return rng.chance(0.5)
          ? candidate([leg(provider, sell, buy)])
          : candidate([leg(provider, sell, 50n), leg(`LP${rng.int(0, 3)}`, 50n, buy)]);
      });
      for (const fixed of ['source', 'target'] as const) {
        const sorted = [...candidates].sort((a, b) => compareRoutes(fixed, a, b));
        assert.equal(best(fixed, candidates), sorted[0]);
      }
    }
  });
});
