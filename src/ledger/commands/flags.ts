import type { BodyReader } from '../../platform/http/body-reader.js';

/** Flags travel as arrays of names (`["linked", "pending"]`) and live as bitmasks. */
export function readFlags(
  reader: BodyReader,
  value: unknown,
  pointer: string,
  known: Readonly<Record<string, number>>,
): number {
  if (value === undefined) return 0;
  if (!Array.isArray(value)) {
    reader.fail(pointer, 'must_be_array', 'must be an array of flag names');
    return 0;
  }
  let flags = 0;
  value.forEach((name, i) => {
    if (typeof name !== 'string' || !(name in known)) {
      reader.fail(`${pointer}/${i}`, 'unknown_flag', `must be one of ${Object.keys(known).join(', ')}`);
    } else {
      flags |= known[name]!;
    }
  });
  return flags;
}

export function flagNames(flags: number, known: Readonly<Record<string, number>>): string[] {
  return Object.entries(known)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}
