/**
 * Daily and annual limit windows follow the calendar of the wallet's jurisdiction (China's is
 * Asia/Shanghai), read off the service clock: a day starts at local midnight, not UTC midnight.
 * Pure: the same instant and zone always give the same date (the time zone database is the
 * runtime's; a change to a zone's rules would move windows, as it would for a real bank).
 */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date `YYYY-MM-DD` at `nowNs` (ns since the epoch) in an IANA time zone. */
export function localDateIn(timeZone: string, nowNs: bigint): string {
  let format = FORMATTERS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    FORMATTERS.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(Number(nowNs / 1_000_000n)));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** The year of a local date. */
export function yearOf(localDate: string): string {
  return localDate.slice(0, 4);
}
