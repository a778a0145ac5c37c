import { utcOffsetMs } from '../../platform/clock/local-time.js';

/**
 * A calendar day in a jurisdiction's time zone as an interval of instants: a statement's day
 * starts at local midnight (Asia/Shanghai's 10 March starts at 2026-03-09T16:00Z), as the wallet
 * rules' daily windows do.
 */
export interface LocalDay {
  readonly startMs: number;
  /** Exclusive: the next day's local midnight. */
  readonly endMs: number;
  /** `+08:00`, the offset at the day's start, to show its times in local time. */
  readonly offset: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date `YYYY-MM-DD`, or null. */
export function parseCalendarDate(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const match = DATE.exec(text);
  if (match === null) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? text : null;
}

/** The instant local midnight begins `date` (two passes: the offset may change that day). */
function localMidnight(timeZone: string, date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - utcOffsetMs(timeZone, wall);
  return wall - utcOffsetMs(timeZone, first);
}

export function localDay(timeZone: string, date: string): LocalDay {
  const startMs = localMidnight(timeZone, date);
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const offset = utcOffsetMs(timeZone, startMs);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return { startMs, endMs: localMidnight(timeZone, next), offset: `${sign}${hh}:${mm}` };
}

/** An instant shown in the day's local time: `2026-03-10T10:00:00.000+08:00`. */
export function localIso(day: LocalDay, utcMs: number): string {
  const sign = day.offset.startsWith('-') ? -1 : 1;
  const [hh, mm] = day.offset.slice(1).split(':').map(Number) as [number, number];
  const shift = sign * (hh * 60 + mm) * 60_000;
  return new Date(utcMs + shift).toISOString().replace('Z', day.offset);
}
