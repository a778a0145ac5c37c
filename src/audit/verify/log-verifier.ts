import { GENESIS_CHAIN, canonicalText, merkleRoot, nextChain } from '../proof/audit-proof.mjs';
import { sha256, sha256Text } from '../proof/node-sha256.js';
import { verifyLogInDatabase } from './database-verifier.js';
import { CheckpointSignatures, type NodeKeyLookup } from './checkpoint-signature.js';
import type { AuditEventRow, CheckpointRow } from '../events/audit-event.view.js';

export type { NodeKeyLookup } from './checkpoint-signature.js';

/** Runs one statement: a TypeORM DataSource's `query` or a pg Client's, as the caller has. */
export type Query = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * What a break in the log is:
 * - `altered`: a row's content no longer matches its hash, or a checkpoint's Merkle root or chain
 *   head no longer matches the rows it covers (rows rewritten with their hashes recomputed);
 * - `deleted`: a position is missing, or the log ends before its head or last checkpoint;
 * - `inserted`: a row that no signed checkpoint covers (the node seals every batch it commits);
 * - `reordered`: a row's content matches its hash but it does not follow the row before it
 *   (rows moved, or one put in front of it);
 * - `bad_signature`: a checkpoint whose signature does not verify under the node's key;
 * - `checkpoint_missing`: positions that should be covered by a checkpoint are not.
 */
export type BreakKind =
  | 'altered'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'bad_signature'
  | 'checkpoint_missing'
  /** Only against a witness (witness.ts): the log is shorter than a head seen before. */
  | 'truncated'
  /** Only against a witness: the history up to a head seen before is not the same. */
  | 'forked';

export interface LogBreak {
  readonly position: string;
  readonly kind: BreakKind;
  readonly detail: string;
}

export interface VerificationReport {
  readonly ok: boolean;
  /** The position the log head records. */
  readonly head: string;
  readonly eventsChecked: number;
  readonly checkpointsChecked: number;
  /** The first break found, in position order; null when the log verifies. */
  readonly firstBreak: LogBreak | null;
  readonly durationMs: number;
}

/** The columns the independent verifier reads (the same as the audit reads, without the scope). */
type EventRow = Omit<AuditEventRow, 'institutions' | 'jurisdictions'>;

const PAGE = 10_000;
const CHECKPOINT_PAGE = 10_000;

class Broken extends Error {
  constructor(readonly found: LogBreak) {
    super(found.detail);
  }
}

/**
 * Whole-log verification. By default the database recomputes the rows' hashes and links and Node
 * checks the checkpoints (database-verifier.ts: fast, uses every connection given, but trusts the
 * server's sha256()); `independent` reads every row and recomputes everything in Node on the first
 * connection. Both find the same first break. The connections must read one snapshot
 * (inOneSnapshot), or a log growing meanwhile would look tampered with.
 */
export function verifyLog(
  connections: readonly Query[],
  nodeKey: NodeKeyLookup,
  options: { readonly independent?: boolean } = {},
): Promise<VerificationReport> {
  return options.independent
    ? verifyLogIndependently(connections[0]!, nodeKey)
    : verifyLogInDatabase(connections, nodeKey);
}

/**
 * Runs `fn` with every connection in one transaction reading one snapshot (repeatable read, read
 * only; the first connection's snapshot exported to the others).
 */
export async function inOneSnapshot<T>(connections: readonly Query[], fn: () => Promise<T>): Promise<T> {
  const [first, ...others] = connections;
  await first!('begin transaction isolation level repeatable read read only');
  const begun = [first!];
  try {
    if (others.length > 0) {
      const [row] = await first!('select pg_export_snapshot() as snapshot');
      const snapshot = String(row!.snapshot);
      if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error(`unexpected snapshot id ${snapshot}`);
      for (const other of others) {
        await other('begin transaction isolation level repeatable read read only');
        begun.push(other);
        await other(`set transaction snapshot '${snapshot}'`);
      }
    }
    const result = await fn();
    for (const query of begun) await query('commit');
    return result;
  } catch (error) {
    for (const query of begun) await query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * The independent verifier: re-hashes the whole log and checks every checkpoint: the rows' hashes against their content,
 * each chain link, each checkpoint's Merkle root and chain head against the rows it covers, its
 * signature against the node key, and that the checkpoints cover every position once, up to the
 * head. Reads in pages, so memory stays flat whatever the log's length.
 */
export async function verifyLogIndependently(
  query: Query,
  nodeKey: NodeKeyLookup,
): Promise<VerificationReport> {
  const started = performance.now();
  const [headRow] = await query('select position from event_log_head where id = 1');
  const head = BigInt(String(headRow?.position ?? 0));
  const signatures = new CheckpointSignatures(nodeKey);

  let eventsChecked = 0;
  let checkpointsChecked = 0;
  let expected = 1n;
  let chain: Uint8Array = GENESIS_CHAIN;
  let rangeHashes: Uint8Array[] = [];
  let checkpoints: CheckpointRow[] = [];
  let nextCheckpoint = 0;
  let checkpointCursor = -1n;
  let coveredTo = 0n;

  const loadCheckpoints = async () => {
    checkpoints = (await query(
      `select to_position::text, from_position::text, merkle_root, chain_head, recorded_at, key_id, signature
         from audit_checkpoints c where c.to_position > $1 order by c.to_position limit ${CHECKPOINT_PAGE}`,
      [checkpointCursor.toString()],
    )) as unknown as CheckpointRow[];
    nextCheckpoint = 0;
  };
  const currentCheckpoint = async (): Promise<CheckpointRow | null> => {
    if (nextCheckpoint >= checkpoints.length) {
      if (checkpoints.length > 0 && checkpoints.length < CHECKPOINT_PAGE) return null;
      await loadCheckpoints();
      if (checkpoints.length === 0) return null;
    }
    return checkpoints[nextCheckpoint]!;
  };

  /** Closes the checkpoint ending at `position`, if one does. */
  const closeCheckpoint = async (position: bigint) => {
    const checkpoint = await currentCheckpoint();
    if (checkpoint === null || BigInt(checkpoint.to_position) > position) return;
    if (BigInt(checkpoint.to_position) < position) {
      throw new Broken({
        position: checkpoint.to_position,
        kind: 'inserted',
        detail: `checkpoint ${checkpoint.to_position} ends inside the range of another: a checkpoint was inserted`,
      });
    }
    const from = BigInt(checkpoint.from_position);
    if (from !== coveredTo) {
      throw new Broken({
        position: (coveredTo + 1n).toString(),
        kind: from > coveredTo ? 'checkpoint_missing' : 'inserted',
        detail:
          from > coveredTo
            ? `no checkpoint covers positions ${coveredTo + 1n}..${from} (a checkpoint was deleted)`
            : `checkpoint ${checkpoint.to_position} overlaps the one before it (a checkpoint was inserted)`,
      });
    }
    const unsigned = signatures.problem(checkpoint);
    if (unsigned !== null) {
      throw new Broken({ position: (from + 1n).toString(), kind: 'bad_signature', detail: unsigned });
    }
    if (!Buffer.from(merkleRoot(sha256, rangeHashes)).equals(checkpoint.merkle_root)) {
      throw new Broken({
        position: (from + 1n).toString(),
        kind: 'altered',
        detail: `the events at positions ${from + 1n}..${position} no longer hash to the Merkle root the node signed in checkpoint ${position}: rows were rewritten`,
      });
    }
    if (!Buffer.from(chain).equals(checkpoint.chain_head)) {
      throw new Broken({
        position: (from + 1n).toString(),
        kind: 'altered',
        detail: `the chain at position ${position} is not the head the node signed in checkpoint ${position}: rows up to it were rewritten`,
      });
    }
    checkpointsChecked++;
    coveredTo = position;
    checkpointCursor = position;
    nextCheckpoint++;
    rangeHashes = [];
  };

  try {
    for (;;) {
      const rows = (await query(
        `select e.global_position::text, e.stream_id, e.stream_version, e.type,
                to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at,
                data::text as data, metadata::text as metadata, hash, chain
           from events e where e.global_position >= $1 order by e.global_position limit ${PAGE}`,
        [expected.toString()],
      )) as unknown as EventRow[];
      for (const row of rows) {
        const position = BigInt(row.global_position);
        if (position !== expected) {
          throw new Broken({
            position: expected.toString(),
            kind: 'deleted',
            detail: `positions ${expected}..${position - 1n} are missing from the log`,
          });
        }
        if (position > head || (await currentCheckpoint()) === null) {
          throw new Broken({
            position: row.global_position,
            kind: 'inserted',
            detail: `the event at ${position} is covered by no signed checkpoint${position > head ? ' and lies past the log head' : ''}: it was not written by the node`,
          });
        }
        const hash = sha256Text(
          canonicalText({
            streamId: row.stream_id,
            streamVersion: row.stream_version,
            type: row.type,
            recordedAt: row.recorded_at,
            data: row.data,
            metadata: row.metadata,
          }),
        );
        if (!row.hash.equals(hash)) {
          throw new Broken({
            position: row.global_position,
            kind: 'altered',
            detail: `the event at ${position} (${row.type}) no longer matches its hash: its content was changed`,
          });
        }
        const link = nextChain(sha256, chain, hash);
        if (!row.chain.equals(link)) {
          throw new Broken({
            position: row.global_position,
            kind: 'reordered',
            detail: `the event at ${position} (${row.type}) is intact but does not follow the event before it: rows were moved or one was put before it`,
          });
        }
        chain = link;
        rangeHashes.push(hash);
        eventsChecked++;
        await closeCheckpoint(position);
        expected = position + 1n;
      }
      if (rows.length < PAGE) break;
    }
    const last = expected - 1n;
    const pending = await currentCheckpoint();
    if (last < head || pending !== null) {
      const end = pending !== null && BigInt(pending.to_position) > head ? BigInt(pending.to_position) : head;
      throw new Broken({
        position: (last + 1n).toString(),
        kind: 'deleted',
        detail: `the log ends at ${last}, but ${pending !== null ? `a signed checkpoint covers up to ${pending.to_position}` : `its head is at ${head}`}: events ${last + 1n}..${end} were removed`,
      });
    }
    return report(true, null);
  } catch (error) {
    if (error instanceof Broken) return report(false, error.found);
    throw error;
  }

  function report(ok: boolean, firstBreak: LogBreak | null): VerificationReport {
    return {
      ok,
      head: head.toString(),
      eventsChecked,
      checkpointsChecked,
      firstBreak,
      durationMs: Math.round(performance.now() - started),
    };
  }
}
