import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localTimeIn } from '../../src/platform/clock/local-time.js';

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall clock in a zone, read straight from Intl: what localTimeIn must agree with. */
function reference(timeZone: string, ms: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')} ${WEEKDAY[part('weekday')]} ${
    Number(part('hour')) * 60 + Number(part('minute'))
  }`;
}

describe('localTimeIn (offsets remembered per zone and quarter hour)', () => {
  it('agrees with Intl minute by minute across daylight-saving switches and odd offsets', () => {
    const cases: Array<[string, string]> = [
      ['America/New_York', '2026-03-08T06:30:00Z'], // spring forward at 02:00 local
      ['America/New_York', '2026-11-01T05:30:00Z'], // fall back at 02:00 local
      ['Europe/London', '2026-03-29T00:30:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:30:00Z'], // a 30-minute switch
      ['Asia/Kathmandu', '2026-06-01T00:00:00Z'], // +05:45
      ['Pacific/Chatham', '2026-04-04T13:30:00Z'], // +13:45 → +12:45
      ['Asia/Shanghai', '2026-12-31T15:30:00Z'], // a new year, locally
    ];
    let checked = 0;
    for (const [zone, around] of cases) {
      const start = Date.parse(around) - 90 * 60_000;
      for (let ms = start; ms < start + 3 * 3_600_000; ms += 60_000 + 7_919) {
        const t = localTimeIn(zone, BigInt(ms) * 1_000_000n);
        assert.equal(
          `${t.date} ${t.weekday} ${t.minuteOfDay}`,
          reference(zone, ms),
          `${zone} at ${new Date(ms).toISOString()}`,
        );
        checked++;
      }
    }
    assert.ok(checked > 1_000);
  });

  it('answers the same within a minute and when time goes back (the last answer per zone is remembered)', () => {
    const zone = 'America/New_York';
    const switchAt = Date.parse('2026-11-01T06:00:00Z'); // 02:00 EDT → 01:00 EST
    const instants = [0, 59_999, 1, 60_000, -1, -60_000, 30_000, 3_600_000, -3_600_001, 59_999, -59_999];
    for (const delta of instants) {
      const ms = switchAt + delta;
      for (const extraNs of [0n, 999_999n]) {
        const t = localTimeIn(zone, BigInt(ms) * 1_000_000n + extraNs);
        assert.equal(
          `${t.date} ${t.weekday} ${t.minuteOfDay}`,
          reference(zone, ms),
          `at ${ms} + ${extraNs} ns`,
        );
      }
    }
  });

  it('given zones asked in turn, back and forth across their switches, then each keeps its own offset', () => {
    // Each zone remembers only its last quarter hour: alternating instants on either side of a
    // switch (minutes apart, so the last-minute answer does not serve them) and alternating zones
    // must each find the offset of their own quarter hour, never the other's.
    const newYork = Date.parse('2026-03-08T07:00:00Z'); // 02:00 EST → 03:00 EDT
    const london = Date.parse('2026-03-29T01:00:00Z'); // 01:00 GMT → 02:00 BST
    const steps = [-1, 0, -900_000, 899_999, -60_000, 120_000, -1, 900_000, 0, -120_001];
    for (const delta of steps)
      for (const [zone, at] of [
        ['America/New_York', newYork],
        ['Europe/London', london],
        ['Asia/Kathmandu', newYork],
      ] as const) {
        const ms = at + delta;
        const t = localTimeIn(zone, BigInt(ms) * 1_000_000n);
        assert.equal(`${t.date} ${t.weekday} ${t.minuteOfDay}`, reference(zone, ms), `${zone} at ${ms}`);
      }
  });
});
