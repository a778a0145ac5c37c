import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { describe, it } from 'node:test';
import { nameBasedId } from '../../../src/ledger/domain/id.js';

/** The scheme as RFC 9562 states it, on the bytes: what every stored id was derived with. */
function byBytes(name: string): string {
  const bytes = hash('sha256', `yuanbridge:${name}`, 'buffer');
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

describe('name-based ids (UUIDv8 over SHA-256)', () => {
  it('are the ids already stored: known names give the ids they always gave, one per variant digit', () => {
    // Leg ids the ledger holds must not change (a resubmitted payment would settle twice).
    const payment = '00000000-0000-4000-8000-000000000001';
    assert.equal(nameBasedId(`payment:${payment}:leg:0`), '494e096b-bc4c-8c89-aa19-9179239404b3');
    assert.equal(nameBasedId(`payment:${payment}:leg:1`), 'a6090082-dd59-8917-811c-557b9b4f92c8');
    assert.equal(nameBasedId(`payment:${payment}:leg:2`), '8535e3c5-28ff-8290-9ed7-633b42c826de');
    assert.equal(nameBasedId(`payment:${payment}:leg:3`), '18f29c97-60d5-8b2a-bd16-86793e88006d');
    assert.equal(nameBasedId('account:wallet:BANKCN1:CNY'), '36c94691-6234-8ef6-9733-7a2463bdd652');
    assert.equal(nameBasedId(''), '629c8789-a8a2-8ab2-bf2a-77e2deddc2cc');
    assert.equal(nameBasedId('日本'), 'fe19c367-d8da-8c60-b567-400d0b4c8e47');
  });

  it('set the version and variant bits as the byte-wise derivation does, for any name', () => {
    for (let i = 0; i < 2_000; i++) {
      const name = `payment:${i.toString(16).padStart(8, '0')}-${'x'.repeat(i % 7)}:leg:${i % 5}`;
      const id = nameBasedId(name);
      assert.equal(id, byBytes(name));
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('keep their value after later ids are derived (the characters are built in one reused array)', () => {
    const first = nameBasedId('payment:a:leg:0');
    const copy = byBytes('payment:a:leg:0');
    for (let i = 0; i < 10; i++) nameBasedId(`payment:b:leg:${i}`);
    assert.equal(first, copy);
    assert.equal(first.length, 36);
  });
});
