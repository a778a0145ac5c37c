import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { AppConfig } from '../../src/platform/config/config.js';
import { NodeKey } from '../../src/platform/node-key/node-key.js';

describe('the node key', () => {
  it('signs with OpenSSL exactly the bytes @noble/curves signs (Ed25519 is deterministic), which noble verifies', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yb-node-key-'));
    try {
      const key = new NodeKey({ nodeKeyFile: path.join(dir, 'node-key.json') } as AppConfig);
      for (let i = 0; i < 50; i++) {
        const message = randomBytes(i * 7);
        const signature = key.sign(message);
        assert.deepEqual(Buffer.from(signature), Buffer.from(ed25519.sign(message, key.secretKey)));
        assert.ok(ed25519.verify(signature, message, key.publicKey));
      }
      // Read back from its file, the same key signs the same bytes.
      const again = new NodeKey({ nodeKeyFile: path.join(dir, 'node-key.json') } as AppConfig);
      const message = Buffer.from('yuanbridge-checkpoint-v1');
      assert.deepEqual(Buffer.from(again.sign(message)), Buffer.from(key.sign(message)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
