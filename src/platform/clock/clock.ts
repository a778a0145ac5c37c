/**
 * One clock abstraction for the whole service, so the scenario engine can run the same deciders
 * on virtual time. Time is nanoseconds since the Unix epoch as a bigint (TigerBeetle's unit),
 * which keeps timestamps exact and lets the ledger hand out strictly increasing ones.
 */
export interface Clock {
  nowNs(): bigint;
}

export class SystemClock implements Clock {
  nowNs(): bigint {
    // Date.now() is wall-clock milliseconds; hrtime alone has no epoch. Millisecond resolution is
    // enough: the ledger makes timestamps unique and monotonic itself.
    return BigInt(Date.now()) * 1_000_000n;
  }
}

/** A clock that only moves when told to: for tests and the scenario engine. */
export class ManualClock implements Clock {
  constructor(private current: bigint = 1_700_000_000_000_000_000n) {}

  nowNs(): bigint {
    return this.current;
  }

  set(ns: bigint): void {
    this.current = ns;
  }

  advanceSeconds(seconds: number): void {
    this.current += BigInt(seconds) * 1_000_000_000n;
  }
}

export const CLOCK = Symbol('Clock');

/** An ISO 8601 UTC time for an instant in ns (millisecond precision, as the API shows times). */
export function isoFromNs(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}
