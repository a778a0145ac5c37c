import { toHex } from '../proof/audit-proof.mjs';

/** An `events` row as the audit queries select it (see AUDIT_EVENT_COLUMNS). */
export interface AuditEventRow {
  readonly global_position: string;
  readonly stream_id: string;
  readonly stream_version: number;
  readonly type: string;
  readonly recorded_at: string;
  readonly data: string;
  readonly metadata: string;
  readonly hash: Buffer;
  readonly chain: Buffer;
  readonly institutions: string[];
  readonly jurisdictions: string[];
}

/** `recorded_at` exactly as the hash covers it (Date.prototype.toISOString's form). */
export const AUDIT_EVENT_COLUMNS = `e.global_position::text, e.stream_id, e.stream_version, e.type,
  to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at,
  e.data::text as data, e.metadata::text as metadata, e.hash, e.chain, e.institutions, e.jurisdictions`;

/** A checkpoint as served: what the node signed, and its signature. */
export interface CheckpointView {
  readonly from: string;
  readonly to: string;
  readonly merkleRoot: string;
  readonly chainHead: string;
  readonly recordedAt: string;
  readonly keyId: string;
  /** Ed25519 over checkpointMessage(...) (audit-proof.mts), hex. */
  readonly signature: string;
}

/** Everything needed to check an event without trusting the service or seeing other events. */
export interface ProofView {
  /** The chain value before this event: chain = SHA-256(previousChain ‖ hash). */
  readonly previousChain: string;
  /** Leaf index of the event in its checkpoint's tree, and the tree's size. */
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes from the leaf up (RFC 9162 audit path), hex. */
  readonly path: readonly string[];
  readonly checkpoint: CheckpointView;
}

export interface AuditEventView {
  readonly position: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly recordedAt: string;
  /** The event's data, parsed. */
  readonly data: unknown;
  /** Who caused it, and the signature on the request that did (verbatim RFC 9421 fields). */
  readonly authorisedBy: {
    readonly actor: string | null;
    readonly keyId: string | null;
    readonly signatureInput: string | null;
    readonly signature: string | null;
  };
  /** The exact stored texts the hash covers. */
  readonly encoded: { readonly data: string; readonly metadata: string };
  readonly hash: string;
  readonly chain: string;
  readonly institutions: readonly string[];
  readonly jurisdictions: readonly string[];
  readonly proof: ProofView | null;
}

export function auditEventView(row: AuditEventRow, proof: ProofView | null): AuditEventView {
  const metadata = JSON.parse(row.metadata) as {
    actor?: string;
    keyId?: string;
    signature?: { input: string; value: string };
  };
  return {
    position: row.global_position,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    recordedAt: row.recorded_at,
    data: JSON.parse(row.data),
    authorisedBy: {
      actor: metadata.actor ?? null,
      keyId: metadata.keyId ?? null,
      signatureInput: metadata.signature?.input ?? null,
      signature: metadata.signature?.value ?? null,
    },
    encoded: { data: row.data, metadata: row.metadata },
    hash: toHex(row.hash),
    chain: toHex(row.chain),
    institutions: row.institutions,
    jurisdictions: row.jurisdictions,
    proof,
  };
}

export interface CheckpointRow {
  readonly to_position: string;
  readonly from_position: string;
  readonly merkle_root: Buffer;
  readonly chain_head: Buffer;
  readonly recorded_at: string;
  readonly key_id: string;
  readonly signature: Buffer;
}

export const CHECKPOINT_COLUMNS = `to_position::text, from_position::text, merkle_root, chain_head, recorded_at, key_id, signature`;

export function checkpointView(row: CheckpointRow): CheckpointView {
  return {
    from: row.from_position,
    to: row.to_position,
    merkleRoot: toHex(row.merkle_root),
    chainHead: toHex(row.chain_head),
    recordedAt: row.recorded_at,
    keyId: row.key_id,
    signature: toHex(row.signature),
  };
}
