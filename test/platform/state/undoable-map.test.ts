import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UndoableMap } from '../../../src/platform/state/undoable-map.js';

/** Given a map holding a=1, b=2, c=3 (in that order). */
function given(): UndoableMap<string, number> {
  const map = new UndoableMap<string, number>();
  map.set('a', 1).set('b', 2).set('c', 3);
  return map;
}

describe('UndoableMap: the undo journal', () => {
  it('rollback restores every key to its value at begin(), however often it changed since', () => {
    const map = given();
    map.begin();
    map.set('a', 10);
    map.set('a', 11);
    map.delete('a');
    map.set('a', 12);
    map.delete('b');
    map.set('d', 4);
    map.set('d', 5);
    map.delete('d');
    map.set('e', 6);
    map.rollback();
    assert.deepEqual([...map.entries()].sort(), [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    assert.equal(map.has('d'), false);
    assert.equal(map.has('e'), false);
    assert.equal(map.size, 3);
  });

  it('a key set to the value it already had is restored to that value, not removed', () => {
    const map = given();
    map.begin();
    map.set('c', 3);
    map.set('c', 30);
    map.rollback();
    assert.equal(map.get('c'), 3);
  });

  it('commit keeps the changes, and a rollback after it undoes nothing', () => {
    const map = given();
    map.begin();
    map.set('a', 10);
    map.delete('b');
    map.commit();
    map.rollback();
    assert.deepEqual([...map.entries()].sort(), [
      ['a', 10],
      ['c', 3],
    ]);
  });

  it('changes made before begin() are not undone; a second begin() starts a fresh journal', () => {
    const map = given();
    map.set('a', 10);
    map.begin();
    map.set('b', 20);
    map.begin();
    map.set('c', 30);
    map.rollback();
    assert.deepEqual([...map.entries()].sort(), [
      ['a', 10],
      ['b', 20],
      ['c', 3],
    ]);
  });

  it('refuses undefined as a value, which the journal reads as "absent"', () => {
    const map = new UndoableMap<string, number | undefined>();
    assert.throws(() => map.set('a', undefined), TypeError);
    assert.equal(map.has('a'), false);
  });
});

describe('UndoableMap.replace: a set whose caller passes the value it just read', () => {
  it('rollback restores the value passed as previous, or removes a key that was absent', () => {
    const map = given();
    map.begin();
    map.replace('a', map.get('a'), 10);
    map.replace('a', map.get('a'), 11);
    map.replace('z', map.get('z'), 26);
    assert.equal(map.get('a'), 11);
    map.rollback();
    assert.equal(map.get('a'), 1);
    assert.equal(map.has('z'), false);
  });
});
