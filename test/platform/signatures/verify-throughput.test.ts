/**
 * Verification throughput, OpenSSL (`verifyRequest`, `crypto.verify`) vs @noble/curves
 * (`ed25519.verify`) over the same signature bases. A figure, not an assertion: it only runs
 * with YB_MEASURE_SIGNATURES=1 (optionally YB_MEASURE_COUNT=n, default 2000).
 */
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  generateKeyPair,
  publicKeyToBase64url,
  signRequestDetailed,
  signatureBaseBytes,
  verifyRequest,
} from '../../../src/platform/signatures/index.js';

const enabled = process.env.YB_MEASURE_SIGNATURES === '1';
const COUNT = Number(process.env.YB_MEASURE_COUNT ?? 2000);

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

describe('signature verification throughput', () => {
  it(
    `OpenSSL vs noble over ${COUNT} signatures`,
    { skip: enabled ? false : 'set YB_MEASURE_SIGNATURES=1' },
    () => {
      const keys = Array.from({ length: 16 }, () => generateKeyPair());
      const now = Math.floor(Date.now() / 1000);
      const requests = Array.from({ length: COUNT }, (_, i) => {
        const pair = keys[i % keys.length]!;
        const body = Buffer.from(JSON.stringify({ id: i, amount: `${i}.00`, currency: 'CNY' }));
        const signed = signRequestDetailed({
          method: 'POST',
          url: `https://api.yuanbridge.test/v1/payments/${i}`,
          headers: { 'content-type': 'application/json' },
          body,
          keyId: `k${i % keys.length}`,
          secretKey: pair.secretKey,
          created: now,
        });
        return { pair, body, signed, base: signatureBaseBytes(signed.signatureBase), index: i };
      });
      type Signed = (typeof requests)[number];

      const keyObjects = keys.map((k) =>
        createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyToBase64url(k.publicKey) },
          format: 'jwk',
        }),
      );
      const verifyNoble = (r: Signed): boolean =>
        ed25519.verify(r.signed.signature, r.base, r.pair.publicKey);
      const verifyOpenssl = (r: Signed): boolean =>
        cryptoVerify(null, r.base, keyObjects[r.index % keys.length]!, r.signed.signature);
      const verifyFull = (r: Signed): boolean =>
        verifyRequest({
          method: 'POST',
          url: `https://api.yuanbridge.test/v1/payments/${r.index}`,
          headers: { 'content-type': 'application/json', ...r.signed.headers },
          body: r.body,
          now,
          maxAgeSeconds: 300,
          maxSkewSeconds: 30,
          resolveKey: (keyId) => ({ publicKey: keys[Number(keyId.slice(1))]!.publicKey }),
        }).ok;
      // Warm-up passes (JIT, key cache) are not timed: a whole pass for the cheap paths, 200
      // signatures for noble (its cost is big-integer arithmetic, warm after a few calls).
      const timed = (verify: (r: Signed) => boolean, warmUp = requests.length): number => {
        for (const r of requests.slice(0, warmUp)) verify(r);
        const t = performance.now();
        for (const r of requests) if (!verify(r)) throw new Error(`signature ${r.index} did not verify`);
        return performance.now() - t;
      };

      const nobleMs = timed(verifyNoble, 200); // @noble/curves ed25519.verify over the raw bases
      const opensslMs = timed(verifyOpenssl); // OpenSSL crypto.verify, KeyObjects imported once
      const fullMs = timed(verifyFull); // parse, digest, base, cached KeyObject, OpenSSL verify

      console.log(
        [
          `signatures: ${COUNT} (node ${process.version})`,
          `noble ed25519.verify:        ${rate(COUNT, nobleMs)} (${nobleMs.toFixed(0)} ms)`,
          `OpenSSL crypto.verify:       ${rate(COUNT, opensslMs)} (${opensslMs.toFixed(0)} ms)`,
          `verifyRequest (full path):   ${rate(COUNT, fullMs)} (${fullMs.toFixed(0)} ms)`,
          `OpenSSL / noble:             ${(nobleMs / opensslMs).toFixed(1)}x`,
        ].join('\n'),
      );
    },
  );
});
