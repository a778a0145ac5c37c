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
      assert.deepEqual(flows[1]!.slice(0, 4), ['CN-TH', 'TH', '1', '1,200.00 CNY']);
      assert.equal(flows[0]![2], '1');
      assert.equal(flows[0]![4], '1');
      await shot('flows');

      await go('#/supply');
      await page.waitForSelector('#supply-agreement');
      assert.match((await page.textContent('#supply-agreement')) ?? '', /✓ Agrees with the ledger/);
      await shot('supply');

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
