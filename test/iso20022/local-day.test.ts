import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utcOffsetMs } from '../../src/platform/clock/local-time.js';
import { localDay, localIso } from '../../src/iso20022/statement/local-day.js';

/** The offset straight from a fresh Intl formatter, to the second: what utcOffsetMs must give. */
function reference(timeZone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(utcMs));
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

describe('a statement day in local time (utcOffsetMs, localDay)', () => {
  it("gives Intl's offset to the second, in any zone and era, whatever was asked before", () => {
    const zones = [
      'Asia/Shanghai',
      'Asia/Kolkata',
      'America/New_York',
      'Europe/London',
      'Asia/Riyadh',
      'UTC',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 2_000; i++) {
      const zone = zones[Math.floor(random() * zones.length)]!;
      // 1890 to 2060: Shanghai's local mean time (+08:05:43) until 1928 has seconds.
      const ms = Date.UTC(1890, 0, 1) + Math.floor(random() * 170 * 365.25 * 86_400_000);
      assert.equal(utcOffsetMs(zone, ms), reference(zone, ms), `${zone} ${new Date(ms).toISOString()}`);
    }
    assert.equal(utcOffsetMs('Asia/Shanghai', Date.UTC(1900, 0, 1)), (8 * 3600 + 5 * 60 + 43) * 1000);
  });

  it('starts a day at local midnight and ends it at the next, 23 or 25 hours long on a daylight-saving switch', () => {
    const shanghai = localDay('Asia/Shanghai', '2026-03-10');
    assert.equal(new Date(shanghai.startMs).toISOString(), '2026-03-09T16:00:00.000Z');
    assert.equal(new Date(shanghai.endMs).toISOString(), '2026-03-10T16:00:00.000Z');
    assert.equal(shanghai.offset, '+08:00');
    assert.equal(localIso(shanghai, Date.UTC(2026, 2, 10, 2)), '2026-03-10T10:00:00.000+08:00');

    const london = localDay('Europe/London', '2026-03-29');
    assert.equal(new Date(london.startMs).toISOString(), '2026-03-29T00:00:00.000Z');
    assert.equal(london.endMs - london.startMs, 23 * 3_600_000);

    const newYork = localDay('America/New_York', '2026-11-01');
    assert.equal(new Date(newYork.startMs).toISOString(), '2026-11-01T04:00:00.000Z');
    assert.equal(newYork.endMs - newYork.startMs, 25 * 3_600_000);
    assert.equal(newYork.offset, '-04:00');
  });
});
