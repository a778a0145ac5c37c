import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdFilter } from '../../../src/platform/sequencer/id-filter.js';
import { Prng } from '../../support/prng.js';

/**
 * The ledger's prefetch skips an id the filter says was certainly never evicted, so the filter
 * must never answer "certainly not" for an id it was given (a false positive only costs a look-up).
 */
describe('IdFilter', () => {
  it('knows every id it was given, across segments, and few it was not', () => {
    const rng = new Prng(7);
    const filter = new IdFilter();
    const added = Array.from({ length: 1_200_000 }, () => rng.uuid());
    for (const id of added) filter.add(id);
    assert.equal(filter.size, added.length);
    for (const id of added) assert.ok(filter.mightHave(id), id);
    let falsePositives = 0;
    for (let i = 0; i < 20_000; i++) if (filter.mightHave(rng.uuid())) falsePositives++;
    // ~1% per segment, two segments here.
    assert.ok(falsePositives < 20_000 * 0.04, `${falsePositives} false positives in 20,000`);
  });

  it('an empty filter has nothing; a snapshot answers as the filter did', () => {
    const rng = new Prng(8);
    const filter = new IdFilter();
    const id = rng.uuid();
    assert.equal(filter.mightHave(id), false);
    const added = Array.from({ length: 1_000 }, () => rng.uuid());
    for (const a of added) filter.add(a);
    const copy = IdFilter.fromSnapshot(filter.toSnapshot());
    const probes = [...added, ...Array.from({ length: 1_000 }, () => rng.uuid())];
    for (const p of probes) assert.equal(copy.mightHave(p), filter.mightHave(p));
  });
});
