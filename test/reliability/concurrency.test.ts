import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { bankWalletAccountId } from '../../src/institutions/domain/chart-of-accounts.js';
import { balanceOf, fundBankWallet } from '../support/issuance-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { reportFigures, setting } from './support/figures.js';
import { rawRequest, type RawResponse } from './support/raw-http.js';

/**
 * Load and concurrency against the in-process service: many signed requests in flight at once
 * (through a pool of 256 sockets), each with its own signature (the replay guard refuses a
 * signature seen twice, so every retry is signed anew, as a client's retry would be).
 */
describe('concurrency', () => {
  let app: TestApp;
  let net: TestNetwork;
  // No keep-alive: with thousands queued, a socket the server closes as idle (keepAliveTimeout)
  // just as the client reuses it is reset — a client-side race, not the service's answer.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 256 });

  before(async () => {
    app = await startTestApp();
    net = await setUpNetwork(app);
  });
  after(async () => {
    agent.destroy();
    await app?.close();
  });

  const transfer = (amountMinor: string, key: string, to = 'BANKCN1.CNY'): Promise<RawResponse> =>
    rawRequest(app.url, 'POST', '/v1/wallets/transfers', {
      body: JSON.stringify({ from: 'BANKCN2.CNY', to, amountMinor }),
      headers: { 'idempotency-key': key },
      signer: net.as('BANKCN2'),
      agent,
    });

  const ledgerTransfers = () => app.db.scalar('select count(*) from ledger_transfers where code = 200');

  it('1,000 concurrent attempts to spend one balance: exactly the funded number succeed', async () => {
    const attempts = setting('YB_CONCURRENT_SPENDS', 1_000, 1_000);
    const funded = 137;
    const each = 1_000n;
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', BigInt(funded) * each);
    const before = await ledgerTransfers();
    const responses = await Promise.all(
      Array.from({ length: attempts }, () => transfer(each.toString(), randomUUID())),
    );
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 422);
    assert.equal(ok.length, funded, 'exactly the funded number of spends succeed');
    assert.equal(refused.length, attempts - funded, 'every other attempt is refused');
    for (const r of refused) {
      assert.equal(r.headers['content-type']?.split(';')[0], 'application/problem+json');
      assert.equal(r.body.code, 'insufficient_funds', r.text);
    }
    assert.equal(await balanceOf(app, bankWalletAccountId('BANKCN2', 'CNY')), 0n);
    assert.equal(await balanceOf(app, bankWalletAccountId('BANKCN1', 'CNY')), BigInt(funded) * each);
    assert.equal(await ledgerTransfers(), before + BigInt(funded));
    reportFigures('concurrent-spend', { attempts, funded, succeeded: ok.length, violations: 0 });
  });

  it('one request retried 10,000 times at once with one key: one effect, the same reply', async () => {
    const retries = setting('YB_IDEMPOTENT_RETRIES', 2_000, 10_000);
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 5_000n);
    const before = await ledgerTransfers();
    const cn1 = await balanceOf(app, bankWalletAccountId('BANKCN1', 'CNY'));
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: retries }, () => transfer('777', key)));
    const statuses = new Map<number, number>();
    for (const r of responses) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    assert.deepEqual([...statuses], [[200, retries]], 'every retry is answered 200');
    const first = responses.filter((r) => r.headers['idempotent-replayed'] !== 'true');
    assert.equal(first.length, 1, 'exactly one answer is not a replay');
    for (const r of responses) assert.equal(r.text, first[0]!.text, 'every retry gets the same reply');
    assert.equal(await ledgerTransfers(), before + 1n, 'one effect');
    assert.equal(await balanceOf(app, bankWalletAccountId('BANKCN1', 'CNY')), cn1 + 777n);

    // The same key with another body is refused, and writes nothing.
    const events = await app.db.scalar('select count(*) from events');
    const reused = await transfer('778', key);
    assert.equal(reused.status, 409, reused.text);
    assert.equal(reused.body.code, 'idempotency_key_reused');
    assert.equal(reused.headers['content-type']?.split(';')[0], 'application/problem+json');
    assert.equal(await app.db.scalar('select count(*) from events'), events);
    reportFigures('idempotent-retries', { retries, effects: 1, distinctReplies: 1, violations: 0 });
  });

  it('one key, two bodies, at once: one body wins everywhere, the other is refused everywhere', async () => {
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 5_000n);
    const before = await ledgerTransfers();
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 400 }, (_, i) => transfer(i % 2 === 0 ? '11' : '12', key)),
    );
    const winners = new Set(
      responses.filter((r) => r.status === 200).map((r) => r.body.amountMinor as string),
    );
    assert.equal(winners.size, 1, 'one body won');
    const winner = [...winners][0]!;
    for (const [i, r] of responses.entries()) {
      const mine = i % 2 === 0 ? '11' : '12';
      if (mine === winner) assert.equal(r.status, 200, r.text);
      else assert.equal(r.body.code, 'idempotency_key_reused', r.text);
    }
    assert.equal(await ledgerTransfers(), before + 1n);
  });
});
