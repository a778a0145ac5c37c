import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertLogConsistent,
  assertMemoryMatchesDatabase,
  balances,
  balancesOf,
  createAccounts,
  getAccount,
  newId,
  readEverything,
  transfer,
} from '../support/ledger-api.js';
import { startEmbeddedTestApp, type TestApp } from '../support/test-app.js';

/**
 * The embedded database (PGlite over a Unix socket, data in a directory) always, whatever
 * DATABASE_URL says: the service must work out of the box, and a restart must lose nothing.
 */
describe('embedded database', () => {
  let app: TestApp;
  const issuer = newId();
  const bank = newId();
  const other = newId();

  before(async () => {
    app = await startEmbeddedTestApp();
  });

  after(async () => {
    await app?.close();
  });

  it('serves /health from the embedded database', async () => {
    const response = await app.request('GET', '/health');
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ok');
    assert.equal(response.body.database, 'embedded');
    assert.equal(response.body.writing, true);
  });

  it('creates accounts, transfers and reads balances', async () => {
    await createAccounts(app, [
      { id: issuer, currency: 'CNY' },
      { id: bank, currency: 'CNY', flags: ['debitsMustNotExceedCredits'] },
      { id: other, currency: 'CNY' },
    ]);
    assert.deepEqual(
      await transfer(app, [
        {
          id: newId(),
          debitAccountId: issuer,
          creditAccountId: bank,
          amount: '1000.00',
          currency: 'CNY',
          code: 1,
        },
        {
          id: newId(),
          debitAccountId: bank,
          creditAccountId: other,
          amount: '250.50',
          currency: 'CNY',
          code: 1,
        },
        // More than the bank holds: refused by its flag, nothing moves.
        {
          id: newId(),
          debitAccountId: bank,
          creditAccountId: other,
          amount: '800',
          currency: 'CNY',
          code: 1,
        },
      ]),
      ['ok', 'ok', 'exceeds_credits'],
    );
    assert.deepEqual(await balancesOf(app, issuer), balances({ debitsPosted: 100_000n }));
    assert.deepEqual(
      await balancesOf(app, bank),
      balances({ debitsPosted: 25_050n, creditsPosted: 100_000n }),
    );
    assert.deepEqual(await balancesOf(app, other), balances({ creditsPosted: 25_050n }));
    const view = await getAccount(app, bank);
    assert.deepEqual(view.creditsPosted, { amount: '1000.00', amountMinor: '100000' });
    assert.deepEqual(view.debitsPosted, { amount: '250.50', amountMinor: '25050' });
    await assertMemoryMatchesDatabase(app);
  });

  it('keeps everything across a restart', async () => {
    const before = await readEverything(app);
    const position = await assertLogConsistent(app);
    await app.restart();
    assert.equal(app.app.sequencer.committedPosition, position);
    assert.deepEqual(await readEverything(app), before);
    await assertMemoryMatchesDatabase(app);

    // The rebuilt state decides as before: the bank still holds 749.50, no more.
    assert.deepEqual(
      await transfer(app, [
        {
          id: newId(),
          debitAccountId: bank,
          creditAccountId: other,
          amount: '749.51',
          currency: 'CNY',
          code: 1,
        },
        {
          id: newId(),
          debitAccountId: bank,
          creditAccountId: other,
          amount: '749.50',
          currency: 'CNY',
          code: 1,
        },
      ]),
      ['exceeds_credits', 'ok'],
    );
    assert.deepEqual(
      await balancesOf(app, bank),
      balances({ debitsPosted: 100_000n, creditsPosted: 100_000n }),
    );
    assert.equal(await assertLogConsistent(app), position + 2n);
    await assertMemoryMatchesDatabase(app);
  });
});
