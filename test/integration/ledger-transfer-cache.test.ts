import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerSequencedModule } from '../../src/ledger/ledger.sequenced-module.js';
import {
  assertMemoryMatchesDatabase,
  assertProblem,
  balances,
  balancesOf,
  createAccounts,
  newId,
  postTransfers,
  transfer,
  type TransferBody,
} from '../support/ledger-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * With a transfer cache of 3, settled transfers leave memory almost at once; every rule that
 * needs an old transfer (idempotency by id, post/void of a resolved pending transfer) must then
 * work through the prefetch from ledger_transfers, before and after a restart.
 */
describe('bounded transfer cache with prefetch', () => {
  let app: TestApp;
  const bank = newId();
  const provider = newId();
  const cny = (id: string, amount: string, extra: Partial<TransferBody> = {}): TransferBody => ({
    id,
    debitAccountId: provider,
    creditAccountId: bank,
    amount,
    currency: 'CNY',
    code: 1,
    ...extra,
  });
  const first = newId();
  const reserved = newId();
  const posted = newId();
  const stillOpen = newId();

  before(async () => {
    app = await startTestApp({ env: { YB_TRANSFER_CACHE_SIZE: '3', YB_SNAPSHOT_EVERY_EVENTS: '7' } });
    await createAccounts(app, [
      { id: bank, currency: 'CNY', flags: ['debitsMustNotExceedCredits'] },
      { id: provider, currency: 'CNY' },
    ]);
    assert.deepEqual(await transfer(app, [cny(first, '10.00')]), ['ok']);
    assert.deepEqual(await transfer(app, [cny(reserved, '5.00', { flags: ['pending'] })]), ['ok']);
    assert.deepEqual(
      await transfer(app, [{ id: posted, pendingId: reserved, flags: ['postPendingTransfer'] }]),
      ['ok'],
    );
    assert.deepEqual(await transfer(app, [cny(stillOpen, '1.00', { flags: ['pending'], timeout: 3600 })]), [
      'ok',
    ]);
    // Push the early transfers out of memory.
    for (let i = 0; i < 10; i++) assert.deepEqual(await transfer(app, [cny(newId(), '0.01')]), ['ok']);
  });

  after(async () => {
    await app?.close();
  });

  const ledger = () => app.app.app.get(LedgerSequencedModule);

  for (const phase of ['running', 'after a restart']) {
    it(`answers from the read model for evicted transfers (${phase})`, async () => {
      if (phase === 'after a restart') await app.restart();
      const state = ledger().state;
      assert.equal(ledger().holdsAllTransfers, false, 'settled transfers were evicted');
      assert.ok(
        state.transfers.size <= 4,
        `memory holds at most the cache plus open pending (${state.transfers.size})`,
      );
      assert.ok(state.transfers.has(stillOpen), 'an open pending transfer never leaves memory');

      // Idempotency by id still sees evicted transfers.
      assert.deepEqual(await transfer(app, [cny(first, '10.00')]), ['exists']);
      const changed = await postTransfers(app, [cny(first, '10.01')]);
      const problem = assertProblem(changed, 422, 'transfer_batch_invalid');
      assert.equal(problem.errors?.[0]?.code, 'exists_with_different_amount');
      // A resolved pending transfer that left memory is still known as posted.
      assert.deepEqual(
        await transfer(app, [{ id: newId(), pendingId: reserved, flags: ['voidPendingTransfer'] }]),
        ['pending_transfer_already_posted'],
      );
      assert.deepEqual(
        await transfer(app, [{ id: posted, pendingId: reserved, flags: ['postPendingTransfer'] }]),
        ['exists'],
      );
      await assertMemoryMatchesDatabase(app);
    });
  }

  it('keeps balances exact through eviction and prefetch', async () => {
    // 10.00 + 5.00 posted + 10 × 0.01, and 1.00 still reserved.
    assert.deepEqual(await balancesOf(app, bank), balances({ creditsPosted: 1510n, creditsPending: 100n }));
    assert.deepEqual(
      await transfer(app, [{ id: newId(), pendingId: stillOpen, flags: ['voidPendingTransfer'] }]),
      ['ok'],
    );
    assert.deepEqual(await balancesOf(app, bank), balances({ creditsPosted: 1510n }));
    await assertMemoryMatchesDatabase(app);
  });
});
