import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../support/cli.js';
import { fundBankWallet } from '../support/issuance-api.js';
import { setUpNetwork, type TestNetwork } from '../support/network.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';

interface ServedEvent {
  readonly position: string;
  readonly proof: { readonly checkpoint: { readonly keyId: string } };
}

/**
 * The regulators' page after `yuanbridge node-key rotate`: the browser checks each event's
 * checkpoint with the key that signed it, found among the node's retired keys when it is not
 * the current one, and says which. (audit-web.test.ts covers the page with one key.)
 */
describe('audit web page after a node-key rotation', () => {
  let app: TestApp;
  let net: TestNetwork;
  let dir: string;
  let browser: Browser | undefined;

  async function servedEvents(): Promise<ServedEvent[]> {
    const served = await app.request(
      'GET',
      '/v1/audit/events?limit=500',
      undefined,
      {},
      { as: net.as('REG-CN') },
    );
    assert.equal(served.status, 200, served.text);
    return served.body.items as ServedEvent[];
  }

  /** The page, signed in as REG-CN, with the script errors it reports. */
  async function signedInPage(chromium: Browser): Promise<{ page: Page; pageErrors: string[] }> {
    const page = await chromium.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const signer = net.as('REG-CN');
    await page.goto(`${app.url}/audit`);
    await page.fill('#key-id', signer.keyId);
    await page.fill('#secret-key', Buffer.from(signer.secretKey).toString('base64url'));
    await page.click('#signin-button');
    await page.waitForSelector('#who-name:has-text("REG-CN")');
    return { page, pageErrors };
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-audit-web-rotated-'));
    const keyFile = path.join(dir, 'node-key.json');
    app = await startTestApp({ env: { YB_NODE_KEY_FILE: keyFile } });
    net = await setUpNetwork(app);
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN1', 1_000_00n);
    await app.stop();
    const rotated = await runCli(['node-key', 'rotate', '--file', keyFile]);
    assert.equal(rotated.code, 0, rotated.output);
    await app.restart();
    await fundBankWallet(app, net.as('PBOC'), 'BANKCN2', 2_000_00n);
    if (fs.existsSync(CHROMIUM)) {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    }
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies events signed under the retired key and under the current one, and the whole log', async (t) => {
    if (browser === undefined) {
      t.skip(`${CHROMIUM} is not installed (apt-get install chromium): the browser test cannot run`);
      return;
    }
    const events = await servedEvents();
    const signedBy = (keyId: string) => events.find((e) => e.proof.checkpoint.keyId === keyId)?.position;
    const old = signedBy('yuanbridge-node-key-1');
    const current = signedBy('yuanbridge-node-key-2');
    assert.ok(old !== undefined && current !== undefined, 'REG-CN sees events under both keys');

    const { page, pageErrors } = await signedInPage(browser);

    // Waits for the view of this event (its checkpoint names the key), not the previous one's.
    const signatureCheck = async (position: string, keyId: string) => {
      await page.evaluate(`window.location.hash = ${JSON.stringify(`#/event/${position}`)}`);
      await page.waitForSelector(`#checks li[data-check="signature"]:has-text("${keyId}")`);
      const verdict = (await page.textContent('#verdict')) ?? '';
      const item = page.locator('#checks li[data-check="signature"]');
      return { verdict, state: await item.getAttribute('class'), text: (await item.textContent()) ?? '' };
    };

    const before = await signatureCheck(old, 'yuanbridge-node-key-1');
    assert.match(before.verdict, /✓ verified/);
    assert.equal(before.state, 'ok');
    assert.match(before.text, /by yuanbridge-node-key-1 \(retired \d{4}-\d\d-\d\dT/);

    const afterRotation = await signatureCheck(current, 'yuanbridge-node-key-2');
    assert.match(afterRotation.verdict, /✓ verified/);
    assert.equal(afterRotation.state, 'ok');
    assert.match(afterRotation.text, /by yuanbridge-node-key-2 on checkpoint/);
    assert.doesNotMatch(afterRotation.text, /retired/);

    await page.evaluate('window.location.hash = "#/verify"');
    await page.click('#verify-log');
    await page.waitForSelector('#verify-result .verdict.ok');
    assert.deepEqual(pageErrors, [], 'no script error in the page');
  });

  it('a view that finishes loading after the reader moved on does not replace the newer one', async (t) => {
    if (browser === undefined) {
      t.skip(`${CHROMIUM} is not installed (apt-get install chromium): the browser test cannot run`);
      return;
    }
    const position = (await servedEvents())[0]!.position;
    const { page, pageErrors } = await signedInPage(browser);
    await page.waitForSelector('#timeline tbody tr');
    // The next timeline page is held back until the event has been opened and drawn.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.pathname === '/v1/audit/events',
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.evaluate('window.location.hash = "#/timeline?type=TransferCreated"');
    await page.evaluate(`window.location.hash = ${JSON.stringify(`#/event/${position}`)}`);
    await page.waitForSelector('#verdict');
    const timelineAnswered = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/v1/audit/events',
    );
    release();
    await timelineAnswered;
    // Time for the late timeline to draw, were it allowed to: its answer has arrived.
    await page.waitForTimeout(500);
    assert.equal(await page.locator('#verdict').count(), 1, 'the event is still shown');
    assert.equal(await page.locator('#timeline').count(), 0);
    assert.match((await page.textContent('#view h2')) ?? '', new RegExp(`^Event ${position} `));
    assert.deepEqual(pageErrors, []);
  });
});
