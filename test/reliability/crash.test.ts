import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Prng, seedFromEnv } from '../support/prng.js';
import { startChildService, type ChildService } from './support/child-service.js';
import { databaseUrl, reportFigures, setting } from './support/figures.js';
import { checkInvariants, Traffic } from './support/traffic.js';

/**
 * Crash: the service runs as a child process (`node dist/src/main.js`, a schema of its own on the
 * PostgreSQL server at DATABASE_URL); this process drives signed payments, wallet transfers and
 * issuance at it and SIGKILLs it at a random moment, again and again, restarting it each time.
 * After each restart, the ops whose answer was lost are retried with their idempotency keys, and
 * every invariant is checked (support/traffic.ts checkInvariants): every acknowledged effect is
 * present exactly once, no payment is half-settled, balances are exact, holdings = issued −
 * redeemed per currency, the audit chain verifies.
 *
 * Short form (npm test): 3 kills. Long form (npm run chaos): 20. YB_CHAOS_KILLS overrides;
 * YB_SEED replays the traffic and the kill moments (the moment within the service's work still varies).
 */
describe(
  'crash: SIGKILL under signed traffic',
  { skip: databaseUrl() ? false : 'needs DATABASE_URL' },
  () => {
    let service: ChildService | undefined;
    after(async () => {
      await service?.close();
    });

    it('loses nothing acknowledged, duplicates nothing, half-settles nothing', async () => {
      const kills = setting('YB_CHAOS_KILLS', 3, 20);
      const workers = setting('YB_CHAOS_WORKERS', 8, 16);
      const seed = seedFromEnv(Date.now() % 0xffffffff);
      const random = new Prng(seed);
      const started = Date.now();
      // Snapshots now and then, so that restarts also start from a snapshot plus the log after it.
      service = await startChildService({
        databaseUrl: databaseUrl()!,
        env: { YB_SNAPSHOT_EVERY_EVENTS: '400' },
      });
      const s = service;
      const traffic = await Traffic.prepare(s, random);
      let checks = 0;
      let last = { payments: 0, transfers: 0, issuance: 0 };
      try {
        for (let kill = 0; kill < kills; kill++) {
          let stop = false;
          const driving = traffic.drive(s, workers, () => stop);
          await new Promise((resolve) => setTimeout(resolve, random.int(150, 1_500)));
          await s.kill();
          stop = true;
          await driving;
          await s.start();
          await traffic.settleUnknown(s);
          await traffic.replaySome(s, 5);
          last = await checkInvariants(s, traffic);
          checks += 1;
        }
      } catch (error) {
        throw new Error(`crash test failed (replay with YB_SEED=${seed}): ${(error as Error).stack}`, {
          cause: error,
        });
      }
      assert.equal(checks, kills);
      assert.ok(traffic.counters.acknowledged > kills, 'the traffic did something between kills');
      reportFigures('crash', {
        seed,
        kills,
        workers,
        ...traffic.counters,
        acknowledgedPayments: last.payments,
        acknowledgedTransfers: last.transfers,
        acknowledgedIssuance: last.issuance,
        invariantChecks: checks,
        violations: 0,
        seconds: Math.round((Date.now() - started) / 1000),
      });
    });
  },
);
