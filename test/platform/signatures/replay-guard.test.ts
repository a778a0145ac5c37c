import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryReplayGuard } from '../../../src/platform/signatures/index.js';

describe('InMemoryReplayGuard', () => {
  it('returns false the first time and true afterwards, per key id', () => {
    const guard = new InMemoryReplayGuard();
    assert.equal(guard.seen('a', 'sig:x', 100, 50), false);
    assert.equal(guard.seen('a', 'sig:x', 100, 60), true);
    assert.equal(guard.seen('b', 'sig:x', 100, 60), false, 'another key id is another entry');
    assert.equal(guard.seen('a', 'sig:y', 100, 60), false);
  });

  it('does not confuse key ids and replay keys that concatenate alike', () => {
    const guard = new InMemoryReplayGuard();
    assert.equal(guard.seen('a:b', 'c', 100, 0), false);
    assert.equal(guard.seen('a', 'b:c', 100, 0), false);
  });

  it('forgets an entry once its expiry has passed, and evicts expired entries on insert', () => {
    const guard = new InMemoryReplayGuard();
    guard.seen('k', 'one', 100, 0);
    guard.seen('k', 'two', 200, 0);
    assert.equal(guard.seen('k', 'one', 100, 100), true, 'still remembered at its expiry second');
    assert.equal(guard.size, 2);
    guard.seen('k', 'three', 300, 101);
    assert.equal(guard.size, 2, '"one" evicted lazily on insert');
    assert.equal(guard.seen('k', 'two', 200, 150), true);
    assert.equal(
      guard.seen('k', 'one', 100, 150),
      false,
      '"one" is new again (the verifier rejects it as expired anyway)',
    );
  });

  it('stays bounded: fails closed when full of live entries by default', () => {
    const guard = new InMemoryReplayGuard({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) assert.equal(guard.seen('k', key, 1000, 0), false);
    assert.equal(guard.seen('k', 'd', 1000, 0), true, 'no room: treated as a replay');
    assert.equal(guard.size, 3);
    assert.equal(guard.seen('k', 'e', 2000, 1001), false, 'room again once the others expired');
    assert.equal(guard.size, 1);
  });

  it('can evict the entry closest to expiry instead', () => {
    const guard = new InMemoryReplayGuard({ maxEntries: 2, whenFull: 'evict' });
    guard.seen('k', 'late', 900, 0);
    guard.seen('k', 'soon', 100, 0);
    assert.equal(guard.seen('k', 'new', 500, 0), false);
    assert.equal(guard.size, 2);
    assert.equal(guard.seen('k', 'late', 900, 0), true);
    assert.equal(
      guard.seen('k', 'soon', 100, 0),
      false,
      '"soon" was evicted to make room, so it is new again',
    );
  });

  it('keeps the heap ordered under many random expiries', () => {
    const guard = new InMemoryReplayGuard();
    const expiries: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const expiresAt = 1 + ((i * 7919) % 1000);
      expiries.push(expiresAt);
      guard.seen('k', `n${i}`, expiresAt, 0);
    }
    guard.seen('k', 'probe', 5000, 500);
    assert.equal(guard.size, expiries.filter((e) => e >= 500).length + 1);
  });

  it('uses its clock when no time is passed', () => {
    let now = 10;
    const guard = new InMemoryReplayGuard({ clock: () => now });
    assert.equal(guard.seen('k', 'x', 20), false);
    now = 21;
    assert.equal(guard.seen('k', 'x', 40), false);
  });
});
