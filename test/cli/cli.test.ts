import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, env);

describe('the yuanbridge CLI', () => {
  let app: TestApp;
  let dir: string;
  let keys: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-cli-'));
    keys = path.join(dir, 'keys.json');
    app = await startTestApp({ env: { YB_DEMO: 'on', YB_KEYS_FILE: keys, YB_OPERATOR_PUBLIC_KEY: '' } });
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('call: signs as an institution from the keys file; the server verifies it', async () => {
    const ok = await cli([
      'call',
      '--as',
      'PBOC',
      'PUT',
      '/v1/institutions/SILKCNBJ/roles/liquidity_provider',
      '--url',
      app.url,
      '--keys',
      keys,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /^200 OK/);
    assert.deepEqual(JSON.parse(ok.stdout).roles, ['liquidity_provider']);

    const body = path.join(dir, 'body.json');
    fs.writeFileSync(body, JSON.stringify({ publicKey: 'not a key' }));
    const refused = await cli([
      'call',
      '--as',
      'SILKCNBJ',
      'POST',
      '/v1/institutions/SILKCNBJ/keys',
      '--data',
      body,
      '--url',
      app.url,
      '--keys',
      keys,
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^400 Bad Request/);
    assert.equal(JSON.parse(refused.stdout).code, 'invalid_request');
  });

  it('errors are one line and a non-zero exit', async () => {
    const unknown = await cli([
      'call',
      '--as',
      'NOBODY',
      'GET',
      '/v1/institutions',
      '--url',
      app.url,
      '--keys',
      keys,
    ]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^yuanbridge: no key for NOBODY in .*keys\.json \(it has: /);
    assert.equal(unknown.stderr.trim().split('\n').length, 1);
    const badCommand = await cli(['frobnicate']);
    assert.equal(badCommand.code, 2);
    assert.equal(
      badCommand.stderr.trim(),
      "yuanbridge: unknown command 'frobnicate' (commands: audit, bench, call, keys, node-key, scenario)",
    );
    const unreachable = await cli(['call', '--unsigned', 'GET', '/health', '--url', 'http://127.0.0.1:9']);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^yuanbridge: cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('keys: generate prints a usable public key; show reads the keys file; --help works', async () => {
    const generated = await cli(['keys', 'generate', '--kid', 'MYBANK-key-1']);
    assert.equal(generated.code, 0);
    const parsed = JSON.parse(generated.stdout);
    assert.match(parsed.publicKey, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(parsed.jwk.kid, 'MYBANK-key-1');
    const shown = await cli(['keys', 'show', '--as', 'HKMA', '--keys', keys]);
    assert.equal(JSON.parse(shown.stdout).keyId, 'HKMA-key-1');
    for (const args of [['--help'], ['call', '--help'], ['keys', '--help']]) {
      const help = await cli(args);
      assert.equal(help.code, 0, args.join(' '));
      assert.match(help.stdout, /Usage: yuanbridge/);
    }
  });

  it('--help on every command; a bad option is one line naming the command, and exit 2', async () => {
    const commands = ['audit', 'bench', 'call', 'keys', 'node-key', 'scenario'];
    const overview = await cli(['--help']);
    for (const command of commands) assert.match(overview.stdout, new RegExp(`^  ${command} `, 'm'));
    for (const command of commands) {
      const help = await cli([command, '--help']);
      assert.equal(help.code, 0, `${command} --help: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`^Usage: yuanbridge ${command}`), command);
      assert.equal(help.stderr, '');

      const bad = await cli([command, '--no-such-option']);
      assert.equal(bad.code, 2, `${command} --no-such-option`);
      assert.equal(bad.stdout, '');
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.equal(
        bad.stderr.trim(),
        `yuanbridge: ${command}: Unknown option '--no-such-option' (see yuanbridge ${command} --help)`,
      );
    }
    const extra = await cli(['call', 'GET']);
    assert.equal(extra.code, 2);
    assert.equal(
      extra.stderr.trim(),
      'yuanbridge: call: expected <METHOD> <path> (see yuanbridge call --help)',
    );
  });

  it('bench: runs the compiled harness with the names given; the harness checks them', async () => {
    // An unknown name reaches the harness, which refuses it before it touches a database.
    const unknown = await cli(['bench', 'nonesuch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^unknown benchmark\(s\): nonesuch; known: ledger, restart, signatures/);
    // The names the help lists are the harness's own.
    const known = /known: (.*)$/m.exec(unknown.stderr)![1]!.split(', ');
    const help = await cli(['bench', '--help']);
    assert.match(help.stdout, new RegExp(`^Benchmarks: ${known.join(', ')}$`, 'm'));
    const malformed = await cli(['bench', '../etc']);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /^yuanbridge: bench: '\.\.\/etc' is not a benchmark name/);
  });
});
