/**
 * PostgreSQL array literals built by hand for the batch writes (`unnest('{…}'::uuid[], …)`).
 *
 * The pg driver can turn a JavaScript array into a literal itself, but it escapes every element
 * with a regular expression and allocates as it goes; for the 8,000–16,000-row columns of a batch
 * joining strings here is measurably cheaper, and the column builders read each value straight
 * from the rows (no intermediate array per column). Correctness does not depend on the values:
 * every string element is quoted and escaped (so an id holding `,`, `}` or `"` cannot shift a
 * column), numbers and bigints are written as decimal digits, and null becomes an unquoted NULL.
 */

/** Quoted, escaped form of one string element. */
function quoted(value: string): string {
  // The common case (ids, codes, currencies) has nothing to escape.
  return value.includes('"') || value.includes('\\') ? `"${value.replace(/["\\]/g, '\\$&')}"` : `"${value}"`;
}

function integer(value: number | bigint): string {
  if (typeof value === 'bigint' || Number.isSafeInteger(value)) return value.toString();
  throw new Error(`not an integer for an SQL array: ${String(value)}`);
}

/** `{"a","b",NULL}` from `get` of each row: text, uuid, json, … elements. */
export function textColumn<T>(rows: readonly T[], get: (row: T) => string | null): string {
  let out = '{';
  for (let i = 0; i < rows.length; i++) {
    const value = get(rows[i]!);
    if (i > 0) out += ',';
    out += value === null || value === undefined ? 'NULL' : quoted(value);
  }
  return out + '}';
}

/**
 * Like textColumn, where few distinct values repeat (stream ids, event types, currencies): each
 * distinct value is escaped once.
 */
export function repeatedTextColumn<T>(rows: readonly T[], get: (row: T) => string): string {
  const cache = new Map<string, string>();
  let out = '{';
  for (let i = 0; i < rows.length; i++) {
    const value = get(rows[i]!);
    let element = cache.get(value);
    if (element === undefined) {
      element = quoted(value);
      cache.set(value, element);
    }
    if (i > 0) out += ',';
    out += element;
  }
  return out + '}';
}

/** `{1,2,NULL}` from `get` of each row: int, bigint elements (numbers must be integers). */
export function numberColumn<T>(rows: readonly T[], get: (row: T) => number | bigint | null): string {
  let out = '{';
  for (let i = 0; i < rows.length; i++) {
    const value = get(rows[i]!);
    if (i > 0) out += ',';
    out += value === null || value === undefined ? 'NULL' : integer(value);
  }
  return out + '}';
}

function big(value: number | bigint): bigint {
  return typeof value === 'bigint' ? value : BigInt(integer(value));
}

const self = <T>(value: T): T => value;

/** `{"a","b",NULL}`: text, uuid, json, … elements. */
export function textArray(values: ReadonlyArray<string | null>): string {
  return textColumn(values, self);
}

/** `{1,2,NULL}`: int, bigint elements. */
export function numberArray(values: ReadonlyArray<number | bigint | null>): string {
  return numberColumn(values, self);
}

/**
 * A string as an SQL literal, for statements sent without bind parameters (a batch's commit is
 * one message of several statements: see Sequencer.commit). Dollar-quoted with a tag that is not
 * in the value, so the value's bytes arrive unchanged whatever `standard_conforming_strings` says;
 * if the value happens to hold the tag, an escaped E'' literal is used instead.
 */
export function sqlLiteral(value: string): string {
  if (!value.includes(DOLLAR_TAG)) return `${DOLLAR_TAG}${value}${DOLLAR_TAG}`;
  return `E'${value.replace(/[\\']/g, '\\$&')}'`;
}

const DOLLAR_TAG = `$yb_${Math.random().toString(36).slice(2, 10)}$`;

/**
 * The columns of a batch INSERT/UPDATE, each sent in the cheapest form PostgreSQL parses.
 *
 * Measured on a captured 8,000-transfer commit of the ledger benchmark, replayed and rolled back
 * (PostgreSQL 15, 2 cores): array_in spends about 1 µs an element on a quoted uuid[] or text[]
 * literal, so the ~2.5 MB of array literals the commit carried cost PostgreSQL ~40 ms of ~220;
 * in the forms below the whole message took ~175 ms. Here
 * - a column whose rows all hold one value is a single constant;
 * - an integer column that counts up by one (positions, timestamps of one batch) is its first
 *   value plus the row number;
 * - a uuid column without nulls is packed into one bytea (the ids as they are, 36 characters a
 *   row, dashes dropped by PostgreSQL, then hex-decoded: 16 bytes a row), sliced per row
 *   (~2 ms for 8,000 ids instead of ~10 ms as a uuid[] literal);
 * - anything else is an array literal, as before.
 * Rows come from `generate_series(1, n)` zipped with the arrays (`rows from`), so row `o` takes the
 * o-th element of every array and the o-th 16 bytes of every packed column.
 */
export class BatchRows<T> {
  /** Set-returning calls zipped with the row number: `unnest(array)`, `string_to_table(…)`. */
  private readonly functions: string[] = [];
  private readonly packed: string[] = [];

  constructor(private readonly rows: readonly T[]) {}

  /** An int/bigint column (`type`: 'int', 'bigint'). */
  numbers(get: (row: T) => number | bigint | null, type: string): string {
    const rows = this.rows;
    const first = rows.length > 0 ? get(rows[0]!) : null;
    let same = true;
    let counting = first !== null;
    const start = first === null ? 0n : big(first);
    // The next value if the column counts, in the type of the values (no BigInt per row for numbers).
    let next: number | bigint | null =
      typeof first === 'bigint' ? first + 1n : first === null ? null : first + 1;
    for (let i = 1; i < rows.length && (same || counting); i++) {
      const value = get(rows[i]!);
      if (value !== first) same = false;
      if (counting) {
        if (value !== next) counting = false;
        else if (typeof next === 'bigint') next += 1n;
        // Past 2^53 a number is no longer exact: leave such a column to the array (which refuses it).
        else if (!Number.isSafeInteger((next = (next as number) + 1))) counting = false;
      }
    }
    if (same) return first === null ? `null::${type}` : `${integer(first)}::${type}`;
    if (counting) return `(${start}::bigint + (r.o - 1))::${type}`;
    return this.array(numberColumn(rows, get), type);
  }

  /** A text-typed column (`type`: 'text', 'uuid', …), nulls allowed. */
  texts(get: (row: T) => string | null, type: string): string {
    const rows = this.rows;
    const first = rows.length > 0 ? get(rows[0]!) : null;
    let same = true;
    for (let i = 1; i < rows.length && same; i++) if (get(rows[i]!) !== first) same = false;
    if (same) return first === null ? `null::${type}` : `${sqlLiteral(first)}::${type}`;
    return this.array(textColumn(rows, get), type);
  }

  /** A uuid column without nulls: canonical UUID strings (36 characters, dashes in place). */
  uuids(get: (row: T) => string): string {
    const rows = this.rows;
    let ids = '';
    for (let i = 0; i < rows.length; i++) {
      const id = get(rows[i]!);
      // Fixed width, four dashes exactly where a UUID has them and nowhere else: removing the
      // dashes then leaves 32 digits a row, so every row stays in place; a non-hex digit makes
      // decode() fail the statement.
      if (
        id.length !== 36 ||
        id.indexOf('-') !== 8 ||
        id.indexOf('-', 9) !== 13 ||
        id.indexOf('-', 14) !== 18 ||
        id.indexOf('-', 19) !== 23 ||
        id.indexOf('-', 24) !== -1
      ) {
        throw new Error(`not a canonical UUID: ${JSON.stringify(id)}`);
      }
      ids += id;
    }
    // The ids go as they are and PostgreSQL drops the dashes (replace() over ~300 KB takes it a
    // fraction of a millisecond): cutting five pieces out of every id here cost ~0.12 µs an id.
    const name = `p${this.packed.length}`;
    this.packed.push(`decode(replace(${sqlLiteral(ids)}, '-', ''), 'hex') as ${name}`);
    return `encode(substring(p.${name} from r.o * 16 - 15 for 16), 'hex')::uuid`;
  }

  /**
   * A text column without nulls whose values hold no line feed (JSON.stringify's output never
   * does; anything else throws): sent as one value per line and split by `string_to_table`, which
   * costs PostgreSQL far less than an array literal of the same values.
   */
  lines(get: (row: T) => string): string {
    const rows = this.rows;
    if (rows.length === 1) return `${sqlLiteral(get(rows[0]!))}::text`; // '' would split into no rows
    let text = '';
    for (let i = 0; i < rows.length; i++) {
      const value = get(rows[i]!);
      if (value.includes('\n'))
        throw new Error(`a line of a batch column holds a line feed: ${JSON.stringify(value)}`);
      text += i > 0 ? '\n' + value : value;
    }
    return this.call(`string_to_table(${sqlLiteral(text)}::text, E'\\n')`);
  }

  /** The FROM items the column expressions refer to (`r.o` is the row number, from 1). */
  from(): string {
    // Concatenated rather than joined: the functions hold the batch's big literals, which join
    // would copy; concatenation only links them (the message is copied once, when sent).
    let columns = '';
    let calls = '';
    for (let i = 0; i < this.functions.length; i++) {
      columns += `, c${i}`;
      calls += ', ' + this.functions[i]!;
    }
    let sql = `rows from (generate_series(1, ${this.rows.length})${calls}) as r(o${columns})`;
    if (this.packed.length > 0) {
      let packed = this.packed[0]!;
      for (let i = 1; i < this.packed.length; i++) packed += ', ' + this.packed[i]!;
      sql += `, (select ${packed}) p`;
    }
    return sql;
  }

  private array(literal: string, type: string): string {
    return this.call(`unnest(${sqlLiteral(literal)}::${type}[])`);
  }

  private call(fn: string): string {
    this.functions.push(fn);
    return `r.c${this.functions.length - 1}`;
  }
}
