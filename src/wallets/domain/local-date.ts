import { localTimeIn } from '../../platform/clock/local-time.js';

/**
 * Daily and annual limit windows follow the calendar of the wallet's jurisdiction (China's is
 * Asia/Shanghai), read off the service clock: a day starts at local midnight, not UTC midnight.
 */
export function localDateIn(timeZone: string, nowNs: bigint): string {
  return localTimeIn(timeZone, nowNs).date;
}

/** The year of a local date. */
export function yearOf(localDate: string): string {
  return localDate.slice(0, 4);
}
