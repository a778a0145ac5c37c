import { BodyReader } from './body-reader.js';

export const POSITION = /^(0|[1-9][0-9]{0,18})$/;

/** Reads a route's query string strictly: unknown parameters and bad values are one 400. */
export class QueryReader {
  private readonly r = new BodyReader();

  constructor(
    private readonly query: Record<string, unknown>,
    allowed: readonly string[],
  ) {
    this.r.object(query, '?', allowed);
  }

  text(name: string, valid: (v: string) => boolean, code: string, detail: string): string | null {
    const value = this.query[name];
    if (value === undefined) return null;
    if (typeof value !== 'string' || !valid(value)) {
      this.r.fail(`?${name}`, code, detail);
      return null;
    }
    return value;
  }

  position(name: string): bigint | null {
    const value = this.text(
      name,
      (v) => POSITION.test(v),
      'position_invalid',
      'must be a log position (0 or more)',
    );
    return value === null ? null : BigInt(value);
  }

  time(name: string): Date | null {
    const value = this.text(
      name,
      (v) => !Number.isNaN(Date.parse(v)),
      'time_invalid',
      'must be an ISO 8601 date-time',
    );
    return value === null ? null : new Date(Date.parse(value));
  }

  /** A page size from 1 to `max`; `fallback` when absent. */
  limit(fallback: number, max: number, name = 'limit'): number {
    const value = this.text(
      name,
      (v) => /^[1-9][0-9]{0,5}$/.test(v) && Number(v) <= max,
      'invalid_limit',
      `must be an integer from 1 to ${max}`,
    );
    return value === null ? fallback : Number(value);
  }

  /** A page cursor: the previous page's `nextCursor` (a log position). */
  cursor(name = 'after'): bigint | null {
    const value = this.text(
      name,
      (v) => POSITION.test(v),
      'invalid_cursor',
      'must be a cursor returned as nextCursor',
    );
    return value === null ? null : BigInt(value);
  }

  fail(pointer: string, code: string, detail: string): void {
    this.r.fail(pointer, code, detail);
  }

  done(): void {
    this.r.throwIfInvalid();
  }
}
