import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertLogConsistent,
  assertMemoryMatchesDatabase,
  assertProblem,
  balances,
  balancesOf,
  createAccounts,
  getAccount,
  getTransfer,
  newId,
  postAccounts,
  postTransfers,
  transfer,
  writeMark,
  type TransferBody,
  type TransferView,
} from '../support/ledger-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { setUpNetwork } from '../support/network.js';
import {
  bankWalletAccountId,
  cbdcIssuanceAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';

/** The ledger's REST API end to end: HTTP → sequencer → PostgreSQL (or the embedded one) → HTTP. */
describe('ledger over HTTP', () => {
  let app: TestApp;

  // CNY: an issuer that may go negative and two banks that cannot overdraw.
  const cnyIssuer = newId();
  const bankA = newId();
  const bankB = newId();
  const jpyIssuer = newId();
  const jpyBank = newId();
  const kwdIssuer = newId();
  const kwdBank = newId();
  const usdAccount = newId();

  const cny = (
    id: string,
    debit: string,
    credit: string,
    amount: string,
    extra: Partial<TransferBody> = {},
  ) => ({
    id,
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    currency: 'CNY',
    code: 1,
    ...extra,
  });

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app?.close();
  });

  describe('accounts', () => {
    it('creates accounts in several currencies and shows them with zero balances', async () => {
      const response = await postAccounts(app, [
        { id: cnyIssuer, currency: 'CNY', code: 1010 },
        { id: bankA, currency: 'CNY', code: 1020, flags: ['debitsMustNotExceedCredits'] },
        { id: bankB, currency: 'CNY', code: 1020, flags: ['debitsMustNotExceedCredits'] },
        { id: jpyIssuer, currency: 'JPY', code: 1010 },
        { id: jpyBank, currency: 'JPY', code: 1020, flags: ['debitsMustNotExceedCredits'] },
        { id: kwdIssuer, currency: 'KWD', code: 1010 },
        { id: kwdBank, currency: 'KWD', code: 1020 },
        { id: usdAccount, currency: 'USD', code: 1020, userData64: '42', userData32: 7 },
      ]);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.results.length, 8);
      response.body.results.forEach((r, index) => {
        assert.equal(r.index, index);
        assert.equal(r.result, 'ok');
      });
      assert.equal(response.body.results[1]!.id, bankA);

      const a = await getAccount(app, bankA);
      assert.equal(a.id, bankA);
      assert.equal(a.currency, 'CNY');
      assert.equal(a.code, 1020);
      assert.deepEqual(a.flags, ['debitsMustNotExceedCredits']);
      assert.deepEqual(a.debitsPosted, { amount: '0.00', amountMinor: '0' });
      assert.deepEqual((await getAccount(app, jpyBank)).creditsPosted, { amount: '0', amountMinor: '0' });
      assert.deepEqual((await getAccount(app, kwdBank)).creditsPending, {
        amount: '0.000',
        amountMinor: '0',
      });
      const usd = await getAccount(app, usdAccount);
      assert.equal(usd.currency, 'USD');
      assert.equal((usd as unknown as { userData64: string }).userData64, '42');
      assert.equal((usd as unknown as { userData32: number }).userData32, 7);
    });

    it('answers `exists` to the same account again and writes nothing', async () => {
      const mark = await writeMark(app);
      const response = await postAccounts(app, [
        { id: bankA, currency: 'CNY', code: 1020, flags: ['debitsMustNotExceedCredits'] },
      ]);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.results[0]!.result, 'exists');
      assert.deepEqual(await writeMark(app), mark);
    });

    it('refuses an account that differs from the existing one with 422, writing nothing', async () => {
      const mark = await writeMark(app);
      const fresh = newId();
      const response = await postAccounts(app, [
        { id: fresh, currency: 'CNY', code: 1 },
        { id: bankA, currency: 'CNY', code: 1021, flags: ['debitsMustNotExceedCredits'] },
      ]);
      const problem = assertProblem(response, 422, 'account_batch_invalid');
      assert.deepEqual(
        problem.errors?.map((e) => [e.index, e.code]),
        [[1, 'exists_with_different_code']],
      );
      assert.deepEqual(await writeMark(app), mark);
      assertProblem(await app.request('GET', `/v1/ledger/accounts/${fresh}`), 404, 'account_not_found');
    });
  });

  describe('transfers', () => {
    it('moves money single-phase and updates both balances', async () => {
      const t1 = newId();
      const t2 = newId();
      assert.deepEqual(
        await transfer(app, [cny(t1, cnyIssuer, bankA, '1000.00'), cny(t2, bankA, bankB, '123.45')]),
        ['ok', 'ok'],
      );
      assert.deepEqual(await balancesOf(app, cnyIssuer), balances({ debitsPosted: 100_000n }));
      assert.deepEqual(
        await balancesOf(app, bankA),
        balances({ debitsPosted: 12_345n, creditsPosted: 100_000n }),
      );
      assert.deepEqual(await balancesOf(app, bankB), balances({ creditsPosted: 12_345n }));
      const view = await getAccount(app, bankA);
      assert.deepEqual(view.debitsPosted, { amount: '123.45', amountMinor: '12345' });
      assert.deepEqual(view.creditsPosted, { amount: '1000.00', amountMinor: '100000' });
    });

    it('formats 0-decimal (JPY) and 3-decimal (KWD) amounts', async () => {
      const yen = newId();
      const dinar = newId();
      const fils = newId();
      assert.deepEqual(
        await transfer(app, [
          {
            id: yen,
            debitAccountId: jpyIssuer,
            creditAccountId: jpyBank,
            amount: '123456',
            currency: 'JPY',
            code: 1,
          },
          {
            id: dinar,
            debitAccountId: kwdIssuer,
            creditAccountId: kwdBank,
            amount: '1.234',
            currency: 'KWD',
            code: 1,
          },
          // Minor units: 5 fils = 0.005 KWD.
          {
            id: fils,
            debitAccountId: kwdIssuer,
            creditAccountId: kwdBank,
            amountMinor: '5',
            currency: 'KWD',
            code: 1,
          },
        ]),
        ['ok', 'ok', 'ok'],
      );
      assert.deepEqual((await getAccount(app, jpyBank)).creditsPosted, {
        amount: '123456',
        amountMinor: '123456',
      });
      assert.deepEqual((await getAccount(app, kwdBank)).creditsPosted, {
        amount: '1.239',
        amountMinor: '1239',
      });
      assert.deepEqual((await getAccount(app, kwdIssuer)).debitsPosted, {
        amount: '1.239',
        amountMinor: '1239',
      });

      const yenView = await getTransfer(app, yen);
      assert.equal(yenView.amount, '123456');
      assert.equal(yenView.amountMinor, '123456');
      const filsView = await getTransfer(app, fils);
      assert.equal(filsView.amount, '0.005');
      assert.equal(filsView.amountMinor, '5');
      assert.equal(filsView.currency, 'KWD');
    });

    it('takes the largest amount (2^63-1 minor units) and refuses to overflow past it', async () => {
      const from = newId();
      const to = newId();
      await createAccounts(app, [
        { id: from, currency: 'JPY' },
        { id: to, currency: 'JPY' },
      ]);
      const big = { debitAccountId: from, creditAccountId: to, currency: 'JPY', code: 1 };
      assert.deepEqual(
        await transfer(app, [
          { id: newId(), ...big, amountMinor: '9223372036854775807' },
          { id: newId(), ...big, amountMinor: '1' },
        ]),
        ['ok', 'overflows_debits_posted'],
      );
      assert.deepEqual((await getAccount(app, to)).creditsPosted, {
        amount: '9223372036854775807',
        amountMinor: '9223372036854775807',
      });
    });

    it('answers `exists` to the same transfer again and writes nothing', async () => {
      const id = newId();
      assert.deepEqual(await transfer(app, [cny(id, cnyIssuer, bankB, '1.00')]), ['ok']);
      const mark = await writeMark(app);
      const before = await balancesOf(app, bankB);
      assert.deepEqual(await transfer(app, [cny(id, cnyIssuer, bankB, '1.00')]), ['exists']);
      assert.deepEqual(await writeMark(app), mark);
      assert.deepEqual(await balancesOf(app, bankB), before);
    });

    it('applies a linked chain all or nothing', async () => {
      const a = await balancesOf(app, bankA);
      const b = await balancesOf(app, bankB);
      const issuer = await balancesOf(app, cnyIssuer);
      const mark = await writeMark(app);
      const [t1, t2, t3] = [newId(), newId(), newId()];
      // The last leg overdraws bank B: the whole chain fails and nothing of it is recorded.
      assert.deepEqual(
        await transfer(app, [
          cny(t1, cnyIssuer, bankA, '10.00', { flags: ['linked'] }),
          cny(t2, bankA, bankB, '20.00', { flags: ['linked'] }),
          cny(t3, bankB, bankA, '1000000.00'),
        ]),
        ['linked_event_failed', 'linked_event_failed', 'exceeds_credits'],
      );
      assert.deepEqual(await balancesOf(app, bankA), a);
      assert.deepEqual(await balancesOf(app, bankB), b);
      assert.deepEqual(await balancesOf(app, cnyIssuer), issuer);
      assert.deepEqual(await writeMark(app), mark);
      for (const id of [t1, t2, t3]) {
        assertProblem(await app.request('GET', `/v1/ledger/transfers/${id}`), 404, 'transfer_not_found');
      }

      // A failed chain left no trace: the same ids, now affordable, go through as a whole.
      assert.deepEqual(
        await transfer(app, [
          cny(t1, cnyIssuer, bankA, '10.00', { flags: ['linked'] }),
          cny(t2, bankA, bankB, '20.00', { flags: ['linked'] }),
          cny(t3, bankB, bankA, '5.00'),
        ]),
        ['ok', 'ok', 'ok'],
      );
      assert.deepEqual(
        await balancesOf(app, bankA),
        balances({ debitsPosted: a.debitsPosted + 2_000n, creditsPosted: a.creditsPosted + 1_000n + 500n }),
      );
      assert.deepEqual(
        await balancesOf(app, bankB),
        balances({ debitsPosted: b.debitsPosted + 500n, creditsPosted: b.creditsPosted + 2_000n }),
      );
      assert.deepEqual(
        await balancesOf(app, cnyIssuer),
        balances({ debitsPosted: issuer.debitsPosted + 1_000n }),
      );
      assert.equal((await writeMark(app)).events, mark.events + 3n);
    });

    it('reserves with a pending transfer, then posts part of it', async () => {
      const a = await balancesOf(app, bankA);
      const b = await balancesOf(app, bankB);
      const pending = newId();
      const post = newId();
      assert.deepEqual(await transfer(app, [cny(pending, bankA, bankB, '100.00', { flags: ['pending'] })]), [
        'ok',
      ]);
      assert.deepEqual(await balancesOf(app, bankA), { ...a, debitsPending: a.debitsPending + 10_000n });
      assert.deepEqual(await balancesOf(app, bankB), { ...b, creditsPending: b.creditsPending + 10_000n });
      assert.equal((await getTransfer(app, pending)).pendingStatus, 'pending');

      // Post 60 of the 100 reserved: the whole reservation is released, 60 moves.
      assert.deepEqual(
        await transfer(app, [
          { id: post, pendingId: pending, amount: '60.00', currency: 'CNY', flags: ['postPendingTransfer'] },
        ]),
        ['ok'],
      );
      assert.deepEqual(await balancesOf(app, bankA), { ...a, debitsPosted: a.debitsPosted + 6_000n });
      assert.deepEqual(await balancesOf(app, bankB), { ...b, creditsPosted: b.creditsPosted + 6_000n });
      assert.equal((await getTransfer(app, pending)).pendingStatus, 'posted');
      const postView = await getTransfer(app, post);
      assert.equal(postView.pendingId, pending);
      assert.equal(postView.debitAccountId, bankA, 'inherited from the pending transfer');
      assert.equal(postView.creditAccountId, bankB);
      assert.equal(postView.amountMinor, '6000');
      assert.deepEqual(postView.flags, ['postPendingTransfer']);

      // It can be resolved only once.
      assert.deepEqual(
        await transfer(app, [
          { id: newId(), pendingId: pending, flags: ['postPendingTransfer'] },
          { id: newId(), pendingId: pending, flags: ['voidPendingTransfer'] },
        ]),
        ['pending_transfer_already_posted', 'pending_transfer_already_posted'],
      );
    });

    it('reserves with a pending transfer, then voids it', async () => {
      const a = await balancesOf(app, bankA);
      const b = await balancesOf(app, bankB);
      const pending = newId();
      assert.deepEqual(await transfer(app, [cny(pending, bankA, bankB, '7.77', { flags: ['pending'] })]), [
        'ok',
      ]);
      assert.deepEqual(await balancesOf(app, bankA), { ...a, debitsPending: a.debitsPending + 777n });
      const voidId = newId();
      assert.deepEqual(
        await transfer(app, [{ id: voidId, pendingId: pending, flags: ['voidPendingTransfer'] }]),
        ['ok'],
      );
      assert.deepEqual(await balancesOf(app, bankA), a);
      assert.deepEqual(await balancesOf(app, bankB), b);
      assert.equal((await getTransfer(app, pending)).pendingStatus, 'voided');
      assert.equal((await getTransfer(app, voidId)).amountMinor, '777');
      assert.deepEqual(
        await transfer(app, [{ id: newId(), pendingId: pending, flags: ['postPendingTransfer'] }]),
        ['pending_transfer_already_voided'],
      );
    });

    it('counts a reservation against the limit of an account that cannot overdraw', async () => {
      const payer = newId();
      const payee = newId();
      await createAccounts(app, [
        { id: payer, currency: 'CNY', flags: ['debitsMustNotExceedCredits'] },
        { id: payee, currency: 'CNY' },
      ]);
      const pending = newId();
      assert.deepEqual(
        await transfer(app, [
          cny(newId(), cnyIssuer, payer, '50.00'),
          cny(pending, payer, payee, '40.00', { flags: ['pending'] }),
          cny(newId(), payer, payee, '10.01'),
          cny(newId(), payer, payee, '10.00'),
        ]),
        ['ok', 'ok', 'exceeds_credits', 'ok'],
      );
      assert.deepEqual(
        await balancesOf(app, payer),
        balances({ debitsPending: 4_000n, debitsPosted: 1_000n, creditsPosted: 5_000n }),
      );
    });

    it('reads a transfer by id', async () => {
      const id = newId();
      const userData128 = newId();
      assert.deepEqual(
        await transfer(app, [
          cny(id, cnyIssuer, bankB, '3.21', {
            code: 77,
            userData128,
            userData64: '9007199254740993',
            userData32: 5,
          }),
        ]),
        ['ok'],
      );
      const view = await getTransfer(app, id);
      assert.equal(view.id, id);
      assert.equal(view.debitAccountId, cnyIssuer);
      assert.equal(view.creditAccountId, bankB);
      assert.equal(view.amount, '3.21');
      assert.equal(view.amountMinor, '321');
      assert.equal(view.currency, 'CNY');
      assert.equal(view.code, 77);
      assert.deepEqual(view.flags, []);
      assert.equal(view.pendingId, null);
      assert.equal(view.timeout, 0);
      const extra = view as unknown as { userData128: string; userData64: string; userData32: number };
      assert.equal(extra.userData128, userData128);
      assert.equal(extra.userData64, '9007199254740993', 'user_data_64 keeps all 64 bits');
      assert.equal(extra.userData32, 5);
      assert.equal(view.pendingStatus, undefined);
      assert.match(view.timestamp, /^[0-9]+$/);
      const [row] = await app.db.query<{ global_position: string }>(
        'select global_position from ledger_transfers where id = $1',
        [id],
      );
      assert.equal(view.position, row!.global_position);
      // Upper-case ids are the same ids.
      assert.equal((await getTransfer(app, id.toUpperCase())).id, id);
      assertProblem(await app.request('GET', `/v1/ledger/transfers/${newId()}`), 404, 'transfer_not_found');
      assertProblem(await app.request('GET', `/v1/ledger/accounts/${newId()}`), 404, 'account_not_found');
    });

    it("pages through an account's transfers with a cursor", async () => {
      const owner = newId();
      const counterparty = newId();
      await createAccounts(app, [
        { id: owner, currency: 'CNY' },
        { id: counterparty, currency: 'CNY' },
      ]);
      const ids = Array.from({ length: 7 }, () => newId());
      // Debits and credits of the account alike, across two requests.
      assert.deepEqual(
        await transfer(
          app,
          ids
            .slice(0, 4)
            .map((id, i) =>
              i % 2 === 0
                ? cny(id, owner, counterparty, `${i + 1}.00`)
                : cny(id, counterparty, owner, `${i + 1}.00`),
            ),
        ),
        ['ok', 'ok', 'ok', 'ok'],
      );
      assert.deepEqual(
        await transfer(
          app,
          ids.slice(4).map((id, i) => cny(id, counterparty, owner, `${i + 5}.00`)),
        ),
        ['ok', 'ok', 'ok'],
      );
      // Someone else's transfer does not show.
      assert.deepEqual(await transfer(app, [cny(newId(), cnyIssuer, counterparty, '1.00')]), ['ok']);

      type Page = { items: TransferView[]; nextCursor: string | null };
      const pages: Page[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=3${cursor === null ? '' : `&after=${cursor}`}`;
        const response = await app.request<Page>('GET', `/v1/ledger/accounts/${owner}/transfers${query}`);
        assert.equal(response.status, 200, response.text);
        pages.push(response.body);
        cursor = response.body.nextCursor;
        assert.ok(pages.length <= 3, 'no more than three pages');
      } while (cursor !== null);
      assert.deepEqual(
        pages.map((p) => p.items.length),
        [3, 3, 1],
      );
      assert.equal(pages[0]!.nextCursor, pages[0]!.items[2]!.timestamp);
      assert.deepEqual(
        pages.flatMap((p) => p.items.map((t) => t.id)),
        ids,
        'every transfer once, in the order they were recorded',
      );
      const timestamps = pages.flatMap((p) => p.items.map((t) => BigInt(t.timestamp)));
      assert.ok(timestamps.every((t, i) => i === 0 || t > timestamps[i - 1]!));
      assert.deepEqual(pages[0]!.items[1]!.creditAccountId, owner);

      const all = await app.request<Page>('GET', `/v1/ledger/accounts/${owner}/transfers`);
      assert.equal(all.body.items.length, 7);
      assert.equal(all.body.nextCursor, null);
      assertProblem(
        await app.request('GET', `/v1/ledger/accounts/${owner}/transfers?limit=0`),
        400,
        'invalid_request',
      );
      assertProblem(
        await app.request('GET', `/v1/ledger/accounts/${owner}/transfers?after=abc`),
        400,
        'invalid_request',
      );
      assertProblem(
        await app.request('GET', `/v1/ledger/accounts/${newId()}/transfers`),
        404,
        'account_not_found',
      );
    });

    it('reads balances as of a past position, before and after a pending transfer was posted', async () => {
      const payer = newId();
      const payee = newId();
      await createAccounts(app, [
        { id: payer, currency: 'KWD' },
        { id: payee, currency: 'KWD' },
      ]);
      const created = BigInt(
        (
          await app.db.query<{ p: string }>(
            'select created_position as p from ledger_accounts where id = $1',
            [payer],
          )
        )[0]!.p,
      );
      const single = newId();
      const pending = newId();
      const post = newId();
      assert.deepEqual(
        await transfer(app, [
          {
            id: single,
            debitAccountId: payer,
            creditAccountId: payee,
            amount: '1.000',
            currency: 'KWD',
            code: 1,
          },
        ]),
        ['ok'],
      );
      assert.deepEqual(
        await transfer(app, [
          {
            id: pending,
            debitAccountId: payer,
            creditAccountId: payee,
            amount: '2.500',
            currency: 'KWD',
            code: 1,
            flags: ['pending'],
          },
        ]),
        ['ok'],
      );
      // Unrelated traffic in between, so that positions differ from the account's own history.
      assert.deepEqual(await transfer(app, [cny(newId(), cnyIssuer, bankA, '1.00')]), ['ok']);
      assert.deepEqual(
        await transfer(app, [
          { id: post, pendingId: pending, amountMinor: '2000', flags: ['postPendingTransfer'] },
        ]),
        ['ok'],
      );
      const pSingle = BigInt((await getTransfer(app, single)).position);
      const pPending = BigInt((await getTransfer(app, pending)).position);
      const pPost = BigInt((await getTransfer(app, post)).position);
      assert.ok(created < pSingle && pSingle < pPending && pPending + 1n < pPost);

      const at = async (position: bigint) => {
        const view = await getAccount(app, payer, position);
        assert.equal(view.asOfPosition, position.toString());
        return { debitsPending: view.debitsPending.amountMinor, debitsPosted: view.debitsPosted.amountMinor };
      };
      assert.deepEqual(await at(created), { debitsPending: '0', debitsPosted: '0' });
      assert.deepEqual(await at(pSingle), { debitsPending: '0', debitsPosted: '1000' });
      assert.deepEqual(await at(pPending), { debitsPending: '2500', debitsPosted: '1000' });
      assert.deepEqual(await at(pPost - 1n), { debitsPending: '2500', debitsPosted: '1000' });
      assert.deepEqual(await at(pPost), { debitsPending: '0', debitsPosted: '3000' });
      const now = await getAccount(app, payee);
      const asOfHead = await getAccount(app, payee, app.app.sequencer.committedPosition);
      assert.deepEqual(asOfHead.creditsPosted, now.creditsPosted);
      assert.deepEqual(asOfHead.creditsPending, now.creditsPending);
      assert.deepEqual(asOfHead.creditsPosted, { amount: '3.000', amountMinor: '3000' });
      assert.deepEqual((await getAccount(app, payee, pPending)).creditsPending, {
        amount: '2.500',
        amountMinor: '2500',
      });

      // Before the account existed there was no account.
      assertProblem(
        await app.request('GET', `/v1/ledger/accounts/${payer}?asOfPosition=${created - 1n}`),
        404,
        'account_not_found',
      );
      assertProblem(
        await app.request('GET', `/v1/ledger/accounts/${payer}?asOfPosition=-1`),
        400,
        'invalid_request',
      );
      assertProblem(
        await app.request('GET', `/v1/ledger/accounts/${payer}?asOfPosition=x`),
        400,
        'invalid_request',
      );
      assertProblem(await app.request('GET', `/v1/ledger/accounts/${payer}?foo=1`), 400, 'invalid_request');
    });
  });

  describe('idempotency keys', () => {
    it('replays the stored reply for the same key and body, writing nothing', async () => {
      const key = `test-${newId()}`;
      const body = {
        transfers: [cny(newId(), cnyIssuer, bankB, '2.00'), cny(newId(), cnyIssuer, bankA, '3.00')],
      };
      const first = await app.request('POST', '/v1/ledger/transfers', body, { 'Idempotency-Key': key });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const mark = await writeMark(app);
      const b = await balancesOf(app, bankB);

      const again = await app.request('POST', '/v1/ledger/transfers', body, { 'Idempotency-Key': key });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body, 'the same reply (ok, not exists)');
      assert.deepEqual(await writeMark(app), mark);
      assert.deepEqual(await balancesOf(app, bankB), b);

      const other = await app.request(
        'POST',
        '/v1/ledger/transfers',
        { transfers: [cny(newId(), cnyIssuer, bankB, '2.00')] },
        { 'Idempotency-Key': key },
      );
      assertProblem(other, 409, 'idempotency_key_reused');
      assert.deepEqual(await writeMark(app), mark);
      assert.deepEqual(await balancesOf(app, bankB), b);
    });

    it('keeps keys per endpoint request and survives for accounts as well', async () => {
      const key = `acct-${newId()}`;
      const id = newId();
      const first = await postAccounts(app, [{ id, currency: 'HKD', code: 3 }], { 'Idempotency-Key': key });
      assert.equal(first.status, 200, first.text);
      const mark = await writeMark(app);
      const again = await postAccounts(app, [{ id, currency: 'HKD', code: 3 }], { 'Idempotency-Key': key });
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal(again.body.results[0].result, 'ok');
      assert.deepEqual(await writeMark(app), mark);
      // The same key on another endpoint is another request: refused.
      assertProblem(
        await postTransfers(app, [cny(newId(), cnyIssuer, bankB, '2.00')], { 'Idempotency-Key': key }),
        409,
        'idempotency_key_reused',
      );
      assertProblem(
        await postTransfers(app, [cny(newId(), cnyIssuer, bankB, '2.00')], {
          'Idempotency-Key': 'bad key with spaces',
        }),
        400,
        'idempotency_key_invalid',
      );
      assert.deepEqual(await writeMark(app), mark);
    });
  });

  describe('bad input: a problem detail, and nothing written', () => {
    /** Sends the request, checks the problem, and checks that the database did not change. */
    async function refused(
      send: () => Promise<import('../support/test-app.js').TestResponse>,
      status: number,
      code: string,
    ) {
      const mark = await writeMark(app);
      const problem = assertProblem(await send(), status, code);
      assert.deepEqual(await writeMark(app), mark, 'nothing was written');
      return problem;
    }
    const fieldErrors = (problem: { errors?: Array<{ field?: string; code: string }> }) =>
      problem.errors?.map((e) => [e.field, e.code]);

    it('malformed JSON', async () => {
      await refused(
        () => app.request('POST', '/v1/ledger/transfers', '{"transfers": [{"id": '),
        400,
        'malformed_json',
      );
      await refused(
        () => app.request('POST', '/v1/ledger/accounts', '{"accounts": []'),
        400,
        'malformed_json',
      );
    });

    it('not an object, no items', async () => {
      await refused(() => app.request('POST', '/v1/ledger/transfers', '[]'), 400, 'invalid_request');
      const empty = await refused(() => postTransfers(app, []), 400, 'invalid_request');
      assert.deepEqual(fieldErrors(empty), [['/transfers', 'batch_empty']]);
    });

    it('unknown field', async () => {
      const problem = await refused(
        () =>
          app.request('POST', '/v1/ledger/transfers', {
            transfers: [{ ...cny(newId(), cnyIssuer, bankA, '1.00'), colour: 'red' }],
          }),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(problem), [['/transfers/0/colour', 'unknown_field']]);
      const top = await refused(
        () =>
          app.request('POST', '/v1/ledger/accounts', {
            accounts: [{ id: newId(), currency: 'CNY', code: 1 }],
            extra: true,
          }),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(top), [['/extra', 'unknown_field']]);
    });

    it('unknown currency', async () => {
      const transfer = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, bankA, '1.00', { currency: 'XYZ' })]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(transfer), [['/transfers/0/currency', 'unknown_currency']]);
      const account = await refused(
        () => postAccounts(app, [{ id: newId(), currency: 'DOGE', code: 1 }]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(account), [['/accounts/0/currency', 'unknown_currency']]);
    });

    it('zero amount', async () => {
      const major = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, bankA, '0.00')]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(major), [['/transfers/0/amount', 'amount_must_be_positive']]);
      const minor = await refused(
        () =>
          postTransfers(app, [
            { ...cny(newId(), cnyIssuer, bankA, '1'), amount: undefined, amountMinor: '0' },
          ]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(minor), [['/transfers/0/amountMinor', 'amount_must_be_positive']]);
    });

    it('negative amount', async () => {
      const major = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, bankA, '-5.00')]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(major), [['/transfers/0/amount', 'amount_malformed']]);
      const minor = await refused(
        () =>
          postTransfers(app, [
            { ...cny(newId(), cnyIssuer, bankA, '1'), amount: undefined, amountMinor: '-500' },
          ]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(minor), [['/transfers/0/amountMinor', 'amount_malformed']]);
      // A JSON number is not an amount either (floats lose money).
      const number = await refused(
        () =>
          app.request('POST', '/v1/ledger/transfers', {
            transfers: [{ ...cny(newId(), cnyIssuer, bankA, '1'), amount: 5 }],
          }),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(number), [['/transfers/0/amount', 'must_be_string']]);
    });

    it('more decimals than the currency has', async () => {
      const yuan = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, bankA, '1.001')]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(yuan), [['/transfers/0/amount', 'amount_too_precise']]);
      const yen = await refused(
        () =>
          postTransfers(app, [
            {
              id: newId(),
              debitAccountId: jpyIssuer,
              creditAccountId: jpyBank,
              amount: '1.5',
              currency: 'JPY',
              code: 1,
            },
          ]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(yen), [['/transfers/0/amount', 'amount_too_precise']]);
      const dinar = await refused(
        () =>
          postTransfers(app, [
            {
              id: newId(),
              debitAccountId: kwdIssuer,
              creditAccountId: kwdBank,
              amount: '0.0001',
              currency: 'KWD',
              code: 1,
            },
          ]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(dinar), [['/transfers/0/amount', 'amount_too_precise']]);
    });

    it('an amount over 9223372036854775807 minor units', async () => {
      const minor = await refused(
        () =>
          postTransfers(app, [
            { ...cny(newId(), cnyIssuer, bankA, '1'), amount: undefined, amountMinor: '9223372036854775808' },
          ]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(minor), [['/transfers/0/amountMinor', 'amount_exceeds_maximum']]);
      // 92233720368547758.08 CNY is 2^63 minor units.
      const major = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, bankA, '92233720368547758.08')]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(major), [['/transfers/0/amount', 'amount_exceeds_maximum']]);
    });

    it('a batch of 8,001 items', async () => {
      const transfers = Array.from({ length: 8_001 }, () => cny(newId(), cnyIssuer, bankA, '0.01'));
      const problem = await refused(() => postTransfers(app, transfers), 400, 'invalid_request');
      assert.deepEqual(fieldErrors(problem), [['/transfers', 'batch_too_large']]);
      const accounts = Array.from({ length: 8_001 }, () => ({ id: newId(), currency: 'CNY', code: 1 }));
      await refused(() => postAccounts(app, accounts), 400, 'invalid_request');
    });

    it('an unknown account (the valid transfers of the batch are not written either)', async () => {
      const good = newId();
      const problem = await refused(
        () => postTransfers(app, [cny(good, cnyIssuer, bankA, '1.00'), cny(newId(), newId(), bankA, '1.00')]),
        422,
        'transfer_batch_invalid',
      );
      assert.deepEqual(
        problem.errors?.map((e) => [e.index, e.code]),
        [[1, 'debit_account_not_found']],
      );
      assertProblem(await app.request('GET', `/v1/ledger/transfers/${good}`), 404, 'transfer_not_found');
      const credit = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, newId(), '1.00')]),
        422,
        'transfer_batch_invalid',
      );
      assert.deepEqual(
        credit.errors?.map((e) => e.code),
        ['credit_account_not_found'],
      );
    });

    it('a transfer id reused with another body', async () => {
      const id = newId();
      assert.deepEqual(await transfer(app, [cny(id, cnyIssuer, bankA, '4.00')]), ['ok']);
      const problem = await refused(
        () => postTransfers(app, [cny(id, cnyIssuer, bankA, '4.01')]),
        422,
        'transfer_batch_invalid',
      );
      assert.deepEqual(
        problem.errors?.map((e) => [e.index, e.code]),
        [[0, 'exists_with_different_amount']],
      );
      assert.equal((await getTransfer(app, id)).amountMinor, '400');
    });

    it('accounts in different currencies', async () => {
      const problem = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, usdAccount, '1.00')]),
        422,
        'transfer_batch_invalid',
      );
      assert.deepEqual(
        problem.errors?.map((e) => e.code),
        ['accounts_must_have_the_same_ledger'],
      );
    });

    it('other invalid transfers', async () => {
      const codes = async (transfers: TransferBody[]) =>
        (await refused(() => postTransfers(app, transfers), 422, 'transfer_batch_invalid')).errors?.map(
          (e) => e.code,
        );
      assert.deepEqual(await codes([cny(newId(), bankA, bankA, '1.00')]), ['accounts_must_be_different']);
      assert.deepEqual(await codes([{ id: newId(), pendingId: newId(), flags: ['postPendingTransfer'] }]), [
        'pending_transfer_not_found',
      ]);
      assert.deepEqual(await codes([cny(newId(), cnyIssuer, bankA, '1.00', { timeout: 5 })]), [
        'timeout_reserved_for_pending_transfer',
      ]);
      assert.deepEqual(
        await codes([cny(newId(), cnyIssuer, bankA, '1.00', { flags: ['pending', 'voidPendingTransfer'] })]),
        ['flags_are_mutually_exclusive'],
      );
      const open = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, bankA, '1.00', { flags: ['linked'] })]),
        422,
        'transfer_batch_invalid',
      );
      assert.deepEqual(
        open.errors?.map((e) => e.code),
        ['linked_event_chain_open'],
      );
      const flag = await refused(
        () => postTransfers(app, [cny(newId(), cnyIssuer, bankA, '1.00', { flags: ['express'] })]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(flag), [['/transfers/0/flags/0', 'unknown_flag']]);
    });

    it('an invalid UUID in the path', async () => {
      await refused(() => app.request('GET', '/v1/ledger/accounts/not-a-uuid'), 400, 'invalid_id');
      await refused(() => app.request('GET', '/v1/ledger/accounts/1234/transfers'), 400, 'invalid_id');
      await refused(
        () => app.request('GET', '/v1/ledger/transfers/00000000-0000-0000-0000-00000000000g'),
        400,
        'invalid_id',
      );
    });

    it('an invalid UUID in the body', async () => {
      const problem = await refused(
        () => postTransfers(app, [cny('t-1', cnyIssuer, bankA, '1.00')]),
        400,
        'invalid_request',
      );
      assert.deepEqual(fieldErrors(problem), [['/transfers/0/id', 'invalid_id']]);
    });

    it('an unknown route', async () => {
      await refused(() => app.request('GET', '/v1/ledger/nothing-here'), 404, 'route_not_found');
      await refused(() => app.request('POST', '/v1/ledger/teleport', { to: 'mars' }), 404, 'route_not_found');
      await refused(() => app.request('DELETE', `/v1/ledger/accounts/${bankA}`), 404, 'route_not_found');
    });
  });

  describe('afterwards', () => {
    it('the log is gap-free and memory equals the database', async () => {
      await assertLogConsistent(app);
      await assertMemoryMatchesDatabase(app);
      const health = await app.request('GET', '/health');
      assert.equal(health.body.position, app.app.sequencer.committedPosition.toString());
    });
  });
});

describe("the raw ledger leaves the platform's own accounts alone", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    await setUpNetwork(app);
  });
  after(async () => {
    await app?.close();
  });

  it('refuses to create accounts with codes 10–99, or to move money in or out of a platform account', async () => {
    const before = await app.db.scalar('select count(*) from events');
    const account = await app.request('POST', '/v1/ledger/accounts', {
      accounts: [{ id: '0193a3c4-0000-7000-8000-00000000aa01', currency: 'CNY', code: 30 }],
    });
    assert.equal(account.status, 422, account.text);
    assert.deepEqual(
      account.body.errors.map((e: { code: string }) => e.code),
      ['account_code_reserved'],
    );
    // Minting CNY into a bank's wallet straight from PBOC's issuance account: refused.
    const mint = await app.request('POST', '/v1/ledger/transfers', {
      transfers: [
        {
          id: '0193a3c4-0000-7000-8000-00000000aa02',
          debitAccountId: cbdcIssuanceAccountId('PBOC', 'CNY'),
          creditAccountId: bankWalletAccountId('BANKCN1', 'CNY'),
          amount: '1000.00',
          currency: 'CNY',
          code: 1,
        },
      ],
    });
    assert.equal(mint.status, 422, mint.text);
    assert.equal(mint.body.code, 'transfer_batch_invalid');
    assert.deepEqual(
      mint.body.errors.map((e: { code: string }) => e.code),
      ['account_managed_by_platform'],
    );
    assert.equal(await app.db.scalar('select count(*) from events'), before);
  });
});
