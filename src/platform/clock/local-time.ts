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

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localTimeIn(timeZone: string, nowNs: bigint): LocalTime {
  let format = FORMATTERS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    FORMATTERS.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(Number(nowNs / 1_000_000n)));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    date: `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`,
    weekday: WEEKDAYS[part('weekday')]!,
    minuteOfDay: Number(part('hour')) * 60 + Number(part('minute')),
  };
}
