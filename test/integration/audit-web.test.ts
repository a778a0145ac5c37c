import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PUBLIC_DIR } from '../../src/audit/web/audit-web.assets.js';
import { readKeysFile, signerOf, type KeyEntry } from '../../src/institutions/bootstrap/keys-file.js';
import { knownCurrencies } from '../../src/ledger/domain/currency.js';
import { InMemoryReplayGuard, keyFromBase64url, verifyRequest } from '../../src/platform/signatures/index.js';
import { startTestApp, type Json, type TestApp, type TestResponse } from '../support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = process.env.YB_SCREENSHOTS === '1';
const IMAGES = path.join(__dirname, '..', '..', '..', 'docs', 'images');

/** The page's browser modules, loaded into Node as they are (ES modules, noble from node_modules). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const browserModule = (name: string): Promise<any> => import(pathToFileURL(path.join(PUBLIC_DIR, name)).href);

/**
 * The regulators' web page at /audit, in a real browser (Debian's Chromium driven by
 * playwright-core): sign in with a regulator's key, filter the timeline, open an event and see
 * its proof verified by the page itself; then tamper with the database and see the page report
 * the break, in the event and for the whole log.
 */
describe('audit web page', () => {
  let app: TestApp;
  let dir: string;
  let keys: Record<string, KeyEntry>;
  let cnThPayment: string;

  const ok = (response: TestResponse, status = 200): Json => {
    assert.equal(response.status, status, response.text);
    return response.body;
  };

  async function pay(by: string, payee: string, amount: string): Promise<string> {
    const body = ok(
      await app.request(
        'POST',
        '/v1/payments',
        { payee: { bank: payee }, amount, currency: 'CNY', purpose: 'Invoice 12 (machine parts)' },
        { 'idempotency-key': randomUUID() },
        { as: signerOf(keys[by]!) },
      ),
      201,
    );
    assert.equal(body.status, 'settled', JSON.stringify(body));
    return body.id as string;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-audit-web-'));
    const keysFile = path.join(dir, 'keys.json');
    app = await startTestApp({ env: { YB_DEMO: 'on', YB_KEYS_FILE: keysFile, YB_OPERATOR_PUBLIC_KEY: '' } });
    keys = readKeysFile(keysFile).institutions;
    cnThPayment = await pay('SILKCNBJ', 'SIAMTHBK', '1200.00');
    await pay('JADECNSH', 'VICTHKHX', '800.00');
    await pay('VICTHKHX', 'JADECNSH', '300.00');
    ok(
      await app.request(
        'POST',
        '/v1/institutions/JADECNSH/freeze',
        { reason: 'Sanctions review 2026-14', scope: 'outgoing' },
        { 'idempotency-key': randomUUID() },
        { as: signerOf(keys['REG-CN']!) },
      ),
    );
  });
  after(async () => {
    await app?.close();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("signs a GET in the browser's way that the server's own verifier accepts, once", async () => {
    const { signGet } = await browserModule('signer.mjs');
    const entry = keys['REG-CN']!;
    const url = `${app.url}/v1/audit/events?type=PaymentSettled%2CWalletFrozen&limit=5`;
    const now = Math.floor(Date.now() / 1000);
    const signed = signGet({ url, keyId: entry.keyId, secretKey: signerOf(entry).secretKey });
    const replays = new InMemoryReplayGuard();
    const verify = (headers: Record<string, string>, method = 'GET', target = url) =>
      verifyRequest({
        method,
        url: target,
        headers,
        body: undefined,
        now,
        maxAgeSeconds: 300,
        maxSkewSeconds: 30,
        resolveKey: (keyId) =>
          keyId === entry.keyId ? { publicKey: keyFromBase64url(entry.publicKey) } : undefined,
        replayGuard: replays,
      });
    const first = verify(signed.headers);
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.deepEqual(first.ok && first.coveredComponents, ['@method', '@target-uri']);
    // Replayed: refused. Another target, another method: the signature does not hold.
    const replayed = verify(signed.headers);
    assert.equal(!replayed.ok && replayed.reason, 'signature_replayed');
    const again = signGet({ url, keyId: entry.keyId, secretKey: signerOf(entry).secretKey });
    assert.notEqual(again.headers['signature-input'], signed.headers['signature-input'], 'a fresh nonce');
    assert.equal(verify(again.headers, 'GET', url.replace('limit=5', 'limit=6')).ok, false);
    assert.equal(verify(again.headers, 'HEAD').ok, false);
    // And the running service takes it as REG-CN.
    const fresh = signGet({
      url: `${app.url}/v1/me`,
      keyId: entry.keyId,
      secretKey: signerOf(entry).secretKey,
    });
    const me = await fetch(`${app.url}/v1/me`, { headers: fresh.headers });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as Json).institution.id, 'REG-CN');
  });

  it('formats money from minor units with the ledger’s decimals', async () => {
    const { EXPONENTS, formatMinor } = await browserModule('money.mjs');
    assert.deepEqual(EXPONENTS, Object.fromEntries(knownCurrencies().map((c) => [c.code, c.exponent])));
    assert.equal(formatMinor('123456789012345678901', 'CNY'), '1,234,567,890,123,456,789.01');
    assert.equal(formatMinor('-5', 'KWD'), '-0.005');
    assert.equal(formatMinor('1000', 'JPY'), '1,000');
    assert.equal(formatMinor('7', 'HKD'), '0.07');
  });

  it('reads flows relative to the home jurisdiction and supply per bank from the service’s sums', async () => {
    const { loadFlows, loadSupply } = await browserModule('data.mjs');
    const asked: Array<[string, unknown]> = [];
    const api = (answer: unknown) => ({
      get: (route: string, query: unknown) => {
        asked.push([route, query]);
        return Promise.resolve(answer);
      },
    });
    const flows = await loadFlows(
      api({
        items: [
          {
            corridor: 'CN',
            sellCurrency: 'CNY',
            buyCurrency: 'CNY',
            payments: 4,
            sellMinor: '9',
            buyMinor: '9',
          },
          {
            corridor: 'CN-TH',
            sellCurrency: 'CNY',
            buyCurrency: 'THB',
            payments: 2,
            sellMinor: '100',
            buyMinor: '480',
          },
          {
            corridor: 'CN-HK',
            sellCurrency: 'HKD',
            buyCurrency: 'CNY',
            payments: 1,
            sellMinor: '330',
            buyMinor: '300',
          },
          {
            corridor: 'CN-HK',
            sellCurrency: 'CNY',
            buyCurrency: 'HKD',
            payments: 3,
            sellMinor: '50',
            buyMinor: '55',
          },
          {
            corridor: 'HK-TH',
            sellCurrency: 'HKD',
            buyCurrency: 'THB',
            payments: 1,
            sellMinor: '1',
            buyMinor: '4',
          },
        ],
      }),
      { code: 'CN', currency: 'CNY' },
      { from: '2026-01-01T00:00:00.000Z' },
    );
    assert.deepEqual(asked.at(-1), ['/v1/audit/flows', { from: '2026-01-01T00:00:00.000Z', to: undefined }]);
    assert.deepEqual(flows, [
      {
        corridor: 'CN-HK',
        counterpart: 'HK',
        outbound: { payments: 3, homeMinor: 50n, other: [{ currency: 'HKD', minor: 55n }] },
        inbound: { payments: 1, homeMinor: 300n, other: [{ currency: 'HKD', minor: 330n }] },
      },
      {
        corridor: 'CN-TH',
        counterpart: 'TH',
        outbound: { payments: 2, homeMinor: 100n, other: [{ currency: 'THB', minor: 480n }] },
        inbound: { payments: 0, homeMinor: 0n, other: [] },
      },
    ]);
    const supply = await loadSupply(
      api({
        currency: 'CNY',
        asOf: '41',
        supply: { issuedMinor: '1000', redeemedMinor: '100', outstandingMinor: '900' },
        ledgerSupplyMinor: '900',
        holdings: [
          { bank: 'B', wallets: 'customer', accounts: 2, balanceMinor: '300' },
          { bank: 'A', wallets: 'bank', accounts: 1, balanceMinor: '500' },
          { bank: 'B', wallets: 'bank', accounts: 1, balanceMinor: '100' },
        ],
        byAccountCode: [{ code: 10, accounts: 1, balanceMinor: '-900' }],
      }),
      'CNY',
      '41',
    );
    assert.deepEqual(asked.at(-1), ['/v1/audit/supply', { currency: 'CNY', asOf: '41' }]);
    assert.equal(supply.outstanding, 900n);
    assert.equal(supply.ledgerSupply, 900n);
    assert.deepEqual(supply.holdings, [
      { bank: 'A', bankWallets: 500n, customerWallets: 0n, total: 500n, accounts: 1 },
      { bank: 'B', bankWallets: 100n, customerWallets: 300n, total: 400n, accounts: 3 },
    ]);
    assert.deepEqual(supply.byAccountCode, [
      { code: 10, name: 'CBDC issuance', accounts: 1, balance: -900n },
    ]);
  });

  it('serves the page and its allow-list only, publicly, under a strict content policy', async () => {
    const page = await fetch(`${app.url}/audit`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    assert.match(csp, /connect-src 'self'/);
    for (const asset of [
      'app.mjs',
      'audit-proof.mjs',
      'vendor/@noble/curves/ed25519.js',
      'vendor/@noble/hashes/sha2.js',
    ]) {
      const response = await fetch(`${app.url}/audit/${asset}`);
      assert.equal(response.status, 200, asset);
      assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/, asset);
    }
    // The node's own hashing rules, as compiled, not a copy.
    const proofModule = await (await fetch(`${app.url}/audit/audit-proof.mjs`)).text();
    assert.equal(
      proofModule,
      fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'audit', 'proof', 'audit-proof.mjs'), 'utf8'),
    );
    for (const refused of [
      'vendor/@noble/curves/package.json',
      'vendor/@noble/curves/src/ed25519.ts',
      '%2e%2e/%2e%2e/package.json',
      '..%2f..%2fpackage.json',
      'vendor/@noble/curves/..%2F..%2F..%2Fpackage.json',
      'audit-web.http.controller.js',
    ]) {
      const response = await fetch(`${app.url}/audit/${refused}`);
      assert.equal(response.status, 404, refused);
    }
  });

  describe('in Chromium', () => {
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: string[] = [];

    const shot = async (name: string) => {
      if (!SCREENSHOTS) return;
      fs.mkdirSync(IMAGES, { recursive: true });
      await page.screenshot({ path: path.join(IMAGES, `audit-${name}.png`), fullPage: true });
    };
    const go = async (hash: string) => {
      await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
    };
    const settledPosition = async (paymentId: string) =>
      (
        await app.db.query<{ p: string }>(
          `select global_position::text as p from events where type = 'PaymentSettled' and stream_id = $1`,
          [`payment-${paymentId}`],
        )
      )[0]!.p;

    before(async () => {
      if (!fs.existsSync(CHROMIUM)) return;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
    });
    after(async () => {
      await browser?.close();
    });

    it('signs in, filters, opens an event verified in the page, then reports a tampered row', async (t) => {
      if (browser === undefined) {
        t.skip(`${CHROMIUM} is not installed (apt-get install chromium): the browser test cannot run`);
        return;
      }
      await page.goto(`${app.url}/audit`);

      // A key that is not the key id's: refused by the service, and the page says why.
      await page.fill('#key-id', keys['REG-CN']!.keyId);
      await page.fill('#secret-key', keys['REG-HK']!.secretKey);
      await page.click('#signin-button');
      await page.waitForSelector('#signin-error:has-text("signature_invalid")');

      await page.fill('#secret-key', keys['REG-CN']!.secretKey);
      await page.click('#signin-button');
      await page.waitForSelector('#who-name:has-text("REG-CN")');
      await page.waitForSelector('#timeline tbody tr');
      assert.equal(
        await page.evaluate('window.sessionStorage.length'),
        0,
        'the key is not kept unless asked',
      );
      await shot('timeline');

      // Filtered to settlements: the three payments touching CN, and nothing else.
      await page.fill('#f-type', 'PaymentSettled');
      await page.click('#apply-filters');
      // A function, not a string: the page's content policy forbids eval, which a string would need.
      await page.waitForFunction(() => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const document = (globalThis as any).document;
        const types = [...document.querySelectorAll('#timeline tbody .type')].map(
          (e: { textContent: string }) => e.textContent,
        );
        return types.length > 0 && types.every((t) => t === 'PaymentSettled');
      });
      assert.equal(await page.locator('#timeline tbody tr').count(), 3);
      const shown = await page.$$eval('#timeline tbody tr', (rows) =>
        rows.map((r) => r.getAttribute('data-position')),
      );

      // Export: the filtered events as a file, fetched with a request signed in the page.
      const exported = async (format: 'jsonl' | 'csv') => {
        await page.selectOption('#export-format', format);
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
        assert.equal(download.suggestedFilename(), `audit-REG-CN.${format}`);
        const file = path.join(dir, `export.${format}`);
        await download.saveAs(file);
        await page.waitForSelector(`#export-status:has-text("audit-REG-CN.${format}")`);
        return fs.readFileSync(file, 'utf8');
      };
      const records = (await exported('jsonl'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Json);
      const events = records.filter((r) => r.record === 'event');
      assert.deepEqual(
        events.map((e) => e.position),
        [...shown].reverse(),
        'the same events, oldest first',
      );
      assert.ok(events.every((e) => e.type === 'PaymentSettled' && e.institutions.length > 0));
      const checkpoints = records.filter((r) => r.record === 'checkpoint');
      assert.ok(checkpoints.length > 0, 'with the checkpoints covering them');
      for (const e of events) {
        assert.ok(
          checkpoints.some((c) => BigInt(c.from) < BigInt(e.position) && BigInt(e.position) <= BigInt(c.to)),
          `a checkpoint covers ${e.position}`,
        );
      }
      const csv = (await exported('csv')).trim().split('\r\n');
      assert.match(csv[0]!, /^record,position,type,stream_id,/);
      assert.deepEqual(
        csv.filter((l) => l.startsWith('event,')).map((l) => l.split(',')[1]),
        [...shown].reverse(),
      );
      assert.equal(csv.filter((l) => l.startsWith('checkpoint,')).length, checkpoints.length);

      const p = await settledPosition(cnThPayment);
      await page.click(`#timeline a[href="#/event/${p}"]`);
      await page.waitForSelector('#verdict');
      assert.match((await page.textContent('#verdict')) ?? '', /✓ verified/);
      assert.deepEqual(await checkStates(page), {
        hash: 'ok',
        chain: 'ok',
        position: 'ok',
        inclusion: 'ok',
        signature: 'ok',
      });
      assert.match((await page.textContent('#event-data')) ?? '', /"amountMinor": "120000"/);
      await shot('event-verified');

      await go('#/verify');
      await page.click('#verify-log');
      await page.waitForSelector('#verify-result .verdict.ok');
      assert.match((await page.textContent('#verify-result')) ?? '', /OK — the log verifies/);

      await go('#/flows');
      await page.waitForSelector('#flows-chart');
      assert.deepEqual(
        await page.$$eval('#flows-chart g[data-corridor]', (gs) =>
          gs.map((g) => g.getAttribute('data-corridor')),
        ),
        ['CN-HK', 'CN-TH'],
      );
      const flows = await page.$$eval('#flows-table tbody tr', (rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
      );
      assert.deepEqual(flows[1]!.slice(0, 3), ['CN-TH', 'TH', '1']);
      assert.match(flows[1]![3]!, /^1,200\.00 CNY \([\d,.]+ THB\)$/);
      assert.deepEqual(flows[1]!.slice(4), ['0', '—']);
      assert.deepEqual([flows[0]![0], flows[0]![2], flows[0]![4]], ['CN-HK', '1', '1']);
      assert.match(flows[0]![3]!, /^800\.00 CNY \([\d,.]+ HKD\)$/);
      assert.match(flows[0]![5]!, /^300\.00 CNY \([\d,.]+ HKD\)$/);
      await shot('flows');

      // Supply now, then as of the position just before the CN→TH payment: the paying bank held
      // what it has paid since (the amount sold and the fee).
      const holdings = async () =>
        Object.fromEntries(
          await page.$$eval('#supply-holdings tbody tr', (rows) =>
            rows.map((r) => {
              const cells = [...r.querySelectorAll('td')].map((td) => td.textContent ?? '');
              return [cells[0], cells[3]];
            }),
          ),
        ) as Record<string, string>;
      const minor = (text: string) => BigInt(text.replace(/ CNY$/, '').replace(/[,.]/g, ''));
      await go('#/supply');
      await page.waitForSelector('#supply-agreement');
      assert.match((await page.textContent('#supply-agreement')) ?? '', /^✓ Outstanding .* equals /);
      assert.match((await page.textContent('#supply-as-of')) ?? '', /now \(position \d+, the head\)/);
      const now = await holdings();
      await shot('supply');
      const beforePayment = (
        await app.db.query<{ p: string }>(
          `select (min(global_position) - 1)::text as p from events where stream_id = $1`,
          [`payment-${cnThPayment}`],
        )
      )[0]!.p;
      await page.fill('#as-of', beforePayment);
      await page.click('#supply-show');
      await page.waitForSelector(`#supply-as-of:has-text("as of position ${beforePayment}")`);
      assert.match((await page.textContent('#supply-agreement')) ?? '', /^✓ Outstanding /);
      const then = await holdings();
      assert.notEqual(then['SILKCNBJ'], now['SILKCNBJ']);
      const [paid] = await app.db.query<{ sell: string; fee: string; feeCurrency: string }>(
        `select data->'sell'->>'amountMinor' as sell, data->'fee'->>'amountMinor' as fee,
                data->'fee'->>'currency' as "feeCurrency"
           from events where type = 'PaymentSettled' and stream_id = $1`,
        [`payment-${cnThPayment}`],
      );
      assert.equal(paid!.sell, '120000');
      assert.equal(
        minor(then['SILKCNBJ']!) - minor(now['SILKCNBJ']!),
        BigInt(paid!.sell) + (paid!.feeCurrency === 'CNY' ? BigInt(paid!.fee) : 0n),
      );
      await shot('supply-as-of');

      await go('#/actions');
      await page.waitForSelector('#actions');
      assert.match(
        (await page.textContent('#actions')) ?? '',
        /InstitutionFrozen.*JADECNSH.*REG-CN.*Sanctions review 2026-14/s,
      );
      await shot('actions');

      // Tampered with directly in the database: the settled amount of the open event.
      const before = (
        await app.db.query<{ d: string }>('select data::text as d from events where global_position = $1', [
          p,
        ])
      )[0]!.d;
      await app.db.query(
        `update events set data = replace(data::text, '"120000"', '"1"')::json where global_position = $1`,
        [p],
      );
      const afterTamper = (
        await app.db.query<{ d: string }>('select data::text as d from events where global_position = $1', [
          p,
        ])
      )[0]!.d;
      assert.notEqual(afterTamper, before, 'the row was changed');

      await go(`#/event/${p}`);
      await page.waitForSelector('#verdict.fail');
      assert.match((await page.textContent('#verdict')) ?? '', /✗ verification failed/);
      assert.deepEqual(await checkStates(page), {
        hash: 'fail',
        chain: 'fail',
        position: 'ok',
        inclusion: 'fail',
        signature: 'ok',
      });
      assert.match((await page.textContent('#event-data')) ?? '', /"amountMinor": "1"/);
      await shot('event-break');

      await go('#/verify');
      await page.click('#verify-log');
      await page.waitForSelector('#verify-result .verdict.fail');
      assert.equal(await page.textContent('#break-summary'), `✗ Break at position ${p}: altered`);
      assert.ok(((await page.textContent('#break-detail')) ?? '').length > 0);
      await shot('verify-break');

      assert.deepEqual(pageErrors, [], 'no script error in the page');
    });
  });
});

/** Each proof check shown in the event view: its id → ok | fail. */
function checkStates(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#checks li', (items) =>
    Object.fromEntries(items.map((li) => [li.getAttribute('data-check'), li.className])),
  );
}
