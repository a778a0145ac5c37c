import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseDictionary,
  parseItem,
  serializeDictionary,
  serializeItem,
  sfBytes,
  sfInnerList,
  sfInteger,
  sfItem,
  sfString,
  sfToken,
} from '../../../src/platform/signatures/structured-fields.js';

function roundTrip(input: string): string {
  const parsed = parseDictionary(input);
  assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.error);
  return parsed.ok ? serializeDictionary(parsed.value) : '';
}

describe('structured fields: dictionaries', () => {
  it('parses a Signature-Input style inner list with parameters', () => {
    const parsed = parseDictionary(
      'sig1=("@method" "@target-uri" "content-digest");created=1;keyid="k";alg="ed25519"',
    );
    assert.equal(parsed.ok, true);
    if (!parsed.ok) return;
    const member = parsed.value.get('sig1');
    assert.equal(member?.kind, 'inner-list');
    if (member?.kind !== 'inner-list') return;
    assert.deepEqual(
      member.items.map((i) => i.value),
      [sfString('@method'), sfString('@target-uri'), sfString('content-digest')],
    );
    assert.deepEqual(
      [...member.params],
      [
        ['created', sfInteger(1)],
        ['keyid', sfString('k')],
        ['alg', sfString('ed25519')],
      ],
    );
  });

  it('round-trips every bare item type in canonical form', () => {
    assert.equal(
      roundTrip(
        'a=1, b=-42, c=1.5, d="x \\"y\\" \\\\z", e=tok/en:1, f=:AQID:, g=?0, h, i;p=1, j=(1 "two" three);q',
      ),
      'a=1, b=-42, c=1.5, d="x \\"y\\" \\\\z", e=tok/en:1, f=:AQID:, g=?0, h, i;p=1, j=(1 "two" three);q',
    );
  });

  it('normalizes optional whitespace', () => {
    assert.equal(roundTrip('  a=1 ,\tb=( 1  2 )  '), 'a=1, b=(1 2)');
    assert.equal(roundTrip(''), '');
  });

  it('accepts a byte sequence without "=" padding', () => {
    const parsed = parseDictionary('a=:AQI:');
    assert.ok(parsed.ok);
    const member = parsed.value.get('a');
    assert.deepEqual(member?.kind === 'item' && member.value, sfBytes(new Uint8Array([1, 2])));
  });

  it('rejects malformed input with a reason, never by throwing', () => {
    const cases: [string, RegExp][] = [
      ['a=1,', /trailing ","/],
      ['a=1 b=2', /expected ","/],
      ['A=1', /expected a key/],
      ['a=(1 2', /unterminated inner list/],
      ['a=(1"x")', /expected " " or "\)"/],
      ['a="unterminated', /unterminated string/],
      ['a="bad \\n escape"', /may only escape/],
      ['a="tab\there"', /printable ASCII/],
      ['a=:AQID', /unterminated byte sequence/],
      ['a=:A*==:', /not valid base64/],
      ['a=?2', /"\?0" or "\?1"/],
      ['a=1234567890123456', /more than 15 digits/],
      ['a=1.2345', /more than 3 fractional digits/],
      ['a=1.', /ends with "\."/],
      ['a=@', /unexpected character/],
      ['a=', /expected a value/],
      ['a=1;p=1;p=2', /parameter "p" appears twice/],
      ['a=1, a=2', /appears twice with different values/],
      ['a=1)', /expected ","/],
      ['a=ü', /unexpected character/],
    ];
    for (const [input, reason] of cases) {
      const parsed = parseDictionary(input);
      assert.equal(parsed.ok, false, input);
      if (!parsed.ok) assert.match(parsed.error, reason, input);
    }
  });

  it('accepts the same key repeated with the same value', () => {
    assert.equal(roundTrip('a=1, b=2, a=1'), 'a=1, b=2');
  });
});

describe('structured fields: items', () => {
  it('parses and serializes items with parameters', () => {
    const parsed = parseItem('"x";a=1;b');
    assert.ok(parsed.ok);
    assert.equal(serializeItem(parsed.value), '"x";a=1;b');
  });

  it('refuses to serialize values that are not representable', () => {
    assert.throws(() => serializeItem(sfItem(sfString('é'))), /printable ASCII/);
    assert.throws(() => serializeItem(sfItem(sfToken('1abc'))), /invalid token/);
    assert.throws(() => serializeItem(sfItem(sfInteger(1e16))), /out of range/);
    assert.throws(
      () => serializeDictionary(new Map([['Bad', sfInnerList([])]])),
      /invalid structured-field key/,
    );
  });
});
