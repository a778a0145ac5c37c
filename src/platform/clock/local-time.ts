/**
 * Wall-clock time in a jurisdiction's IANA time zone, read off the service clock: for daily
 * windows (limits, quotas) and opening hours. Pure: the same instant and zone always give the
 * same answer (the zone rules are the runtime's time zone database).
 */
export interface LocalTime {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight, 0..1439. */
  readonly minuteOfDay: number;
}

/**
 * A zone's offset from UTC only changes on a quarter hour (UTC) — every offset and every
 * daylight-saving switch in the time zone database falls on one — so the offset found for one
 * instant holds for its whole quarter hour. Intl formatting costs microseconds per call and every
 * payment asks several times; the offset is asked once per zone and quarter hour. Time mostly
 * moves forward (payments arrive in time order), so each zone keeps only its last quarter hour
 * and that quarter's offset, next to its formatter: the common path looks up one record by zone
 * and compares a number, where a `${zone}|${quarter}` key per call built a string.
 */
const QUARTER_HOUR_MS = 900_000;

interface Zone {
  readonly format: Intl.DateTimeFormat;
  /** The last quarter hour asked (ms since the epoch ÷ 15 min, floored); NaN before the first. */
  quarter: number;
  /** Its offset from UTC, in ms. */
  offset: number;
}

const ZONES = new Map<string, Zone>();

function zone(timeZone: string): Zone {
  let z = ZONES.get(timeZone);
  if (z === undefined) {
    z = {
      format: new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        calendar: 'gregory',
        numberingSystem: 'latn',
      }),
      quarter: NaN,
      offset: 0,
    };
    ZONES.set(timeZone, z);
  }
  return z;
}

/** The zone's offset at `ms`, remembered for its quarter hour (see QUARTER_HOUR_MS). */
function offsetMs(z: Zone, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  if (quarter !== z.quarter) {
    z.offset = wallClockOffset(z, ms);
    z.quarter = quarter;
  }
  return z.offset;
}

/**
 * How far the wall clock in `timeZone` is ahead of UTC at instant `utcMs`, exact to the second
 * (historic local mean times such as Shanghai's +08:05:43 before 1928 included): for a calendar
 * day's bounds (iso20022 statements), asked a few times per request, so worked out every time with
 * the zone's formatter rather than remembered per quarter hour.
 */
export function utcOffsetMs(timeZone: string, utcMs: number): number {
  return wallClockOffset(zone(timeZone), utcMs);
}

/** The zone's wall clock at `utcMs`, read off its formatter, less `utcMs` (to the second). */
function wallClockOffset(z: Zone, utcMs: number): number {
  const parts = z.format.formatToParts(new Date(utcMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

const ISO_WEEKDAY = [7, 1, 2, 3, 4, 5, 6];

/**
 * The last answer per zone, for the minute it holds: payments arrive in time order and each asks
 * for its corridor's and wallets' local time several times, mostly within the same minute.
 */
interface LastAnswer {
  readonly fromNs: bigint;
  readonly toNs: bigint;
  readonly local: LocalTime;
}
const LAST = new Map<string, LastAnswer>();
const NS_PER_MINUTE = 60_000_000_000n;

export function localTimeIn(timeZone: string, nowNs: bigint): LocalTime {
  const last = LAST.get(timeZone);
  if (last !== undefined && nowNs >= last.fromNs && nowNs < last.toNs) return last.local;
  const ms = Number(nowNs / 1_000_000n);
  const local = new Date(ms + offsetMs(zone(timeZone), ms));
  const answer: LocalTime = {
    date: `${String(local.getUTCFullYear()).padStart(4, '0')}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-${String(local.getUTCDate()).padStart(2, '0')}`,
    weekday: ISO_WEEKDAY[local.getUTCDay()]!,
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
  // The whole UTC minute of `nowNs` has the same local minute: offsets are whole minutes.
  // (Before 1970 the millisecond truncation above rounds up: not remembered.)
  if (nowNs >= 0n) {
    const fromNs = nowNs - (nowNs % NS_PER_MINUTE);
    LAST.set(timeZone, { fromNs, toNs: fromNs + NS_PER_MINUTE, local: answer });
  }
  return answer;
}
