import { Injectable } from '@nestjs/common';
import { Database } from '../../platform/database/database.js';
import { GENESIS_CHAIN, inclusionProof, toHex } from '../proof/audit-proof.mjs';
import { sha256 } from '../proof/node-sha256.js';
import {
  CHECKPOINT_COLUMNS,
  checkpointView,
  type AuditEventRow,
  type CheckpointRow,
  type ProofView,
} from './audit-event.view.js';

/**
 * Inclusion proofs for events a reader may see. A proof reveals the hashes of the other events in
 * the checkpoint (the audit path), never their content. Events of one checkpoint share its tree,
 * built once per call.
 */
@Injectable()
export class EventProofs {
  constructor(private readonly database: Database) {}

  async proofsFor(rows: readonly AuditEventRow[]): Promise<Map<string, ProofView>> {
    const proofs = new Map<string, ProofView>();
    if (rows.length === 0) return proofs;
    const query = this.database.dataSource.query.bind(this.database.dataSource);
    const positions = rows.map((r) => r.global_position);
    const checkpoints = (await query(
      `select distinct on (p) p::text as position, ${CHECKPOINT_COLUMNS}
         from unnest($1::bigint[]) as p
         join audit_checkpoints c on c.from_position < p and c.to_position >= p
        order by p, c.to_position`,
      [positions],
    )) as Array<CheckpointRow & { position: string }>;
    const previous = (await query(
      `select global_position::text as position, chain from events where global_position = any($1::bigint[])`,
      [positions.map((p) => (BigInt(p) - 1n).toString())],
    )) as Array<{ position: string; chain: Buffer }>;
    const chainBefore = new Map(previous.map((r) => [(BigInt(r.position) + 1n).toString(), r.chain]));
    const trees = new Map<string, Uint8Array[]>();
    for (const checkpoint of checkpoints) {
      let hashes = trees.get(checkpoint.to_position);
      if (hashes === undefined) {
        const leaves = (await query(
          `select hash from events where global_position > $1 and global_position <= $2 order by global_position`,
          [checkpoint.from_position, checkpoint.to_position],
        )) as Array<{ hash: Buffer }>;
        hashes = leaves.map((l) => l.hash);
        trees.set(checkpoint.to_position, hashes);
      }
      const index = Number(BigInt(checkpoint.position) - BigInt(checkpoint.from_position) - 1n);
      // A tampered log may not hold the whole range any more: no proof then (verify says why).
      if (index >= hashes.length) continue;
      proofs.set(checkpoint.position, {
        previousChain: toHex(
          checkpoint.position === '1'
            ? GENESIS_CHAIN
            : (chainBefore.get(checkpoint.position) ?? GENESIS_CHAIN),
        ),
        leafIndex: index,
        treeSize: hashes.length,
        path: inclusionProof(sha256, hashes, index).map(toHex),
        checkpoint: checkpointView(checkpoint),
      });
    }
    return proofs;
  }
}
