import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, publicKeyToBase64url } from '../../src/platform/signatures/index.js';
import { createAccounts, newId, transfer, type TransferBody } from '../support/ledger-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A full replay reads the log in pages that PostgreSQL aggregates into a few text values each
 * (platform/sequencer/log-pages.ts). The state it rebuilds must be exactly the state built live:
 * compared here as the sequencer snapshots it (every module's state and the stream versions),
 * values, types (bigints beyond 2^53) and key order, over more than one page, with text outside
 * ASCII and JSON escapes in the data.
 */

/** The sequencer's whole state at the head, as its snapshot holds it. */
async function stateAtHead(
  app: TestApp,
): Promise<{ position: bigint; streamVersions: unknown; modules: unknown }> {
  await app.app.sequencer.takeSnapshot();
  const rows = await app.db.query<{ state: Buffer }>(
    'select state from snapshots where position = (select max(position) from snapshots) order by part',
  );
  assert.ok(rows.length > 0, 'a snapshot was written');
  // Only the snapshot taken here: the restart that follows must replay the whole log.
  await app.db.query('delete from snapshots');
  return v8.deserialize(Buffer.concat(rows.map((r) => r.state))) as never;
}

/** JSON with bigints marked, so that key order and bigint-vs-string differences both show. */
function ordered(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

describe('replay in aggregated pages', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { YB_SNAPSHOT_EVERY_EVENTS: '0' } });
  });
  after(async () => {
    await app?.close();
  });

  it('rebuilds exactly the state built live: bigints beyond 2^53, unicode, several pages', async () => {
    // Text outside ASCII (CJK, an astral emoji, U+2028), quotes, a backslash and a control
    // character in an institution's name: stored as the JSON that JSON.stringify wrote.
    const pair = generateKeyPair();
    const registered = await app.request('POST', '/v1/institutions', {
      id: 'PBOC',
      kind: 'central_bank',
      jurisdiction: 'CN',
      establishes: { name: '中国 (mainland) \u{1F3E6}', currency: 'CNY', timeZone: 'Asia/Shanghai' },
      name: '中国人民银行 "PBOC" \\ \u2028 é \u0007 \u{1F4B4}',
      keyId: 'PBOC-key-1',
      publicKey: publicKeyToBase64url(pair.publicKey),
    });
    assert.equal(registered.status, 201, registered.text);

    const accounts = Array.from({ length: 4 }, () => newId());
    await createAccounts(
      app,
      accounts.map((id) => ({ id, currency: 'CNY' })),
    );
    // 2^53 + 1 is the first integer a double cannot hold; 2^63 − 1 the largest user_data_64.
    const big = ['9007199254740993', '123456789012345678'];
    for (let request = 0; request < 2; request++) {
      const items: TransferBody[] = [];
      for (let i = 0; i < 4_500; i++) {
        items.push({
          id: newId(),
          debitAccountId: accounts[i % 4]!,
          creditAccountId: accounts[(i + 1 + (i % 3)) % 4]!,
          amountMinor: i % 100 === 0 ? big[(i / 100) % 2]! : String(1 + i),
          currency: 'CNY',
          code: 1,
          userData64: i % 7 === 0 ? '9223372036854775807' : String(i),
        });
      }
      assert.ok((await transfer(app, items)).every((r) => r === 'ok'));
    }

    const live = await stateAtHead(app);
    assert.ok(live.position > 8_000n, `more than one page of 8,000 events: ${live.position}`);
    await app.restart();
    assert.equal(app.app.sequencer.committedPosition, live.position);
    const rebuilt = await stateAtHead(app);
    assert.deepStrictEqual(rebuilt, live);
    assert.equal(ordered(rebuilt), ordered(live));
    assert.ok(ordered(live).includes('中国人民银行 \\"PBOC\\" \\\\ \u2028 é \\u0007 \u{1F4B4}'));
    assert.ok(ordered(live).includes('"9223372036854775807n"'));
  });

  it('reads a page whose stream ids hold a line feed row by row, to the same state', async () => {
    // The writer refuses line feeds in stream ids and types (it joins them with line feeds too);
    // an older log might hold one. Made by hand here (nothing is being written): the last event
    // moved to another stream.
    const position = app.app.sequencer.committedPosition;
    const [last] = await app.db.query<{ stream_id: string }>(
      'select stream_id from events where global_position = $1',
      [position.toString()],
    );
    const odd = `${last!.stream_id}\nodd`;
    await app.db.query('update events set stream_id = $1, stream_version = 1 where global_position = $2', [
      odd,
      position.toString(),
    ]);
    await app.restart();
    assert.equal(app.app.sequencer.committedPosition, position);
    const withLineFeed = await stateAtHead(app);
    assert.equal((withLineFeed.streamVersions as Array<[string, number]>).find(([s]) => s === odd)?.[1], 1);

    await app.db.query('update events set stream_id = $1 where global_position = $2', [
      `${last!.stream_id}-odd`,
      position.toString(),
    ]);
    await app.restart();
    const without = await stateAtHead(app);
    assert.deepStrictEqual(without.modules, withLineFeed.modules);
    assert.equal(ordered(without.modules), ordered(withLineFeed.modules));
  });
});
