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
