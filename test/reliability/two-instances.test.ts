import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Prng, seedFromEnv } from '../support/prng.js';
import { startChildService, type ChildService } from './support/child-service.js';
import { databaseUrl, reportFigures } from './support/figures.js';
import { checkInvariants, Traffic } from './support/traffic.js';
import type { Json, TestResponse } from '../support/test-app.js';

/**
 * Two instances on one database (child processes, one schema): the first takes the writer lease;
 * the second (YB_LEASE_MODE=wait, the default) listens at once as a standby and refuses clearly:
 * `/health` 200 with `role: "standby"`, `/ready` 503 `not_ready`, every other request 503
 * `not_the_writer` with Retry-After, before any signature is looked at — never a write by two
 * writers. The first is SIGKILLed under signed traffic: the second takes the lease over, rebuilds
 * state, runs its bootstrap and serves; the ops whose answer was lost are retried against it, and
 * every invariant holds (nothing lost, nothing duplicated).
 */
describe('two instances, one database', { skip: databaseUrl() ? false : 'needs DATABASE_URL' }, () => {
  const services: ChildService[] = [];
  after(async () => {
    for (const service of services.reverse()) await service.close().catch(() => undefined);
  });

  /** 503 problem+json with this code and a Retry-After; the body for further checks. */
  function assertUnavailable(response: TestResponse, code: string): Json {
    assert.equal(response.status, 503, response.text);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.match(response.headers.get('retry-after') ?? '', /^\d+$/, 'Retry-After');
    assert.equal(response.body.code, code, response.text);
    assert.equal(response.body.status, 503);
    return response.body;
  }

  it('only one writes, the other refuses clearly; kill the writer and the other takes over without losing or duplicating anything', async () => {
    const seed = seedFromEnv(Date.now() % 0xffffffff);
    const first = await startChildService({ databaseUrl: databaseUrl()! });
    services.push(first);
    const traffic = await Traffic.prepare(first, new Prng(seed));

    let stop = false;
    const driving = traffic.drive(first, 6, () => stop);
    // The second listens as a standby while the first writes.
    const second = await startChildService({
      databaseUrl: databaseUrl()!,
      sharing: first,
      untilListening: true,
    });
    services.push(second);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(second.serving, false, 'the second instance does not serve while the first holds the lease');

    const health = await second.request('GET', '/health', undefined, {}, { as: null });
    assert.equal(health.status, 200, health.text);
    assert.equal(health.body.writing, false);
    assert.equal(health.body.role, 'standby');
    const ready = assertUnavailable(
      await second.request('GET', '/ready', undefined, {}, { as: null }),
      'not_ready',
    );
    assert.match(ready.detail, /standby/);
    const refusals = [
      // Signed writes and reads, an unsigned request, an unknown route: the same answer.
      await second.request('POST', '/v1/payments', { amount: '1.00' }, { 'idempotency-key': randomUUID() }),
      await second.request('POST', '/v1/ledger/transfers', { transfers: [] }),
      await second.request('GET', '/v1/institutions'),
      await second.request('GET', '/v1/payments', undefined, {}, { as: null }),
      await second.request('GET', '/no/such/route', undefined, {}, { as: null }),
    ];
    for (const response of refusals) {
      const problem = assertUnavailable(response, 'not_the_writer');
      assert.match(problem.detail, /another instance holds the writer lease/i);
      assert.equal(response.headers.get('retry-after'), '5');
    }
    const [{ writer }] = await first.db.query<{ writer: string }>(
      'select writer_id as writer from event_log_head',
    );
    const before = traffic.counters.acknowledged;
    assert.ok(before > 0);

    const killedAt = Date.now();
    await first.kill();
    stop = true;
    await driving;
    await second.whenServing();
    const takeoverMs = Date.now() - killedAt;
    const [{ writer: now }] = await second.db.query<{ writer: string }>(
      'select writer_id as writer from event_log_head',
    );
    assert.notEqual(now, writer, 'the second instance wrote its own writer id');
    const afterHealth = await second.request('GET', '/health', undefined, {}, { as: null });
    assert.equal(afterHealth.body.role, 'writer');
    assert.equal(afterHealth.body.writing, true);
    assert.equal((await second.request('GET', '/ready', undefined, {}, { as: null })).status, 200);

    await traffic.settleUnknown(second);
    await traffic.drive(second, 4, () => traffic.counters.acknowledged > before + 100);
    const checked = await checkInvariants(second, traffic);
    reportFigures('two-instances', {
      seed,
      takeoverMs,
      standbyRefusalsChecked: refusals.length,
      ...traffic.counters,
      acknowledgedPayments: checked.payments,
      violations: 0,
    });
  });
});
