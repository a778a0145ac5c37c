import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATABASE_TIMEOUT_MS, ReadinessCheck } from '../../src/operations/readiness/readiness.check.js';
import type { Database } from '../../src/platform/database/database.js';
import type { InstancePhase, SequencerHost } from '../../src/platform/sequencer/sequencer.host.js';

/** The readiness rules on stand-ins for the database and the sequencer (states a live app rarely shows). */
function check(
  query: () => Promise<unknown>,
  sequencer: { isWriting: boolean; hasStarted: boolean; phase?: InstancePhase },
) {
  const database = { dataSource: { query } } as unknown as Database;
  const phase =
    sequencer.phase ?? (sequencer.isWriting ? 'serving' : sequencer.hasStarted ? 'stopping' : 'starting');
  const host = { ...sequencer, phase, committedPosition: 7n } as unknown as SequencerHost;
  return new ReadinessCheck(database, host).check();
}

describe('readiness', () => {
  it('is ready when the database answers and the sequencer writes', async () => {
    const result = await check(async () => [{ '?column?': 1 }], { isWriting: true, hasStarted: true });
    assert.deepEqual(result, { ready: true, position: 7n, failures: [] });
  });

  it('is not ready while the sequencer waits for the lease or rebuilds', async () => {
    const result = await check(async () => [], { isWriting: false, hasStarted: false });
    assert.equal(result.ready, false);
    assert.deepEqual(
      result.failures.map((f) => f.code),
      ['sequencer_not_writing'],
    );
    assert.match(
      result.failures[0]!.detail,
      /has not started: it has taken the writer lease and is rebuilding/,
    );
  });

  it('is not ready on a standby (another instance holds the lease)', async () => {
    const result = await check(async () => [], { isWriting: false, hasStarted: false, phase: 'standby' });
    assert.deepEqual(
      result.failures.map((f) => f.code),
      ['sequencer_not_writing'],
    );
    assert.match(result.failures[0]!.detail, /standby/);
  });

  it('is not ready while the bootstrap runs after the rebuild (writing, not yet serving)', async () => {
    const result = await check(async () => [], { isWriting: true, hasStarted: true, phase: 'starting' });
    assert.equal(result.ready, false);
    assert.match(result.failures[0]!.detail, /rebuilding state/);
  });

  it('is not ready once the sequencer stopped writing (shutdown, lease lost)', async () => {
    const result = await check(async () => [], { isWriting: false, hasStarted: true });
    assert.match(result.failures[0]!.detail, /stopped writing/);
  });

  it('gives up on a database that does not answer in time, and reports both failures', async () => {
    const started = Date.now();
    const result = await check(() => new Promise(() => undefined), { isWriting: false, hasStarted: true });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= DATABASE_TIMEOUT_MS - 50 && elapsed < DATABASE_TIMEOUT_MS + 2_000, `${elapsed} ms`);
    assert.deepEqual(
      result.failures.map((f) => f.code),
      ['database_unavailable', 'sequencer_not_writing'],
    );
    assert.match(result.failures[0]!.detail, new RegExp(`within ${DATABASE_TIMEOUT_MS} ms`));
  });
});
