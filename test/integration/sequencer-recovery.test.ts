import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import v8 from 'node:v8';
import { after, before, describe, it } from 'node:test';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { startApp } from '../../src/create-app.js';
import { ManualClock } from '../../src/platform/clock/clock.js';
import { loadConfig } from '../../src/platform/config/config.js';
import {
  assertLogConsistent,
  assertMemoryMatchesDatabase,
  assertProblem,
  balances,
  balancesOf,
  createAccounts,
  eventually,
  getTransfer,
  newId,
  postTransfers,
  readEverything,
  transfer,
  writeMark,
  type TransferBody,
} from '../support/ledger-api.js';
import {
  request,
  startTestApp,
  usingPostgres,
  type TestApp,
  type TestResponse,
} from '../support/test-app.js';

/**
 * The single writer under failure and restart: a failed commit undoes memory, a restart rebuilds
 * the same state (from snapshots or the whole log), pending transfers expire on the service clock
 * across restarts, and a second instance cannot write while the first holds the lease.
 */

const cny = (
  debit: string,
  credit: string,
  amountMinor: string,
  extra: Partial<TransferBody> = {},
): TransferBody => ({
  id: newId(),
  debitAccountId: debit,
  creditAccountId: credit,
  amountMinor,
  currency: 'CNY',
  code: 1,
  ...extra,
});

/** A workload over `accounts`: singles, pendings, posts, voids and linked pairs; returns the count sent. */
async function workload(
  app: TestApp,
  accounts: readonly string[],
  requests: number,
  perRequest: number,
): Promise<number> {
  let sent = 0;
  for (let r = 0; r < requests; r++) {
    const items: TransferBody[] = [];
    const pendings: string[] = [];
    for (let i = 0; i < perRequest; i++) {
      const d = accounts[(r + i) % accounts.length]!;
      const c = accounts[(r + i + 1 + (i % (accounts.length - 1))) % accounts.length]!;
      if (d === c) continue;
      const kind = (r * perRequest + i) % 5;
      if (kind === 0 || kind === 1) items.push(cny(d, c, String(100 + r + i)));
      else if (kind === 2) {
        // Half of them with a timeout far beyond the test, so that snapshots hold open expiries.
        const t = cny(d, c, String(500 + i), {
          flags: ['pending'],
          ...(i % 2 === 0 ? { timeout: 3600 } : {}),
        });
        pendings.push(t.id);
        items.push(t);
      } else if (kind === 3 && pendings.length > 0) {
        items.push({
          id: newId(),
          pendingId: pendings.shift()!,
          amountMinor: '1',
          flags: ['postPendingTransfer'],
        });
      } else if (kind === 4 && pendings.length > 0) {
        items.push({ id: newId(), pendingId: pendings.shift()!, flags: ['voidPendingTransfer'] });
      } else {
        items.push(cny(d, c, '7', { flags: ['linked'] }), cny(c, d, '3'));
      }
    }
    const results = await transfer(app, items);
    assert.ok(
      results.every((r) => r === 'ok'),
      `workload results: ${results.join(',')}`,
    );
    sent += items.length;
  }
  return sent;
}

/** Runs the service's entry point (dist/src/main.js) with `env`; resolves when it exits. */
function runMain(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  const main = path.join(__dirname, '..', '..', 'src', 'main.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.js did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('sequencer recovery', () => {
  describe('a failed commit', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(async () => {
      await app?.close();
    });

    it('fails the whole batch with 503 commit_failed and leaves memory equal to the database', async () => {
      const issuer = newId();
      const bank = newId();
      const x = newId();
      const y = newId();
      await createAccounts(app, [
        { id: issuer, currency: 'CNY' },
        { id: bank, currency: 'CNY', flags: ['debitsMustNotExceedCredits'] },
        { id: x, currency: 'CNY' },
        { id: y, currency: 'CNY' },
      ]);
      assert.deepEqual(await transfer(app, [cny(issuer, bank, '10000')]), ['ok']);
      const start = await writeMark(app);

      // The database refuses what the ledger accepts: any transfer of exactly 777 minor units.
      await app.db.query('alter table ledger_transfers add constraint no_777 check (amount <> 777)');

      // One request is always one batch: the bank spends everything it has, next to the 777.
      const key = `retry-${newId()}`;
      const spendAll = [
        cny(bank, x, '3000'),
        cny(issuer, y, '777'),
        cny(bank, y, '7000', { flags: ['linked'] }),
        cny(y, x, '1'),
      ];
      // Concurrent requests probably share a batch with the 777 one; the assertions hold either way.
      const others = [cny(issuer, x, '11'), cny(issuer, y, '22'), cny(x, y, '33'), cny(issuer, x, '44')];
      const lone777 = cny(issuer, x, '777');
      const [first, ...rest] = await Promise.all([
        postTransfers(app, spendAll, { 'Idempotency-Key': key }),
        ...others.map((t) => postTransfers(app, [t])),
        postTransfers(app, [lone777]),
      ]);
      const responses = [first!, ...rest];

      const failed = (response: TestResponse) => {
        assertProblem(response, 503, 'commit_failed');
        assert.equal(response.headers.get('retry-after'), '1');
      };
      failed(responses[0]!);
      failed(responses.at(-1)!);
      const outcomes = responses.map((r) => r.status);
      for (const response of responses) {
        if (response.status === 503) failed(response);
        else
          assert.deepEqual(
            response.body.results.map((r: { result: string }) => r.result),
            ['ok'],
            response.text,
          );
      }

      // Nothing of a failed batch happened, in memory or in the database.
      await assertMemoryMatchesDatabase(app);
      await assertLogConsistent(app);
      const succeeded = outcomes.filter((s) => s === 200).length;
      const mark = await writeMark(app);
      assert.equal(mark.transfers, start.transfers + BigInt(succeeded));
      assert.equal(mark.idempotencyKeys, start.idempotencyKeys, 'the failed batch stored no idempotency key');
      assert.deepEqual(await balancesOf(app, bank), balances({ creditsPosted: 10_000n }));

      // While the constraint stands the failure repeats; memory is still unharmed.
      failed(await postTransfers(app, spendAll, { 'Idempotency-Key': key }));
      await assertMemoryMatchesDatabase(app);

      await app.db.query('alter table ledger_transfers drop constraint no_777');

      // Retrying the same transfers: the failed ones are new (ok, not exists), the rest exist.
      const retry = await postTransfers(app, spendAll, { 'Idempotency-Key': key });
      assert.equal(retry.status, 200, retry.text);
      assert.equal(
        retry.headers.get('idempotent-replayed'),
        null,
        'the key was not stored by the failed batch',
      );
      assert.deepEqual(
        retry.body.results.map((r) => r.result),
        ['ok', 'ok', 'ok', 'ok'],
      );
      const replay = await postTransfers(app, spendAll, { 'Idempotency-Key': key });
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(replay.body, retry.body);

      const singles = [...others, lone777];
      for (let i = 0; i < singles.length; i++) {
        const expected = outcomes[i + 1] === 503 ? 'ok' : 'exists';
        assert.deepEqual(await transfer(app, [singles[i]!]), [expected], `retry of request ${i + 1}`);
      }

      // Every transfer happened exactly once.
      assert.deepEqual(
        await balancesOf(app, bank),
        balances({ debitsPosted: 10_000n, creditsPosted: 10_000n }),
      );
      assert.deepEqual(
        await balancesOf(app, issuer),
        balances({ debitsPosted: 10_000n + 777n + 11n + 22n + 44n + 777n }),
      );
      assert.deepEqual(
        await balancesOf(app, x),
        balances({ debitsPosted: 33n, creditsPosted: 3000n + 1n + 11n + 44n + 777n }),
      );
      assert.deepEqual(
        await balancesOf(app, y),
        balances({ debitsPosted: 1n, creditsPosted: 777n + 7000n + 22n + 33n }),
      );
      // The bank is empty: one more cent is refused (memory did not keep a phantom credit or debit).
      assert.deepEqual(await transfer(app, [cny(bank, x, '1')]), ['exceeds_credits']);

      await assertMemoryMatchesDatabase(app);
      const [row] = await app.db.query<{ head: string; max: string }>(
        'select (select position from event_log_head) as head, (select max(global_position) from events) as max',
      );
      assert.equal(row!.head, row!.max, 'event_log_head.position = max(global_position)');
      await assertLogConsistent(app);
    });

    it('is fenced: when event_log_head names another writer, nothing is appended', async () => {
      const a = newId();
      const b = newId();
      await createAccounts(app, [
        { id: a, currency: 'CNY' },
        { id: b, currency: 'CNY' },
      ]);
      const writer = (await app.db.query<{ writer_id: string }>('select writer_id from event_log_head'))[0]!
        .writer_id;
      assert.ok(writer);
      const mark = await writeMark(app);
      // As if another instance had taken the lease over.
      await app.db.query(`update event_log_head set writer_id = 'another-writer'`);
      const moved = cny(a, b, '100');
      const refused = await postTransfers(app, [moved]);
      assert.equal(refused.status, 503, refused.text);
      assert.equal((refused.body as unknown as { code: string }).code, 'not_the_writer', refused.text);
      assert.deepEqual(await writeMark(app), mark);
      await assertMemoryMatchesDatabase(app);

      // A fenced-out instance stops writing for good, even if the head names it again...
      await app.db.query('update event_log_head set writer_id = $1', [writer]);
      const still = await postTransfers(app, [moved]);
      assert.equal((still.body as unknown as { code: string }).code, 'not_the_writer', still.text);
      const health = await app.request('GET', '/health');
      assert.equal((health.body as { writing: boolean }).writing, false);
      assert.deepEqual(await writeMark(app), mark);

      // ...until it restarts and takes the lease again.
      await app.restart();
      assert.deepEqual(await transfer(app, [moved]), ['ok']);
      assert.deepEqual(await balancesOf(app, b), balances({ creditsPosted: 100n }));
      await assertLogConsistent(app);
      await assertMemoryMatchesDatabase(app);
    });
  });

  describe('an ambiguous commit', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(async () => {
      await app?.close();
    });

    it('landed though reported failed: the writer rebuilds memory from the log and goes on, without a restart', async () => {
      const a = newId();
      const b = newId();
      await createAccounts(app, [
        { id: a, currency: 'CNY' },
        { id: b, currency: 'CNY' },
      ]);
      const key = `ambiguous-${newId()}`;
      const hundred = cny(a, b, '100');
      // The commit of the batch moving these 100 reaches PostgreSQL and is committed there, but
      // its connection breaks before the answer arrives: the writer cannot know it landed.
      const original = PostgresQueryRunner.prototype.query;
      let broken = 0;
      PostgresQueryRunner.prototype.query = async function (this: PostgresQueryRunner, ...args: unknown[]) {
        const sql = args[0];
        const result = await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        if (
          broken === 0 &&
          typeof sql === 'string' &&
          sql.includes('event_log_advance') &&
          sql.includes(hundred.id)
        ) {
          broken++;
          throw new Error('Connection terminated unexpectedly');
        }
        return result;
      } as typeof original;
      try {
        assertProblem(await postTransfers(app, [hundred], { 'Idempotency-Key': key }), 503, 'commit_failed');
      } finally {
        PostgresQueryRunner.prototype.query = original;
      }
      assert.equal(broken, 1, 'the commit was interrupted once');
      const [logged] = await app.db.query<{ n: string }>(
        `select count(*)::text as n from events where type = 'TransferCreated' and data->'transfer'->>'id' = $1`,
        [hundred.id],
      );
      assert.equal(logged!.n, '1', 'it had landed');

      // The next batch meets the fence (the head is ahead of memory); the writer sees that the head
      // is its own, rebuilds from the log and writes again.
      const five = cny(a, b, '5');
      const fenced = await postTransfers(app, [five]);
      assert.equal(fenced.status, 503, fenced.text);
      await eventually('the writer writes again', async () => {
        const health = await app.request('GET', '/health');
        return (health.body as { writing: boolean }).writing === true;
      });

      // The client's retry of the "failed" request is answered from the log: nothing moves twice.
      const retry = await postTransfers(app, [hundred], { 'Idempotency-Key': key });
      assert.equal(retry.status, 200, retry.text);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(await transfer(app, [hundred]), ['exists']);
      assert.deepEqual(await transfer(app, [five]), ['ok']);
      assert.deepEqual(await balancesOf(app, b), balances({ creditsPosted: 105n }));
      await assertMemoryMatchesDatabase(app);
      await assertLogConsistent(app);
    });
  });

  describe('restart', () => {
    let app: TestApp;
    const accounts = Array.from({ length: 6 }, () => newId());
    before(async () => {
      app = await startTestApp();
    });
    after(async () => {
      await app?.close();
    });

    it('rebuilds the same state from the log, and positions continue gap-free', async () => {
      await createAccounts(
        app,
        accounts.map((id) => ({ id, currency: 'CNY' })),
      );
      await workload(app, accounts, 12, 8);
      const failedId = newId();
      const limited = newId();
      await createAccounts(app, [{ id: limited, currency: 'CNY', flags: ['debitsMustNotExceedCredits'] }]);
      assert.deepEqual(await transfer(app, [{ ...cny(limited, accounts[0]!, '5'), id: failedId }]), [
        'exceeds_credits',
      ]);

      const before = await readEverything(app);
      const position = await assertLogConsistent(app);
      await assertMemoryMatchesDatabase(app);

      await app.restart();
      assert.equal(app.app.sequencer.committedPosition, position);
      assert.deepEqual(await readEverything(app), before);
      await assertMemoryMatchesDatabase(app);
      // What the rebuilt state remembers: the failed id stays failed, an old id exists.
      assert.deepEqual(await transfer(app, [{ ...cny(accounts[1]!, accounts[0]!, '5'), id: failedId }]), [
        'id_already_failed',
      ]);

      await workload(app, accounts, 3, 8);
      const after = await assertLogConsistent(app);
      assert.ok(after > position);
      const [row] = await app.db.query<{ count: string; max: string }>(
        'select count(*) as count, max(global_position) as max from events',
      );
      assert.equal(row!.count, row!.max);
      await assertMemoryMatchesDatabase(app);
    });
  });

  describe('snapshots', () => {
    let app: TestApp;
    const accounts = Array.from({ length: 5 }, () => newId());
    before(async () => {
      app = await startTestApp({ env: { YB_SNAPSHOT_EVERY_EVENTS: '50' } });
    });
    after(async () => {
      await app?.close();
    });

    it('takes snapshots and restarts from them to the same state', async () => {
      await createAccounts(
        app,
        accounts.map((id) => ({ id, currency: 'CNY' })),
      );
      // Reservations that stay open with a timeout: every snapshot must carry their expiries.
      const open = [cny(accounts[0]!, accounts[1]!, '11'), cny(accounts[2]!, accounts[3]!, '22')].map(
        (t) => ({
          ...t,
          flags: ['pending'],
          timeout: 3600,
        }),
      );
      assert.deepEqual(await transfer(app, open), ['ok', 'ok']);
      await workload(app, accounts, 30, 8);
      const position = await assertLogConsistent(app);
      assert.ok(position > 200n, `${position} events`);
      const snapshots = await app.db.query<{ position: string; format: string; state: Buffer }>(
        'select position, format, state from snapshots order by position desc',
      );
      assert.ok(snapshots.length >= 1, 'at least one snapshot');
      assert.ok(snapshots.length <= 2, 'older snapshots are pruned');
      const newest = snapshots[0]!;
      assert.ok(BigInt(newest.position) > 0n && BigInt(newest.position) <= position);
      const decoded = v8.deserialize(newest.state) as {
        position: bigint;
        modules: { ledger: { accounts: unknown[] } };
      };
      assert.equal(decoded.position, BigInt(newest.position));
      assert.equal(decoded.modules.ledger.accounts.length, accounts.length);

      const before = await readEverything(app);
      // Proof that the restart starts from the snapshot: an event below it is made unreadable,
      // which a replay from the beginning would refuse.
      const [first] = await app.db.query<{ type: string }>(
        'select type from events where global_position = 1',
      );
      await app.db.query(`update events set type = 'Unreadable' where global_position = 1`);
      await app.restart();
      await app.db.query('update events set type = $1 where global_position = 1', [first!.type]);
      assert.equal(app.app.sequencer.committedPosition, position);
      assert.deepEqual(await readEverything(app), before);
      await assertMemoryMatchesDatabase(app);

      // And it goes on: more events, more snapshots, positions gap-free.
      await workload(app, accounts, 10, 8);
      await assertLogConsistent(app);
      await assertMemoryMatchesDatabase(app);

      // A snapshot at the head: the restart replays nothing, all state comes from the snapshot.
      await app.app.sequencer.takeSnapshot();
      const head = await assertLogConsistent(app);
      assert.equal(await app.db.scalar('select max(position) from snapshots'), head);
      const atHead = await readEverything(app);
      await app.restart();
      assert.deepEqual(await readEverything(app), atHead);
      await assertMemoryMatchesDatabase(app);
      for (const t of open) assert.equal((await getTransfer(app, t.id)).pendingStatus, 'pending');
      // It appends where the log ends (stream versions came back with the snapshot).
      assert.deepEqual(
        await transfer(app, [
          cny(accounts[0]!, accounts[1]!, '1'),
          { id: newId(), pendingId: open[0]!.id, flags: ['voidPendingTransfer'] },
        ]),
        ['ok', 'ok'],
      );
      assert.equal(await assertLogConsistent(app), head + 2n);
      await assertMemoryMatchesDatabase(app);
    });

    it('falls back when the newest snapshot is unreadable, and to the log when all are', async () => {
      const before = await readEverything(app);
      const position = await assertLogConsistent(app);
      const count = await app.db.scalar('select count(*) from snapshots');
      assert.ok(count >= 1n);

      await app.db.query(
        `update snapshots set state = '\\x00' where position = (select max(position) from snapshots)`,
      );
      await app.restart();
      assert.equal(app.app.sequencer.committedPosition, position);
      assert.deepEqual(await readEverything(app), before);
      await assertMemoryMatchesDatabase(app);

      await app.db.query(`update snapshots set state = '\\x00'`);
      await app.restart();
      assert.equal(app.app.sequencer.committedPosition, position);
      assert.deepEqual(await readEverything(app), before);
      await assertMemoryMatchesDatabase(app);

      // The rebuilt state decides correctly: move all of one account's net position back and forth.
      await workload(app, accounts, 2, 8);
      await assertLogConsistent(app);
      await assertMemoryMatchesDatabase(app);
    });
  });

  describe('pending expiry on the service clock', () => {
    let app: TestApp;
    const clock = new ManualClock();
    before(async () => {
      app = await startTestApp({ clock, env: { YB_EXPIRY_INTERVAL_MS: '50' } });
    });
    after(async () => {
      await app?.close();
    });

    it('expires a pending transfer after its timeout, across a restart', async () => {
      const payer = newId();
      const payee = newId();
      await createAccounts(app, [
        { id: payer, currency: 'CNY' },
        { id: payee, currency: 'CNY' },
      ]);
      const short = cny(payer, payee, '1000', { flags: ['pending'], timeout: 10 });
      const long = cny(payer, payee, '2000', { flags: ['pending'], timeout: 20 });
      assert.deepEqual(await transfer(app, [short, long]), ['ok', 'ok']);
      assert.deepEqual(await balancesOf(app, payer), balances({ debitsPending: 3000n }));

      await app.restart();
      assert.deepEqual(await balancesOf(app, payer), balances({ debitsPending: 3000n }));
      clock.advanceSeconds(5);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await getTransfer(app, short.id)).pendingStatus, 'pending', 'not yet: 5 of 10 s');

      clock.advanceSeconds(6);
      await eventually('the expiry of the 10 s pending transfer', async () => {
        return (await getTransfer(app, short.id)).pendingStatus === 'expired';
      });
      assert.deepEqual(
        await balancesOf(app, payer),
        balances({ debitsPending: 2000n }),
        'the reservation is released',
      );
      assert.deepEqual(await balancesOf(app, payee), balances({ creditsPending: 2000n }));
      assert.equal((await getTransfer(app, long.id)).pendingStatus, 'pending');

      const post = await postTransfers(app, [
        { id: newId(), pendingId: short.id, flags: ['postPendingTransfer'] },
      ]);
      assert.equal(post.status, 200, post.text);
      assert.equal(post.body.results[0]!.result, 'pending_transfer_expired');
      // The one with 20 s left can still be posted.
      assert.deepEqual(
        await transfer(app, [
          { id: newId(), pendingId: long.id, amountMinor: '1500', flags: ['postPendingTransfer'] },
        ]),
        ['ok'],
      );
      assert.deepEqual(await balancesOf(app, payer), balances({ debitsPosted: 1500n }));
      assert.deepEqual(await balancesOf(app, payee), balances({ creditsPosted: 1500n }));

      const events = await app.db.query<{ type: string; data: { pendingId: string; amount: string } }>(
        `select type, data from events where type = 'PendingTransferExpired'`,
      );
      assert.deepEqual(
        events.map((e) => [e.data.pendingId, e.data.amount]),
        [[short.id, '1000']],
      );

      // After another restart, the expiry is part of history.
      await app.restart();
      assert.equal((await getTransfer(app, short.id)).pendingStatus, 'expired');
      assert.deepEqual(await balancesOf(app, payer), balances({ debitsPosted: 1500n }));
      await assertMemoryMatchesDatabase(app);
      await assertLogConsistent(app);
    });

    it('expires while the service is down: the timer catches up after start', async () => {
      const payer = newId();
      const payee = newId();
      await createAccounts(app, [
        { id: payer, currency: 'CNY' },
        { id: payee, currency: 'CNY' },
      ]);
      const pending = cny(payer, payee, '4200', { flags: ['pending'], timeout: 10 });
      assert.deepEqual(await transfer(app, [pending]), ['ok']);
      // The clock passes the timeout between close and start.
      const restarting = app.restart();
      clock.advanceSeconds(30);
      await restarting;
      await eventually(
        'the catch-up expiry',
        async () => (await getTransfer(app, pending.id)).pendingStatus === 'expired',
      );
      assert.deepEqual(await balancesOf(app, payer), balances());
      await assertMemoryMatchesDatabase(app);
    });
  });

  describe(
    'a second writer',
    {
      skip: usingPostgres() ? false : 'needs PostgreSQL (DATABASE_URL): the embedded database is one process',
    },
    () => {
      let app: TestApp;
      before(async () => {
        app = await startTestApp();
      });
      after(async () => {
        await app?.close();
      });

      it('is refused at startup with YB_LEASE_MODE=refuse while the first holds the lease', async () => {
        const a = newId();
        const b = newId();
        await createAccounts(app, [
          { id: a, currency: 'CNY' },
          { id: b, currency: 'CNY' },
        ]);
        // As an operator starts it (main.js), in a process of its own: startApp does not close the
        // half-started app when its start fails, which would keep this test process alive.
        const child = await runMain({ ...app.env, YB_LEASE_MODE: 'refuse' });
        assert.equal(child.code, 1, child.output);
        assert.match(child.output, /yuanbridge failed to start: .*writer lease/);
        // The first instance is unaffected.
        assert.deepEqual(await transfer(app, [cny(a, b, '100')]), ['ok']);
        await assertLogConsistent(app);
      });

      it('in wait mode, takes over only when the first one stops', async () => {
        const a = newId();
        const b = newId();
        await createAccounts(app, [
          { id: a, currency: 'CNY' },
          { id: b, currency: 'CNY' },
        ]);
        assert.deepEqual(await transfer(app, [cny(a, b, '100')]), ['ok']);
        const firstWriter = (
          await app.db.query<{ writer_id: string }>('select writer_id from event_log_head')
        )[0]!.writer_id;

        let started = false;
        const second = startApp(loadConfig({ ...app.env, YB_LEASE_MODE: 'wait' }), { logger: false }).then(
          (running) => {
            started = true;
            return running;
          },
        );
        try {
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          assert.equal(started, false, 'the second instance waits for the lease');
          assert.deepEqual(await transfer(app, [cny(a, b, '100')]), ['ok']);

          const position = await assertLogConsistent(app);
          await app.stop();
          const running = await second;
          const signing = { signer: app.operator };
          const response = await request(
            running.url,
            'GET',
            `/v1/ledger/accounts/${b}`,
            undefined,
            {},
            signing,
          );
          assert.equal(response.body.creditsPosted.amountMinor, '200');
          const transferResponse = await request(
            running.url,
            'POST',
            '/v1/ledger/transfers',
            { transfers: [cny(a, b, '5')] },
            {},
            signing,
          );
          assert.equal(transferResponse.status, 200, transferResponse.text);
          assert.equal(running.sequencer.committedPosition, position + 1n);
        } finally {
          // Whatever failed: the first lets go of the lease, so the second can start and stop.
          await app.stop();
          await second.then((running) => running.close()).catch(() => undefined);
        }
        // The first instance's configuration starts again and takes the lease.
        await app.restart();
        const writer = (await app.db.query<{ writer_id: string }>('select writer_id from event_log_head'))[0]!
          .writer_id;
        assert.notEqual(writer, firstWriter);
        await assertLogConsistent(app);
        await assertMemoryMatchesDatabase(app);
      });

      it('with serveWhileWaiting, listens at once as a standby: 503 not_the_writer until it takes over', async () => {
        const a = newId();
        const b = newId();
        await createAccounts(app, [
          { id: a, currency: 'CNY' },
          { id: b, currency: 'CNY' },
        ]);
        const config = loadConfig({ ...app.env, YB_LEASE_MODE: 'wait' });
        const signing = { signer: app.operator };
        // A standby closed before it takes over: the wait ends, nothing hangs, `serving` says false.
        const closed = await startApp(config, { logger: false, serveWhileWaiting: true });
        assert.equal(closed.sequencer.phase, 'standby');
        await closed.close();
        assert.equal(await closed.serving, false);

        const standby = await startApp(config, { logger: false, serveWhileWaiting: true });
        try {
          assert.equal(standby.sequencer.phase, 'standby');
          const health = await request(standby.url, 'GET', '/health');
          assert.equal(health.status, 200, health.text);
          assert.equal(health.body.role, 'standby');
          assert.equal(health.body.writing, false);
          assertProblem(await request(standby.url, 'GET', '/ready'), 503, 'not_ready');
          const refused = await request(
            standby.url,
            'POST',
            '/v1/ledger/transfers',
            { transfers: [cny(a, b, '7')] },
            {},
            signing,
          );
          assertProblem(refused, 503, 'not_the_writer');
          assert.equal(refused.headers.get('retry-after'), '5');
          assert.deepEqual(await transfer(app, [cny(a, b, '100')]), ['ok'], 'the writer writes meanwhile');

          const position = await assertLogConsistent(app);
          await app.stop();
          assert.equal(await standby.serving, true);
          assert.equal(standby.sequencer.phase, 'serving');
          assert.equal(standby.sequencer.committedPosition, position);
          assert.equal((await request(standby.url, 'GET', '/ready')).status, 200);
          const account = await request(
            standby.url,
            'GET',
            `/v1/ledger/accounts/${b}`,
            undefined,
            {},
            signing,
          );
          assert.equal(account.body.creditsPosted.amountMinor, '100', 'the refused transfer did nothing');
          const accepted = await request(
            standby.url,
            'POST',
            '/v1/ledger/transfers',
            { transfers: [cny(a, b, '7')] },
            {},
            signing,
          );
          assert.equal(accepted.status, 200, accepted.text);
        } finally {
          await app.stop();
          await standby.close();
        }
        await app.restart();
        await assertLogConsistent(app);
        await assertMemoryMatchesDatabase(app);
      });
    },
  );
});
