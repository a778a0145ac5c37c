import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  generateKeyPair,
  InMemoryReplayGuard,
  signRequest,
  verifyRequest,
  verifyRequestAsync,
  type VerifyRequestOptions,
} from '../../../src/platform/signatures/index.js';

/** The server verifies off the event loop; it must decide exactly as the synchronous verifier does. */
describe('verifyRequestAsync agrees with verifyRequest', () => {
  const keys = generateKeyPair();
  const other = generateKeyPair();
  const url = 'https://yuanbridge.example/v1/payments';
  const body = '{"amount":"10.00"}';
  const now = 1_767_225_600;

  function options(
    headers: Record<string, string>,
    sentBody = body,
    replayGuard?: InMemoryReplayGuard,
  ): VerifyRequestOptions {
    return {
      method: 'POST',
      url,
      headers,
      body: Buffer.from(sentBody),
      now,
      maxAgeSeconds: 300,
      maxSkewSeconds: 30,
      resolveKey: (keyId) => (keyId === 'BANK-key-1' ? { publicKey: keys.publicKey } : undefined),
      replayGuard,
    };
  }
  const sign = (secretKey = keys.secretKey, created = now) => ({
    'content-type': 'application/json',
    ...signRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
      keyId: 'BANK-key-1',
      secretKey,
      created,
    }),
  });

  it('on good, forged, tampered, expired and unsigned requests', async () => {
    const cases: Array<[string, VerifyRequestOptions]> = [
      ['good', options(sign())],
      ['wrong key', options(sign(other.secretKey))],
      ['tampered body', options(sign(), '{"amount":"99.00"}')],
      ['expired', options(sign(keys.secretKey, now - 3_600))],
      ['unsigned', options({ 'content-type': 'application/json' })],
    ];
    for (const [name, o] of cases) {
      assert.deepEqual(await verifyRequestAsync(o), verifyRequest(o), name);
    }
    assert.equal((await verifyRequestAsync(cases[0]![1])).ok, true);
    assert.equal((await verifyRequestAsync(cases[1]![1])).ok, false);
  });

  it('refuses a replay even when both copies are checked at the same time', async () => {
    const guard = new InMemoryReplayGuard({ clock: () => now });
    const headers = sign();
    const results = await Promise.all([
      verifyRequestAsync(options(headers, body, guard)),
      verifyRequestAsync(options(headers, body, guard)),
    ]);
    assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.reason)).sort(), ['ok', 'signature_replayed']);
  });
});
