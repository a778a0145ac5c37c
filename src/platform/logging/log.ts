import { pino, type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/config.js';

export type Log = Logger;

/**
 * The service's structured log: one JSON object per line on stdout (a container's log driver or a
 * shipper reads it as is), the level as its name, the time in ISO 8601. Writes are asynchronous
 * so a request never waits on stdout; pino flushes what is buffered when the process exits.
 */
export function createLog(level: AppConfig['logLevel'], destination?: DestinationStream): Log {
  return pino(
    {
      level,
      base: { service: 'yuanbridge', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
