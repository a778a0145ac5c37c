/**
 * Events travel to `events.data` as JSON, which has no 64-bit integers. Modules whose events hold
 * bigints (amounts in minor units, nanosecond times) write them as decimal strings and read back
 * the fields they name. The encoded form is what the audit chain hashes: keep it stable.
 */
export function encodeBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(encodeBigints);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = encodeBigints(field);
    return out;
  }
  return value;
}

/** Inverse of {@link encodeBigints}: every string-valued field named in `fields`, at any depth, becomes a bigint. */
export function decodeBigints<T>(value: unknown, fields: ReadonlySet<string>): T {
  return decode(value, fields) as T;
}

function decode(value: unknown, fields: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => decode(v, fields));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      out[key] = fields.has(key) && typeof field === 'string' ? BigInt(field) : decode(field, fields);
    }
    return out;
  }
  return value;
}
