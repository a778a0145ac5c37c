import assert from 'node:assert/strict';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  canonicalText,
  checkpointMessage,
  fromHex,
  nextChain,
  toHex,
  verifyInclusion,
} from '../../src/audit/proof/audit-proof.mjs';
import { sha256, sha256Text } from '../../src/audit/proof/node-sha256.js';

/** An audit event as GET /v1/audit/events serves it (the fields a proof check reads). */
export interface ServedAuditEvent {
  readonly position: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly encoded: { readonly data: string; readonly metadata: string };
  readonly hash: string;
  readonly chain: string;
  readonly proof: {
    readonly previousChain: string;
    readonly leafIndex: number;
    readonly treeSize: number;
    readonly path: readonly string[];
    readonly checkpoint: {
      readonly from: string;
      readonly to: string;
      readonly merkleRoot: string;
      readonly chainHead: string;
      readonly recordedAt: string;
      readonly signature: string;
    };
  } | null;
}

/**
 * Checks a served event as a regulator would, trusting only the node's public key: the hash
 * from the stored texts, the chain link from the one before, the leaf in the checkpoint's tree,
 * and the node's signature on the checkpoint. Returns the recomputed hash.
 */
export function assertEventProof(event: ServedAuditEvent, nodePublicKey: Uint8Array): Uint8Array {
  const hash = sha256Text(
    canonicalText({
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      type: event.type,
      recordedAt: event.recordedAt,
      data: event.encoded.data,
      metadata: event.encoded.metadata,
    }),
  );
  assert.equal(toHex(hash), event.hash, `event ${event.position}: hash`);
  assert.ok(event.proof, `event ${event.position} has a proof`);
  assert.equal(
    toHex(nextChain(sha256, fromHex(event.proof.previousChain), hash)),
    event.chain,
    `event ${event.position}: chain link`,
  );
  const { checkpoint } = event.proof;
  assert.ok(
    verifyInclusion(
      sha256,
      hash,
      event.proof.leafIndex,
      event.proof.treeSize,
      event.proof.path.map(fromHex),
      fromHex(checkpoint.merkleRoot),
    ),
    `event ${event.position}: inclusion in checkpoint ${checkpoint.to}`,
  );
  assert.ok(
    ed25519.verify(fromHex(checkpoint.signature), checkpointMessage(checkpoint), nodePublicKey),
    `checkpoint ${checkpoint.to}: the node's signature`,
  );
  return hash;
}
