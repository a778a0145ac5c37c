import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Prng, seedFromEnv } from '../support/prng.js';
import { startChildService, type ChildService } from './support/child-service.js';
import { reportFigures, setting } from './support/figures.js';
import { canRunOwnPostgres, OwnPostgres } from './support/own-postgres.js';
import { checkInvariants, Traffic, type Target } from './support/traffic.js';

/**
 * Database faults, on a PostgreSQL server of the test's own (never the shared one): under signed
 * traffic, PostgreSQL is restarted, then stopped for a few seconds and started again. While it
 * cannot commit, the service answers 503 with Retry-After (problem details); once it is back, the
 * same service process — not restarted — accepts writes again; every acknowledged effect is there
 * exactly once and every invariant holds (support/traffic.ts).
 */
describe('database faults', { skip: canRunOwnPostgres() ? false : 'needs PostgreSQL 15 binaries' }, () => {
  let pg: OwnPostgres | undefined;
  let service: ChildService | undefined;
  after(async () => {
    await service?.close().catch(() => undefined);
    pg?.destroy();
  });

  /** Sends new ops until stopped; a lost answer leaves the op unknown and the client goes on. */
  async function driveThroughFaults(s: Target, traffic: Traffic, workers: number, stop: () => boolean) {
    let lost = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (!stop()) {
          if (!(await traffic.send(s, traffic.next()))) {
            lost += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }),
    );
    return lost;
  }

  /** Waits until a write is acknowledged again (the service was not restarted). */
  async function recovered(s: Target, traffic: Traffic, timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const op = traffic.next();
      if (await traffic.send(s, op)) return Date.now() - started;
      assert.ok(
        Date.now() - started < timeoutMs,
        `no write accepted ${timeoutMs} ms after the database came back`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('answers 503 while PostgreSQL is away, recovers by itself, loses nothing', async () => {
    const rounds = setting('YB_DB_FAULT_ROUNDS', 1, 5);
    const outageMs = setting('YB_DB_OUTAGE_MS', 3_000, 5_000);
    const random = new Prng(seedFromEnv(Date.now() % 0xffffffff));
    pg = await OwnPostgres.create();
    service = await startChildService({ databaseUrl: pg.url });
    const s = service;
    const traffic = await Traffic.prepare(s, random);
    const pid = () => s.running;
    const figures = { restarts: 0, outages: 0, lostAnswers: 0, recoveryMs: [] as number[] };
    let stop = false;
    try {
      for (let round = 0; round < rounds; round++) {
        // A restart under load.
        stop = false;
        let driving = driveThroughFaults(s, traffic, 6, () => stop);
        await new Promise((resolve) => setTimeout(resolve, 500));
        pg.restart();
        figures.restarts += 1;
        figures.recoveryMs.push(await recovered(s, traffic, 30_000));
        stop = true;
        figures.lostAnswers += await driving;

        // Refused connections for a few seconds.
        stop = false;
        driving = driveThroughFaults(s, traffic, 6, () => stop);
        await new Promise((resolve) => setTimeout(resolve, 300));
        pg.stop();
        figures.outages += 1;
        await new Promise((resolve) => setTimeout(resolve, outageMs));
        // While it is down: writes are refused with 503 + Retry-After (Traffic.send asserts both).
        const during = traffic.next();
        assert.equal(
          await traffic.send(s, during),
          false,
          'no write is acknowledged while PostgreSQL is down',
        );
        pg.start();
        figures.recoveryMs.push(await recovered(s, traffic, 30_000));
        stop = true;
        figures.lostAnswers += await driving;
        assert.ok(pid(), 'the service process is the same one');
      }
    } finally {
      stop = true;
    }
    await traffic.settleUnknown(s);
    const checked = await checkInvariants(s, traffic);
    reportFigures('database-faults', {
      ...figures,
      ...traffic.counters,
      acknowledgedPayments: checked.payments,
      violations: 0,
    });
  });
});
