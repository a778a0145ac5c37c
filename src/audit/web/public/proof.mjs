/**
 * Checks an audit event's proof in the browser, trusting nothing the service says about it: the
 * hash is recomputed from the stored texts, the chain link from the previous chain value, the
 * leaf is walked up to the checkpoint's Merkle root, and the checkpoint's signature is checked
 * against the node's Ed25519 key. The hashing rules are the node's own (audit-proof.mjs, the
 * compiled src/audit/proof/audit-proof.mts), with @noble/hashes' SHA-256 passed in.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { checkpointMessage, eventHash, fromHex, nextChain, toHex, verifyInclusion } from './audit-proof.mjs';
import { keyFromBase64url } from './signer.mjs';

/** SHA-256 over the concatenation of the parts, the shape audit-proof.mjs takes. */
export const sha256 = (...parts) => nobleSha256(concatBytes(...parts));

const short = (hex) => `${hex.slice(0, 16)}…`;

/**
 * `event`: one item of GET /v1/audit/events; `nodeKey`: GET /v1/node-key (its key and those it
 * replaced, `retired`). Returns every check
 * with its outcome, and `ok` only if all passed. Never throws on a malformed event: that is a
 * failed check.
 */
export function verifyEvent(event, nodeKey) {
  const checks = [];
  const check = (id, label, run) => {
    try {
      const [ok, detail] = run();
      checks.push({ id, label, ok, detail });
    } catch (error) {
      checks.push({ id, label, ok: false, detail: `cannot check: ${error.message}` });
    }
  };

  let hash = null;
  check('hash', 'Hash of the stored texts', () => {
    hash = eventHash(sha256, {
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      type: event.type,
      recordedAt: event.recordedAt,
      data: event.encoded.data,
      metadata: event.encoded.metadata,
    });
    const recomputed = toHex(hash);
    return recomputed === event.hash
      ? [true, `SHA-256 of the canonical encoding is ${short(recomputed)}, as recorded`]
      : [
          false,
          `SHA-256 of the canonical encoding is ${short(recomputed)}; the log records ${short(event.hash)}`,
        ];
  });

  const proof = event.proof;
  if (proof === null || proof === undefined) {
    checks.push({
      id: 'proof',
      label: 'Inclusion proof',
      ok: false,
      detail: 'the service gave no proof: no checkpoint covers this position in full',
    });
    return { ok: false, checks };
  }
  const checkpoint = proof.checkpoint;

  check('chain', 'Chain link from the previous event', () => {
    const chain = toHex(nextChain(sha256, fromHex(proof.previousChain), hash ?? new Uint8Array(32)));
    return chain === event.chain
      ? [true, `SHA-256(previous chain ‖ hash) is ${short(chain)}, as recorded`]
      : [false, `SHA-256(previous chain ‖ hash) is ${short(chain)}; the log records ${short(event.chain)}`];
  });

  check('position', 'Place in the checkpoint', () => {
    const position = BigInt(event.position);
    const expected = position - BigInt(checkpoint.from) - 1n;
    const inside = position > BigInt(checkpoint.from) && position <= BigInt(checkpoint.to);
    return inside && BigInt(proof.leafIndex) === expected
      ? [
          true,
          `leaf ${proof.leafIndex} of ${proof.treeSize}, covering positions (${checkpoint.from}, ${checkpoint.to}]`,
        ]
      : [
          false,
          `position ${event.position} is not leaf ${proof.leafIndex} of (${checkpoint.from}, ${checkpoint.to}]`,
        ];
  });

  check('inclusion', 'Inclusion in the checkpoint’s Merkle tree', () => {
    // The recomputed hash, not the recorded one: what must be in the signed tree is this content.
    const included =
      hash !== null &&
      verifyInclusion(
        sha256,
        hash,
        proof.leafIndex,
        proof.treeSize,
        proof.path.map(fromHex),
        fromHex(checkpoint.merkleRoot),
      );
    return included
      ? [true, `the audit path (${proof.path.length} hashes) leads to root ${short(checkpoint.merkleRoot)}`]
      : [
          false,
          `the audit path does not lead from this event’s hash to root ${short(checkpoint.merkleRoot)}`,
        ];
  });

  check('signature', 'Checkpoint signed by the node', () => {
    // The node's signing key, or one it replaced (a checkpoint keeps the key that signed it).
    const key = [nodeKey, ...(nodeKey.retired ?? [])].find((k) => k.keyId === checkpoint.keyId);
    if (key === undefined) {
      return [false, `signed with ${checkpoint.keyId}; the node’s key is ${nodeKey.keyId}`];
    }
    const valid = ed25519.verify(
      fromHex(checkpoint.signature),
      checkpointMessage(checkpoint),
      keyFromBase64url(key.publicKey, 'node key'),
    );
    const by = key === nodeKey ? key.keyId : `${key.keyId} (retired ${key.retiredAt})`;
    return valid
      ? [true, `Ed25519 signature by ${by} on checkpoint ${checkpoint.from}–${checkpoint.to}`]
      : [false, `the Ed25519 signature does not verify under ${key.keyId}`];
  });

  return { ok: checks.every((c) => c.ok), checks };
}
