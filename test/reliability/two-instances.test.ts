import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Prng, seedFromEnv } from '../support/prng.js';
import { startChildService, type ChildService } from './support/child-service.js';
import { databaseUrl, reportFigures } from './support/figures.js';
import { checkInvariants, Traffic } from './support/traffic.js';

/**
 * Two instances on one database (child processes, one schema): the first takes the writer lease;
 * the second (YB_LEASE_MODE=wait, the default) waits for it without serving — clients are refused
 * at the connection, never a write by two writers. The first is SIGKILLed under signed traffic: the
 * second takes the lease over, rebuilds state and serves; the ops whose answer was lost are retried
 * against it, and every invariant holds (nothing lost, nothing duplicated).
 */
describe('two instances, one database', { skip: databaseUrl() ? false : 'needs DATABASE_URL' }, () => {
  const services: ChildService[] = [];
  after(async () => {
    for (const service of services.reverse()) await service.close().catch(() => undefined);
  });

  it('only one writes; kill it and the other takes over without losing or duplicating anything', async () => {
    const seed = seedFromEnv(Date.now() % 0xffffffff);
    const first = await startChildService({ databaseUrl: databaseUrl()! });
    services.push(first);
    const traffic = await Traffic.prepare(first, new Prng(seed));

    let secondServing = false;
    const starting = startChildService({ databaseUrl: databaseUrl()!, sharing: first }).then((second) => {
      secondServing = true;
      services.push(second);
      return second;
    });
    starting.catch(() => undefined);

    let stop = false;
    const driving = traffic.drive(first, 6, () => stop);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(secondServing, false, 'the second instance does not serve while the first holds the lease');
    const [{ writer }] = await first.db.query<{ writer: string }>(
      'select writer_id as writer from event_log_head',
    );
    const before = traffic.counters.acknowledged;
    assert.ok(before > 0);

    const killedAt = Date.now();
    await first.kill();
    stop = true;
    await driving;
    const second = await starting;
    const takeoverMs = Date.now() - killedAt;
    const [{ writer: now }] = await second.db.query<{ writer: string }>(
      'select writer_id as writer from event_log_head',
    );
    assert.notEqual(now, writer, 'the second instance wrote its own writer id');

    await traffic.settleUnknown(second);
    await traffic.drive(second, 4, () => traffic.counters.acknowledged > before + 100);
    const checked = await checkInvariants(second, traffic);
    reportFigures('two-instances', {
      seed,
      takeoverMs,
      ...traffic.counters,
      acknowledgedPayments: checked.payments,
      violations: 0,
    });
  });
});
