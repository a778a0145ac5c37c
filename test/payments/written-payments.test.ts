import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WrittenPayments, type WrittenRow } from '../../src/payments/projection/written-payments.js';

const row = (id: string, extra: Partial<WrittenRow> = {}): WrittenRow => ({
  id,
  quote_id: null,
  set_id: null,
  received_at: '2026-03-10T02:00:00.123Z',
  expires_at: '2026-03-10T03:00:00.123Z',
  updated_at: '2026-03-10T02:00:00.123Z',
  settled_at: null,
  instructed_amount: '100000',
  priority: 5,
  ...extra,
});

describe('WrittenPayments', () => {
  it('gives a written row once, typed as the table returns it', () => {
    const written = new WrittenPayments();
    const id = 'A0B1C2D3-0000-4000-8000-000000000001';
    written.remember([
      row(id, { quote_id: 'ABCDEF00-0000-4000-8000-000000000002', settled_at: '2026-03-10T02:00:01.5Z' }),
    ]);
    assert.equal(written.take(id), undefined, 'kept under the lowercase id PostgreSQL returns');
    const taken = written.take(id.toLowerCase());
    assert.ok(taken !== undefined);
    assert.equal(taken.id, id.toLowerCase());
    assert.equal(taken.quote_id, 'abcdef00-0000-4000-8000-000000000002');
    assert.equal(taken.set_id, null);
    assert.deepEqual(taken.received_at, new Date('2026-03-10T02:00:00.123Z'));
    assert.deepEqual(taken.settled_at, new Date('2026-03-10T02:00:01.500Z'));
    assert.equal(taken.instructed_amount, '100000');
    assert.equal(taken.priority, 5);
    assert.equal(written.take(id.toLowerCase()), undefined, 'taken once');
    assert.equal(written.size, 0);
  });

  it('keeps the newest rows up to its capacity (rows never asked for age out)', () => {
    const written = new WrittenPayments(3);
    const ids = ['1', '2', '3', '4', '5'].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
    written.remember(ids.slice(0, 2).map((id) => row(id)));
    written.remember(ids.slice(2).map((id) => row(id)));
    assert.equal(written.size, 3);
    assert.equal(written.take(ids[0]!), undefined);
    assert.equal(written.take(ids[1]!), undefined);
    for (const id of ids.slice(2)) assert.ok(written.take(id) !== undefined);
  });
});
