import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Prng, seedFromEnv } from '../support/prng.js';
import { startTestApp, type Signer, type TestApp } from '../support/test-app.js';
import { reportFigures, setting } from './support/figures.js';
import { operations, requestFor, type FuzzRequest } from './support/openapi-arbitraries.js';
import { Traffic } from './support/traffic.js';

/**
 * Property-based fuzzing of every operation in openapi.yaml: fast-check generates requests from
 * the spec's schemas (path and query parameters, Idempotency-Key, JSON bodies), valid or broken,
 * and signs them as a member of the network (operator, central bank, bank, regulator) so that they
 * pass authentication and reach validation and the deciders. For every request: no 5xx; every
 * error is an RFC 9457 problem detail (application/problem+json, `code`, `status` = the HTTP
 * status); and a refused request changes nothing (log head, event count, idempotency keys).
 *
 * Not fuzzed: streamEvents (a long-lived SSE stream; notifications.test.ts covers it).
 * Short form 300 requests; long form (npm run chaos) 10,000. YB_FUZZ_RUNS, YB_SEED override.
 */
const SKIPPED = new Set(['streamEvents']);
// A valid key rotation would lock the fuzzer's own signer out: only broken ones are sent.
const ONLY_BROKEN = new Set(['rotateInstitutionKey']);

describe('fuzzing every operation of openapi.yaml', () => {
  let app: TestApp;
  let signers: Signer[];

  before(async () => {
    app = await startTestApp();
    const traffic = await Traffic.prepare(app, new Prng(1));
    signers = ['OPERATOR', 'PBOC', 'HKMA', 'BANKCN1', 'BANKCN2', 'BANKHK1', 'REG-CN'].map((id) =>
      traffic.net.as(id),
    );
  });
  after(async () => {
    await app?.close();
  });

  const mark = async () => {
    const [row] = await app.db.query<Record<string, string>>(
      `select (select position::text from event_log_head) as head, (select count(*)::text from events) as events,
              (select count(*)::text from idempotency_keys) as keys`,
    );
    return row!;
  };

  it('no 5xx, every error a problem detail, every refusal writes nothing', async () => {
    const runs = setting('YB_FUZZ_RUNS', 300, 10_000);
    const seed = seedFromEnv(Date.now() % 0xffffffff);
    const ops = operations().filter((o) => !SKIPPED.has(o.id));
    assert.ok(ops.length >= 60, `${ops.length} operations in openapi.yaml`);
    const byStatus = new Map<string, number>();
    const covered = new Set<string>();
    const arbitrary = fc
      .constantFrom(...ops)
      .chain((op) => requestFor(op))
      .map((r): FuzzRequest =>
        ONLY_BROKEN.has(r.operation.id) && r.meantValid ? { ...r, meantValid: false, body: '{}' } : r,
      );
    await fc.assert(
      fc.asyncProperty(arbitrary, fc.integer({ min: 0, max: signers.length - 1 }), async (req, who) => {
        const before = await mark();
        const response = await app.request(req.operation.method, req.path, req.body, req.headers, {
          as: signers[who]!,
        });
        covered.add(req.operation.id);
        const klass = `${Math.floor(response.status / 100)}xx`;
        byStatus.set(klass, (byStatus.get(klass) ?? 0) + 1);
        const what = `${req.operation.method} ${req.path} ${req.body?.slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
        assert.ok(response.status < 500, `5xx: ${what}`);
        if (response.status >= 400) {
          assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/problem+json', what);
          assert.equal(typeof response.body?.code, 'string', what);
          assert.equal(response.body.status, response.status, what);
          assert.deepEqual(await mark(), before, `a refused request wrote: ${what}`);
        }
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    assert.equal(total, runs);
    assert.ok((byStatus.get('2xx') ?? 0) > 0, 'some generated requests were accepted');
    assert.ok((byStatus.get('4xx') ?? 0) > 0, 'some generated requests were refused');
    reportFigures('fuzz', {
      seed,
      requests: runs,
      operations: ops.length,
      operationsHit: covered.size,
      ...Object.fromEntries(byStatus),
      violations: 0,
    });
  });
});
