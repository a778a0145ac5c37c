/**
 * Reliability tests report what they did as one line each, `reliability-figures {json}`, which
 * docs/reliability.md quotes. `YB_CHAOS=long` (set by `npm run chaos`) selects the long forms.
 */
export function reportFigures(test: string, figures: Record<string, unknown>): void {
  console.log(`reliability-figures ${JSON.stringify({ test, ...figures })}`);
}

export const LONG = process.env.YB_CHAOS === 'long';

/** An integer from the environment, or the short/long default. */
export function setting(name: string, short: number, long: number): number {
  const raw = process.env[name];
  if (raw !== undefined && /^[0-9]+$/.test(raw)) return Number(raw);
  return LONG ? long : short;
}

export const databaseUrl = (): string | undefined =>
  process.env.DATABASE_URL && process.env.DATABASE_URL !== '' ? process.env.DATABASE_URL : undefined;
