import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { checkpointMessage, toHex } from '../proof/audit-proof.mjs';
import type { CheckpointRow } from '../events/audit-event.view.js';

/** The public key a checkpoint's key id names (the node's own key: from its key file or API). */
export type NodeKeyLookup = (keyId: string) => Uint8Array | null;

/**
 * Checks checkpoints' signatures with OpenSSL (several times faster than noble's verify, which
 * matters for a log with a checkpoint per command), each key id's public key imported once.
 */
export class CheckpointSignatures {
  private readonly keys = new Map<string, KeyObject | null>();

  constructor(private readonly lookup: NodeKeyLookup) {}

  /** Null when the signature verifies; otherwise why not. */
  problem(checkpoint: CheckpointRow): string | null {
    const key = this.keyFor(checkpoint.key_id);
    if (key === null) {
      return `checkpoint ${checkpoint.to_position} is signed by ${checkpoint.key_id}, which is not the node's key`;
    }
    const body = {
      from: checkpoint.from_position,
      to: checkpoint.to_position,
      merkleRoot: toHex(checkpoint.merkle_root),
      chainHead: toHex(checkpoint.chain_head),
      recordedAt: checkpoint.recorded_at,
    };
    return verify(null, checkpointMessage(body), key, checkpoint.signature)
      ? null
      : `the signature of checkpoint ${checkpoint.to_position} does not verify: the checkpoint was changed`;
  }

  private keyFor(keyId: string): KeyObject | null {
    if (!this.keys.has(keyId)) {
      const raw = this.lookup(keyId);
      this.keys.set(
        keyId,
        raw === null
          ? null
          : createPublicKey({
              key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
              format: 'jwk',
            }),
      );
    }
    return this.keys.get(keyId)!;
  }
}
