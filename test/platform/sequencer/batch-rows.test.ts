import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchRows, sqlLiteral } from '../../../src/platform/sequencer/sql-arrays.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * BatchRows sends a batch's columns in several forms (constants, counts, packed uuids, line
 * splits, arrays): whatever form it picks, PostgreSQL must read back exactly the rows given, in
 * order, nulls and bigints beyond 2^53 included.
 */

interface Row {
  id: string;
  other: string | null;
  amount: bigint;
  small: number;
  counted: bigint;
  same: number;
  label: string | null;
  text: string;
}

async function readBack(app: TestApp, rows: readonly Row[]): Promise<Array<Record<string, string | null>>> {
  const b = new BatchRows(rows);
  const columns = {
    o: 'r.o',
    id: b.uuids((r) => r.id),
    other: b.texts((r) => r.other, 'uuid'),
    amount: b.numbers((r) => r.amount, 'bigint'),
    small: b.numbers((r) => r.small, 'int'),
    counted: b.numbers((r) => r.counted, 'bigint'),
    same: b.numbers((r) => r.same, 'int'),
    label: b.texts((r) => r.label, 'text'),
    text: b.lines((r) => r.text),
  };
  const select = Object.entries(columns)
    .map(([name, expr]) => `(${expr})::text as "${name}"`)
    .join(', ');
  return app.db.query(`select ${select} from ${b.from()} order by r.o`);
}

function plain(): Row {
  return {
    id: crypto.randomUUID(),
    other: null,
    amount: 1n,
    small: 0,
    counted: 0n,
    same: 0,
    label: null,
    text: '',
  };
}

function expected(rows: readonly Row[]): Array<Record<string, string | null>> {
  return rows.map((r, i) => ({
    o: String(i + 1),
    id: r.id,
    other: r.other,
    amount: r.amount.toString(),
    small: String(r.small),
    counted: r.counted.toString(),
    same: String(r.same),
    label: r.label,
    text: r.text,
  }));
}

describe('BatchRows: batch columns in their cheapest SQL form', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
  });

  it('reads back every form, in order', async () => {
    const rows: Row[] = Array.from({ length: 300 }, (_, i) => ({
      id: crypto.randomUUID(),
      other: i % 3 === 0 ? null : crypto.randomUUID(),
      amount: 9_223_372_036_854_775_000n + BigInt((i * 7919) % 300),
      small: (i * 31) % 17,
      counted: 9_007_199_254_740_990n + BigInt(i), // counts up by one, past 2^53
      same: 42,
      label: i % 2 === 0 ? null : `l"a\\b,{c} ${i} 中`,
      text: `{"i":${i},"s":"é\\u2028,\\"x\\""}`,
    }));
    assert.deepEqual(await readBack(app, rows), expected(rows));
  });

  it('sends constant and counting columns without an array', async () => {
    const rows: Row[] = Array.from({ length: 5 }, (_, i) => ({
      id: '0193a3c4-0000-7000-8000-00000000000' + i,
      other: null,
      amount: 5n,
      small: 7,
      counted: 100n + BigInt(i),
      same: 1,
      label: 'CNY',
      text: 't',
    }));
    const b = new BatchRows(rows);
    assert.equal(
      b.texts((r) => r.other, 'uuid'),
      'null::uuid',
    );
    assert.equal(
      b.numbers((r) => r.amount, 'bigint'),
      '5::bigint',
    );
    assert.equal(
      b.numbers((r) => r.counted, 'bigint'),
      '(100::bigint + (r.o - 1))::bigint',
    );
    assert.doesNotMatch(b.from(), /unnest/);
    assert.deepEqual(await readBack(app, rows), expected(rows));
  });

  it('a single row and a counting column that stops counting', async () => {
    const one: Row[] = [plain()];
    assert.deepEqual(await readBack(app, one), expected(one));
    const broken = Array.from({ length: 4 }, (_, i) => ({ ...one[0]!, counted: BigInt(i === 3 ? 9 : i) }));
    assert.deepEqual(await readBack(app, broken), expected(broken));
  });

  it('a line holding the dollar tag of the literals is still read back exactly', async () => {
    const literal = sqlLiteral('x');
    const tag = literal.slice(0, (literal.length - 1) / 2);
    const rows = [
      { ...plain(), text: `a${tag}b` },
      { ...plain(), text: 'plain' },
      { ...plain(), text: `'\\${tag}` },
    ];
    assert.deepEqual(await readBack(app, rows), expected(rows));
  });

  it('a text column of empty lines', async () => {
    const rows = Array.from({ length: 3 }, () => ({ ...plain(), text: '' }));
    assert.deepEqual(await readBack(app, rows), expected(rows));
  });

  it('refuses a line feed in a line column, and a uuid that is not canonical, rather than shifting the rows after it', () => {
    assert.throws(() => new BatchRows(['a', 'b\nc']).lines((v) => v), /line feed/);
    const b = new BatchRows(['0193a3c4-0000-7000-8000-000000000001', '0193a3c400007000800000000000000a']);
    assert.throws(() => b.uuids((id) => id), /not a canonical UUID/);
    // The dashes are dropped by PostgreSQL: a fifth one anywhere would shift every later row.
    for (const odd of [
      '0193a3c4-0000-7000-8000-00000000000-',
      '0193a3c4-0000-7000-8000-0000-0000001',
      '0193a3c4-0000-7000-8000-000000000001 ',
    ]) {
      assert.throws(() => new BatchRows([odd]).uuids((id) => id), /not a canonical UUID/, odd);
    }
  });

  it('uppercase uuids are read as their lowercase form; a non-hex digit fails the statement', async () => {
    const rows = [{ ...plain(), id: '0193A3C4-ABCD-7000-8000-00000000000F' }, plain()];
    const back = await readBack(app, rows);
    assert.equal(back[0]!.id, '0193a3c4-abcd-7000-8000-00000000000f');
    const b = new BatchRows(['0193a3c4-0000-7000-8000-00000000000g']);
    const column = b.uuids((id) => id);
    await assert.rejects(app.db.query(`select ${column} from ${b.from()}`));
  });
});
