import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readKeysFile, signerOf } from '../../src/institutions/bootstrap/keys-file.js';
import { canonicalText, fromHex, nextChain, verifyInclusion } from '../../src/audit/proof/audit-proof.mjs';
import { sha256, sha256Text } from '../../src/audit/proof/node-sha256.js';
import { verifyLog } from '../../src/audit/verify/log-verifier.js';
import { runCli } from '../support/cli.js';
import { assertEventProof } from '../support/event-proof-check.js';
import { openEventStream, type EventStreamClient, type StreamEvent } from '../support/event-stream-client.js';
import { keyFromBase64url } from '../../src/platform/signatures/index.js';
import {
  startTestApp,
  type Json,
  type Signer,
  type TestApp,
  type TestResponse,
} from '../support/test-app.js';

/**
 * The audit trail on the demo network (five jurisdictions, a regulator each): what each reader
 * may see, proofs a reader checks alone, and whole-log verification finding every kind of
 * tampering done to the database directly.
 */
describe('audit trail', () => {
  let app: TestApp;
  let dir: string;
  let signers: Record<string, Signer>;
  let cnThPayment: string;
  let cnHkPayment: string;
  let nodePublicKey: Uint8Array;

  const as = (id: string) => ({ as: signers[id]! });
  const get = (url: string, by: string) => app.request('GET', url, undefined, {}, as(by));
  const ok = (response: TestResponse, status = 200): Json => {
    assert.equal(response.status, status, response.text);
    return response.body;
  };
  const verify = async () => ok(await get('/v1/audit/verify', 'REG-CN'));

  async function pay(by: string, payee: string, amount: string): Promise<string> {
    const body = ok(
      await app.request(
        'POST',
        '/v1/payments',
        { payee: { bank: payee }, amount, currency: 'CNY', purpose: 'Invoice 7 (goods)' },
        { 'idempotency-key': randomUUID() },
        as(by),
      ),
      201,
    );
    assert.equal(body.status, 'settled', JSON.stringify(body));
    return body.id as string;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-audit-'));
    const keysFile = path.join(dir, 'keys.json');
    app = await startTestApp({ env: { YB_DEMO: 'on', YB_KEYS_FILE: keysFile, YB_OPERATOR_PUBLIC_KEY: '' } });
    const keys = readKeysFile(keysFile).institutions;
    signers = Object.fromEntries(Object.entries(keys).map(([id, entry]) => [id, signerOf(entry)]));
    nodePublicKey = keyFromBase64url(
      ok(await app.request('GET', '/v1/node-key', undefined, {}, { as: null })).publicKey,
    );
    cnThPayment = await pay('SILKCNBJ', 'SIAMTHBK', '1200.00');
    cnHkPayment = await pay('JADECNSH', 'VICTHKHX', '800.00');
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the whole log: every event re-hashed, every checkpoint signed by the node', async () => {
    const report = await verify();
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.equal(report.firstBreak, null);
    assert.equal(String(report.eventsChecked), report.head);
    assert.ok(report.checkpointsChecked > 1);
  });

  it('serves each event with a proof the reader checks alone against the node key', async () => {
    const nodeKey = ok(await app.request('GET', '/v1/node-key', undefined, {}, { as: null }));
    const publicKey = keyFromBase64url(nodeKey.publicKey);
    const page = ok(await get(`/v1/audit/events?paymentId=${cnThPayment}&limit=100`, 'REG-TH'));
    assert.ok(page.items.length >= 3, 'received, screened, settled at least');
    assert.ok(page.items.some((e: Json) => e.type === 'PaymentSettled'));
    for (const event of page.items) {
      assertEventProof(event, publicKey);
      assert.deepEqual(event.jurisdictions, ['CN', 'TH']);
    }
    const received = page.items.find((e: Json) => e.type === 'PaymentReceived');
    assert.equal(received.authorisedBy.keyId, signers.SILKCNBJ!.keyId);
    assert.match(received.authorisedBy.signature, /^sig1=:/);
    // A proof does not verify for another event's hash.
    const other = page.items.find((e: Json) => e !== received);
    assert.ok(
      !verifyInclusion(
        sha256,
        fromHex(other.hash),
        received.proof.leafIndex,
        received.proof.treeSize,
        received.proof.path.map(fromHex),
        fromHex(received.proof.checkpoint.merkleRoot),
      ),
    );
  });

  it('shows a regulator nothing of a payment between two other jurisdictions, by any route', async () => {
    for (const url of [
      `/v1/audit/events?paymentId=${cnThPayment}`,
      `/v1/audit/events?corridor=CN-TH`,
      `/v1/audit/events?institution=SILKCNBJ&limit=500`,
      `/v1/payments?limit=1000`,
    ]) {
      const body = ok(await get(url, 'REG-HK'));
      assert.ok(!JSON.stringify(body).includes(cnThPayment), url);
    }
    assert.equal((await get(`/v1/payments/${cnThPayment}`, 'REG-HK')).status, 404);
    // Not by position either: every position of the payment's events is "not found" for HK.
    const positions = (
      await app.db.query<{ p: string }>(
        `select global_position::text as p from events where stream_id = $1`,
        [`payment-${cnThPayment}`],
      )
    ).map((r) => r.p);
    assert.ok(positions.length > 0);
    for (const p of positions) {
      const refused = await get(`/v1/audit/events/${p}`, 'REG-HK');
      assert.equal(refused.status, 404);
      assert.equal(refused.body.code, 'event_not_found');
      assert.equal(ok(await get(`/v1/audit/events/${p}`, 'REG-TH')).position, p);
    }
    // Nor on the event stream, replayed from the start: the Thai regulator's stream carries the
    // payment, the Hong Kong regulator's does not (while it does carry the CN–HK one).
    const streams = await Promise.all(
      ['REG-HK', 'REG-TH'].map((id) =>
        openEventStream(app.url, '/v1/events/stream', signers[id]!, { 'last-event-id': '0' }),
      ),
    );
    try {
      const [hkStream, thStream] = streams as [EventStreamClient, EventStreamClient];
      const settled = (id: string) => (events: readonly StreamEvent[]) =>
        events.some((e) => e.event === 'PaymentSettled' && e.data.data?.paymentId === id);
      await thStream.until(settled(cnThPayment));
      await hkStream.until(settled(cnHkPayment));
      assert.ok(!JSON.stringify(hkStream.events).includes(cnThPayment));
    } finally {
      for (const stream of streams) stream.close();
    }
    // The HK regulator does see the CN–HK payment, and a Thai bank does not.
    const hk = ok(await get(`/v1/audit/events?paymentId=${cnHkPayment}`, 'REG-HK'));
    assert.ok(hk.items.length >= 3);
    const bank = ok(await get(`/v1/audit/events?paymentId=${cnHkPayment}`, 'SIAMTHBK'));
    assert.equal(bank.items.length, 0);
    // Everything a regulator is shown touches its jurisdiction.
    const all = ok(await get('/v1/audit/events?limit=500', 'REG-HK'));
    assert.ok(all.items.length > 0);
    for (const event of all.items) assert.ok(event.jurisdictions.includes('HK'), event.type);
  });

  it('filters by type, institution, corridor and position range, a page at a time', async () => {
    const settled = ok(await get('/v1/audit/events?type=PaymentSettled&corridor=CN-HK', 'REG-CN'));
    assert.deepEqual(
      settled.items.map((e: Json) => e.data.paymentId),
      [cnHkPayment],
    );
    const first = ok(await get('/v1/audit/events?limit=2&institution=PBOC', 'REG-CN'));
    assert.equal(first.items.length, 2);
    const second = ok(
      await get(`/v1/audit/events?limit=2&institution=PBOC&after=${first.nextCursor}`, 'REG-CN'),
    );
    assert.ok(BigInt(second.items[0].position) > BigInt(first.items[1].position));
    const range = ok(await get('/v1/audit/events?fromPosition=3&toPosition=5', 'OPERATOR'));
    assert.deepEqual(
      range.items.map((e: Json) => e.position),
      ['3', '4', '5'],
    );
    const refused = await get('/v1/audit/events?corridor=CNHK&limit=0&colour=red', 'REG-CN');
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body.errors.map((e: Json) => e.field).sort(), [
      '?/colour',
      '?corridor',
      '?limit',
    ]);
  });

  describe('finds tampering done to the database directly', () => {
    /** Runs `tamper`, checks verify reports `kind` at `position`, then `repair` and verifies again. */
    async function expectBreak(
      tamper: () => Promise<void>,
      repair: () => Promise<void>,
      kind: string,
      position: string | ((report: Json) => void),
    ) {
      await tamper();
      try {
        // The service's verification (hashes recomputed by the database) and the independent
        // one (every row re-hashed here) find the same first break.
        const independent = await verifyLog(
          [(sql, params) => app.db.query(sql, params)],
          () => nodePublicKey,
          { independent: true },
        );
        for (const report of [await verify(), independent]) {
          assert.equal(report.ok, false);
          assert.equal(report.firstBreak.kind, kind, JSON.stringify(report.firstBreak));
          if (typeof position === 'string') assert.equal(report.firstBreak.position, position);
          else position(report);
        }
        assert.equal(independent.firstBreak!.position, (await verify()).firstBreak.position);
      } finally {
        await repair();
      }
      assert.equal((await verify()).ok, true);
    }

    const row = async (p: string) =>
      (await app.db.query<Json>('select * from events where global_position = $1', [p]))[0];
    const settledPosition = async () =>
      (
        await app.db.query<{ p: string }>(
          `select global_position::text as p from events where type = 'PaymentSettled' and stream_id = $1`,
          [`payment-${cnThPayment}`],
        )
      )[0]!.p;

    it('an UPDATE of an amount', async () => {
      const p = await settledPosition();
      const original = (await row(p)).data;
      await expectBreak(
        () =>
          app.db
            .query(
              `update events set data = replace(data::text, '"120000"', '"1"')::json where global_position = $1`,
              [p],
            )
            .then(() => undefined),
        () =>
          app.db
            .query('update events set data = $2 where global_position = $1', [p, JSON.stringify(original)])
            .then(() => undefined),
        'altered',
        p,
      );
    });

    it('a DELETE of an event', async () => {
      const p = await settledPosition();
      const original = await row(p);
      await expectBreak(
        () => app.db.query('delete from events where global_position = $1', [p]).then(() => undefined),
        () => reinsert(original),
        'deleted',
        p,
      );
    });

    it('an INSERT of a forged event after the head, hashed and chained like the real ones', async () => {
      const last = await app.db.query<Json>('select * from events order by global_position desc limit 1');
      const head = String(last[0].global_position);
      const next = (BigInt(head) + 1n).toString();
      const recordedAt = new Date().toISOString();
      const data = JSON.stringify({ note: 'forged' });
      const metadata = JSON.stringify({ actor: 'PBOC' });
      const hash = sha256Text(
        canonicalText({
          streamId: 'forged-1',
          streamVersion: 1,
          type: 'PaymentSettled',
          recordedAt,
          data,
          metadata,
        }),
      );
      const chain = nextChain(sha256, new Uint8Array(last[0].chain), hash);
      await expectBreak(
        async () => {
          await app.db.query(
            `insert into events (global_position, stream_id, stream_version, type, data, metadata, recorded_at, hash, chain, institutions, jurisdictions)
             values ($1, 'forged-1', 1, 'PaymentSettled', $2, $3, $4, $5, $6, '{}', '{CN}')`,
            [next, data, metadata, recordedAt, Buffer.from(hash), Buffer.from(chain)],
          );
          await app.db.query('update event_log_head set position = $1', [next]);
        },
        async () => {
          await app.db.query('delete from events where global_position = $1', [next]);
          await app.db.query('update event_log_head set position = $1', [head]);
        },
        'inserted',
        next,
      );
    });

    it('two events swapped', async () => {
      const p = await settledPosition();
      const q = (BigInt(p) - 1n).toString();
      const swap = async () => {
        await app.db.query('update events set global_position = -1 where global_position = $1', [p]);
        await app.db.query('update events set global_position = $1 where global_position = $2', [p, q]);
        await app.db.query('update events set global_position = $1 where global_position = -1', [q]);
      };
      await expectBreak(swap, swap, 'reordered', q);
    });

    it('an event rewritten with its hash and chain recomputed: the signed checkpoint no longer matches', async () => {
      const last = await app.db.query<Json>('select * from events order by global_position desc limit 2');
      const [tail, before] = last;
      const p = String(tail.global_position);
      const metadata = JSON.stringify(tail.metadata);
      const data = JSON.stringify({ ...tail.data, rewritten: true });
      const recordedAt = new Date(tail.recorded_at).toISOString();
      const hash = sha256Text(
        canonicalText({
          streamId: tail.stream_id,
          streamVersion: tail.stream_version,
          type: tail.type,
          recordedAt,
          data,
          metadata,
        }),
      );
      const chain = nextChain(sha256, new Uint8Array(before.chain), hash);
      await expectBreak(
        () =>
          app.db
            .query('update events set data = $2, hash = $3, chain = $4 where global_position = $1', [
              p,
              data,
              Buffer.from(hash),
              Buffer.from(chain),
            ])
            .then(() => undefined),
        () =>
          app.db
            .query('update events set data = $2, hash = $3, chain = $4 where global_position = $1', [
              p,
              JSON.stringify(tail.data),
              tail.hash,
              tail.chain,
            ])
            .then(() => undefined),
        'altered',
        (report) => assert.ok(BigInt(report.firstBreak.position) <= BigInt(p)),
      );
    });

    it('a checkpoint changed: its signature no longer verifies', async () => {
      const [checkpoint] = await app.db.query<Json>(
        'select to_position::text as p, recorded_at from audit_checkpoints order by to_position limit 1',
      );
      await expectBreak(
        () =>
          app.db
            .query(
              `update audit_checkpoints set recorded_at = '2020-01-01T00:00:00.000Z' where to_position = $1`,
              [checkpoint.p],
            )
            .then(() => undefined),
        () =>
          app.db
            .query('update audit_checkpoints set recorded_at = $2 where to_position = $1', [
              checkpoint.p,
              checkpoint.recorded_at,
            ])
            .then(() => undefined),
        'bad_signature',
        '1',
      );
    });

    async function reinsert(original: Json) {
      await app.db.query(
        `insert into events (global_position, stream_id, stream_version, type, data, metadata, recorded_at, hash, chain, institutions, jurisdictions)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          String(original.global_position),
          original.stream_id,
          original.stream_version,
          original.type,
          JSON.stringify(original.data),
          JSON.stringify(original.metadata),
          original.recorded_at,
          original.hash,
          original.chain,
          original.institutions,
          original.jurisdictions,
        ],
      );
    }
  });

  it('is still writable and verifiable after all that', async () => {
    await pay('SILKCNBJ', 'SIAMTHBK', '10.00');
    assert.equal((await verify()).ok, true);
  });

  it('verifies from the command line, against the database or through the service', async (t) => {
    const cli = async (args: string[]) => {
      const { code, output } = await runCli(args, { YB_KEYS_FILE: path.join(dir, 'keys.json') });
      return { code, stdout: output };
    };
    const viaService = await cli(['audit', 'verify', '--url', app.url, '--as', 'REG-HK']);
    assert.equal(viaService.code, 0, viaService.stdout);
    assert.match(viaService.stdout, /^OK: \d+ events re-hashed, \d+ signed checkpoints verified/);
    if (app.kind !== 'postgres') {
      t.diagnostic('the embedded database is reachable only through the service');
      return;
    }
    const nodeKey = ok(await app.request('GET', '/v1/node-key', undefined, {}, { as: null }));
    const direct = [
      'audit',
      'verify',
      '--database-url',
      app.env.DATABASE_URL!,
      '--schema',
      app.env.YB_DB_SCHEMA!,
      // With `=`: a base64url key may start with '-', which would read as an option.
      `--node-public-key=${nodeKey.publicKey}`,
    ];
    assert.equal((await cli(direct)).code, 0);
    const p = (
      await app.db.query<{ p: string }>(
        `select max(global_position)::text as p from events where type = 'PaymentSettled'`,
      )
    )[0]!.p;
    await app.db.query(`update events set metadata = '{"actor":"nobody"}' where global_position = $1`, [p]);
    const broken = await cli(direct);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, new RegExp(`^BROKEN at position ${p}: altered: `));
    const usage = await cli(['audit', 'check']);
    assert.equal(usage.code, 2);
  });

  it('refuses the verification to a commercial bank', async () => {
    const refused = await get('/v1/audit/verify', 'SILKCNBJ');
    assert.equal(refused.status, 403);
  });

  it("travels in time: a currency's supply and where it sat, as of a past position", async () => {
    const receivedAt = (
      await app.db.query<{ p: string }>(
        `select min(global_position)::text as p from events where stream_id = $1`,
        [`payment-${cnThPayment}`],
      )
    )[0]!.p;
    const now = ok(await get('/v1/audit/supply', 'REG-CN'));
    const before = ok(await get(`/v1/audit/supply?asOf=${BigInt(receivedAt) - 1n}`, 'PBOC'));
    for (const view of [now, before]) {
      assert.equal(view.currency, 'CNY');
      assert.equal(view.supply.outstandingMinor, view.ledgerSupplyMinor);
      assert.ok(BigInt(view.supply.outstandingMinor) > 0n);
      // Double entry: every account's balance together is zero.
      const total = [...view.holdings, ...view.byAccountCode].reduce(
        (sum: bigint, h: Json) => sum + BigInt(h.balanceMinor),
        0n,
      );
      assert.equal(total, 0n);
    }
    const silk = (view: Json) =>
      view.holdings
        .filter((h: Json) => h.bank === 'SILKCNBJ')
        .reduce((sum: bigint, h: Json) => sum + BigInt(h.balanceMinor), 0n);
    assert.ok(silk(before) - silk(now) >= 120_000n, `${silk(before)} → ${silk(now)}`);
    assert.equal((await get('/v1/audit/supply?currency=CNY', 'REG-HK')).status, 403);
    assert.equal((await get('/v1/audit/supply', 'SILKCNBJ')).status, 403);
    assert.equal((await get('/v1/audit/supply', 'OPERATOR')).status, 400);
  });

  it("sums cross-border flows per corridor within the caller's scope", async () => {
    const th = ok(await get('/v1/audit/flows', 'REG-TH'));
    assert.deepEqual(
      th.items.map((f: Json) => [f.corridor, f.sellCurrency, f.buyCurrency]),
      [['CN-TH', 'CNY', 'THB']],
    );
    assert.ok(th.items[0].payments >= 1);
    const hk = ok(await get('/v1/audit/flows', 'REG-HK'));
    assert.ok(hk.items.every((f: Json) => f.corridor.includes('HK')));
  });

  it("exports the caller's share as JSON Lines or CSV, with the checkpoints that cover it", async () => {
    const th = await get('/v1/audit/export?format=jsonl', 'REG-TH');
    assert.equal(th.status, 200);
    const records = th.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(records.some((r) => r.record === 'event' && r.streamId === `payment-${cnThPayment}`));
    const checkpoints = records.filter((r) => r.record === 'checkpoint');
    assert.ok(checkpoints.length > 0);
    for (const r of records.filter((r) => r.record === 'event')) {
      assert.ok(r.jurisdictions.includes('TH'));
      assert.ok(
        checkpoints.some((c) => BigInt(c.from) < BigInt(r.position) && BigInt(c.to) >= BigInt(r.position)),
      );
    }
    const hk = await get('/v1/audit/export?format=csv', 'REG-HK');
    assert.equal(hk.status, 200);
    assert.match(hk.text, /^record,position,type,/);
    assert.ok(!hk.text.includes(cnThPayment));
    assert.ok(hk.text.includes(cnHkPayment));
    assert.equal((await get('/v1/audit/export?format=xml', 'REG-HK')).status, 400);
  });
});
