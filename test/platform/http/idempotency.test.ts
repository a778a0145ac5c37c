import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, idempotencyFrom } from '../../../src/platform/http/idempotency.js';
import { ProblemException } from '../../../src/platform/http/problem.js';

describe('Idempotency-Key', () => {
  it('hashes the same request the same, whatever the order of its fields', () => {
    const a = idempotencyFrom('k1', 'bank-a', 'POST', '/v1/x', { b: 1, a: [{ y: 2, x: 1 }] });
    const b = idempotencyFrom('k1', 'bank-a', 'POST', '/v1/x', { a: [{ x: 1, y: 2 }], b: 1 });
    assert.equal(a?.requestHash, b?.requestHash);
  });

  it('hashes a different body, path or method differently', () => {
    const base = idempotencyFrom('k1', 's', 'POST', '/v1/x', { a: 1 })!.requestHash;
    assert.notEqual(idempotencyFrom('k1', 's', 'POST', '/v1/x', { a: 2 })!.requestHash, base);
    assert.notEqual(idempotencyFrom('k1', 's', 'POST', '/v1/y', { a: 1 })!.requestHash, base);
    assert.notEqual(idempotencyFrom('k1', 's', 'PUT', '/v1/x', { a: 1 })!.requestHash, base);
    // Array order is meaning, not encoding: a batch in another order is another request.
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  });

  it('is optional unless required, and refuses keys that are not visible ASCII', () => {
    assert.equal(idempotencyFrom(undefined, 's', 'POST', '/', {}), undefined);
    assert.throws(
      () => idempotencyFrom(undefined, 's', 'POST', '/', {}, true),
      (e: unknown) => e instanceof ProblemException && e.problem.code === 'idempotency_key_required',
    );
    assert.throws(
      () => idempotencyFrom('has space', 's', 'POST', '/', {}),
      (e: unknown) => e instanceof ProblemException && e.problem.code === 'idempotency_key_invalid',
    );
    assert.throws(() => idempotencyFrom('x'.repeat(256), 's', 'POST', '/', {}), ProblemException);
  });
});
