import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, REPO_ROOT } from '../../../src/platform/config/config.js';

/** YB_SANCTIONS_FILE, YB_SETTLEMENT_INTERVAL_MS and YB_LIQUIDITY_SAVING as loadConfig reads them. */
describe('payments configuration', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-sanctions-'));
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  };
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    assert.fail('expected a configuration error');
  };

  it('reads the repository’s illustrative list by default, from the repo root whatever the cwd', () => {
    const config = loadConfig({});
    assert.equal(config.sanctions.file, path.join(REPO_ROOT, 'config', 'sanctions.json'));
    assert.deepEqual(config.sanctions.institutions, ['SANCTNXX']);
    assert.ok(config.sanctions.names.includes('Ivan Sanctioned'));
    assert.equal(config.settlementIntervalMs, 1_000);
    assert.equal(config.liquiditySaving, true);
  });

  it('resolves a relative path against the repo root', () => {
    const config = loadConfig({ YB_SANCTIONS_FILE: 'config/sanctions.json' });
    assert.equal(config.sanctions.file, path.join(REPO_ROOT, 'config', 'sanctions.json'));
  });

  it('reads a file of its own', () => {
    const at = file('own.json', '{"institutions":["BADBANK1"],"names":["Someone"]}');
    const config = loadConfig({ YB_SANCTIONS_FILE: at });
    assert.deepEqual(config.sanctions, { file: at, institutions: ['BADBANK1'], names: ['Someone'] });
  });

  it('refuses to start on a missing or malformed file', () => {
    assert.match(
      problems({ YB_SANCTIONS_FILE: path.join(dir, 'none.json') }),
      /YB_SANCTIONS_FILE=.*no such file/,
    );
    assert.match(problems({ YB_SANCTIONS_FILE: file('bad.json', '{"names": [') }), /cannot be read as JSON/);
    assert.match(
      problems({ YB_SANCTIONS_FILE: file('shape.json', '{"names": "x"}') }),
      /expected \{ "institutions"/,
    );
    assert.match(problems({ YB_SANCTIONS_FILE: file('list.json', '["x"]') }), /expected \{ "institutions"/);
    assert.match(
      problems({ YB_SANCTIONS_FILE: file('extra.json', '{"people": []}') }),
      /expected \{ "institutions"/,
    );
  });

  it('validates the settlement interval and the liquidity-saving switch', () => {
    assert.equal(loadConfig({ YB_SETTLEMENT_INTERVAL_MS: '0' }).settlementIntervalMs, 0);
    assert.equal(loadConfig({ YB_LIQUIDITY_SAVING: 'off' }).liquiditySaving, false);
    assert.match(problems({ YB_SETTLEMENT_INTERVAL_MS: '-1' }), /YB_SETTLEMENT_INTERVAL_MS/);
    assert.match(problems({ YB_LIQUIDITY_SAVING: 'yes' }), /YB_LIQUIDITY_SAVING.*on, off/);
  });
});
