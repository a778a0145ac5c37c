import { merkleRootOfPacked } from '../proof/node-sha256.js';
import type { CheckpointRow } from '../events/audit-event.view.js';
import { CheckpointSignatures, type NodeKeyLookup } from './checkpoint-signature.js';
import type { BreakKind, LogBreak, Query, VerificationReport } from './log-verifier.js';

/** Checkpoints per chunk of work: chunks end on checkpoint boundaries, so each is self-contained. */
const CHUNK_EVENTS = 100_000;
const CHECKPOINT_PAGE = 10_000;

/** A run of consecutive checkpoints; its rows are checked from `start` (exclusive) to the last `to`. */
interface Chunk {
  readonly start: bigint;
  readonly checkpoints: CheckpointRow[];
}

/** A break, and where it sorts: a row at its position, a checkpoint at its end (where a sequential reader finds it). */
interface Found extends LogBreak {
  readonly sortKey: bigint;
  readonly rowLevel: boolean;
}

/**
 * Each row's content against its hash (SHA-256 over the canonical encoding, audit-proof.mts,
 * computed by the database), each row's link to the row before it, and no position skipped:
 * the first row that fails, if any, in (start, end]. The row at `start` is read for the link only.
 */
const ROW_CHECK = `
  with w as (
    select global_position as p, hash, chain,
      sha256(convert_to(stream_id || E'\\n' || stream_version || E'\\n' || type || E'\\n' ||
        to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || E'\\n' ||
        data::text || E'\\n' || metadata::text, 'UTF8')) as recomputed,
      lag(global_position) over o as prev_p, lag(chain) over o as prev_chain
    from events where global_position >= $1 and global_position <= $2
    window o as (order by global_position))
  select p::text as position, coalesce(prev_p, $1)::text as previous, recomputed = hash as content_ok
    from w
   where p > $1 and not (coalesce(prev_p, $1) = p - 1 and recomputed = hash
     and sha256(coalesce(prev_chain, '\\x${'00'.repeat(32)}'::bytea) || hash) = chain)
   order by p limit 1`;

/**
 * Whole-log verification with the hashing done where the rows are: PostgreSQL recomputes each
 * row's hash and chain link (ROW_CHECK); Node rebuilds every checkpoint's Merkle root from the
 * stored hashes, compares the signed chain heads and checks the signatures. Work is cut into
 * chunks of whole checkpoints, run on every connection given (one core each on the server), all
 * reading one snapshot. Finds the same first break as the independent, row-by-row verifier
 * (log-verifier.ts), which trusts nothing the database computes; this one trusts its sha256().
 */
export async function verifyLogInDatabase(
  connections: readonly Query[],
  nodeKey: NodeKeyLookup,
): Promise<VerificationReport> {
  const started = performance.now();
  const [main] = connections;
  const [state] = await main!(
    `select (select position from event_log_head where id = 1)::text as head,
            (select max(global_position) from events)::text as last_row,
            (select count(*) from events)::text as rows`,
  );
  const head = BigInt(String(state!.head ?? 0));
  const lastRow = state!.last_row === null ? 0n : BigInt(String(state!.last_row));
  const signatures = new CheckpointSignatures(nodeKey);

  const found: Found[] = [];
  let checkpointsChecked = 0;
  const rowBreak = async (query: Query, start: bigint, end: bigint): Promise<void> => {
    if (end <= start) return;
    const [row] = await query(ROW_CHECK, [start.toString(), end.toString()]);
    if (row === undefined) return;
    const position = BigInt(String(row.position));
    const previous = BigInt(String(row.previous));
    if (position !== previous + 1n) {
      found.push({
        position: (previous + 1n).toString(),
        kind: 'deleted',
        detail: `positions ${previous + 1n}..${position - 1n} are missing from the log`,
        sortKey: previous + 1n,
        rowLevel: true,
      });
    } else {
      const altered = row.content_ok !== true;
      found.push({
        position: position.toString(),
        kind: altered ? 'altered' : 'reordered',
        detail: altered
          ? `the event at ${position} no longer matches its hash: its content was changed`
          : `the event at ${position} is intact but does not follow the event before it: rows were moved or one was put before it`,
        sortKey: position,
        rowLevel: true,
      });
    }
  };
  const checkpointBreak = (checkpoint: CheckpointRow, kind: BreakKind, detail: string) =>
    found.push({
      position: (BigInt(checkpoint.from_position) + 1n).toString(),
      kind,
      detail,
      sortKey: BigInt(checkpoint.to_position),
      rowLevel: false,
    });

  const runChunk = async (query: Query, chunk: Chunk): Promise<void> => {
    const end = BigInt(chunk.checkpoints.at(-1)!.to_position);
    const first = BigInt(chunk.checkpoints[0]!.from_position);
    await rowBreak(query, chunk.start, end);
    const [packed] = await query(
      `select string_agg(hash, ''::bytea) as hashes, count(*)::int as n
         from (select hash from events where global_position > $1 and global_position <= $2
               order by global_position) s`,
      [first.toString(), end.toString()],
    );
    const chains = new Map(
      (
        await query(
          'select global_position::text as p, chain from events where global_position = any($1::bigint[])',
          [chunk.checkpoints.map((c) => c.to_position)],
        )
      ).map((r) => [String(r.p), r.chain as Buffer]),
    );
    const hashes = (packed?.hashes as Buffer | null) ?? Buffer.alloc(0);
    let offset = 0;
    for (const checkpoint of chunk.checkpoints) {
      const from = BigInt(checkpoint.from_position);
      const to = BigInt(checkpoint.to_position);
      const count = Number(to - from);
      const unsigned = signatures.problem(checkpoint);
      if (unsigned !== null) {
        checkpointBreak(checkpoint, 'bad_signature', unsigned);
        return;
      }
      if (offset + count * 32 > hashes.length) {
        // Rows at the end of the range are gone (a gap inside it is found by the row check).
        const present = (hashes.length - offset) / 32;
        found.push({
          position: (from + BigInt(present) + 1n).toString(),
          kind: 'deleted',
          detail: `the log ends inside checkpoint ${to}: positions after ${from + BigInt(present)} were removed`,
          sortKey: to,
          rowLevel: false,
        });
        return;
      }
      if (!merkleRootOfPacked(hashes, offset, count).equals(checkpoint.merkle_root)) {
        checkpointBreak(
          checkpoint,
          'altered',
          `the events at positions ${from + 1n}..${to} no longer hash to the Merkle root the node signed in checkpoint ${to}: rows were rewritten`,
        );
        return;
      }
      if (!chains.get(checkpoint.to_position)?.equals(checkpoint.chain_head)) {
        checkpointBreak(
          checkpoint,
          'altered',
          `the chain at position ${to} is not the head the node signed in checkpoint ${to}: rows up to it were rewritten`,
        );
        return;
      }
      offset += count * 32;
      checkpointsChecked++;
    }
  };

  // Chunks are cut while the checkpoints are paged through (their tiling is checked on the way)
  // and run on the connections as they come free.
  const pending: Chunk[] = [];
  let producing = true;
  const idle: Array<() => void> = [];
  const wakeAll = () => {
    for (const resolve of idle.splice(0)) resolve();
  };
  const workers = connections.map(async (query) => {
    for (;;) {
      const chunk = pending.shift();
      if (chunk !== undefined) {
        await runChunk(query, chunk);
        continue;
      }
      if (!producing) return;
      await new Promise<void>((resolve) => idle.push(resolve));
    }
  });
  const dispatch = (chunk: Chunk) => {
    pending.push(chunk);
    wakeAll();
  };

  let coveredTo = 0n;
  let chunk: Chunk = { start: 0n, checkpoints: [] };
  let chunkEvents = 0n;
  let failure: unknown = null;
  try {
    for (let cursor = -1n; ;) {
      const page = (await main!(
        `select to_position::text, from_position::text, merkle_root, chain_head, recorded_at, key_id, signature
           from audit_checkpoints c where c.to_position > $1 order by c.to_position limit ${CHECKPOINT_PAGE}`,
        [cursor.toString()],
      )) as unknown as CheckpointRow[];
      for (const checkpoint of page) {
        const from = BigInt(checkpoint.from_position);
        const to = BigInt(checkpoint.to_position);
        if (from !== coveredTo) {
          found.push({
            position: (coveredTo + 1n).toString(),
            kind: from > coveredTo ? 'checkpoint_missing' : 'inserted',
            detail:
              from > coveredTo
                ? `no checkpoint covers positions ${coveredTo + 1n}..${from} (a checkpoint was deleted)`
                : `checkpoint ${to} overlaps the one before it (a checkpoint was inserted)`,
            sortKey: from > coveredTo ? from : to,
            rowLevel: false,
          });
          producing = false;
          break;
        }
        chunk.checkpoints.push(checkpoint);
        chunkEvents += to - from;
        coveredTo = to;
        if (chunkEvents >= CHUNK_EVENTS) {
          dispatch(chunk);
          chunk = { start: to, checkpoints: [] };
          chunkEvents = 0n;
        }
      }
      if (!producing || page.length < CHECKPOINT_PAGE) break;
      cursor = coveredTo;
      // Never run far ahead of the workers: a few chunks queued are enough to keep them busy.
      while (pending.length > connections.length * 2) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (chunk.checkpoints.length > 0) dispatch(chunk);
  } catch (error) {
    failure = error;
    pending.length = 0;
  } finally {
    producing = false;
    wakeAll();
  }
  // The connections are the caller's: nothing may still run on them when this returns.
  await Promise.all(workers);
  if (failure !== null) throw failure;

  // What no checkpoint covers: rows past the last one were not written by the node; a log that
  // ends before its head or last checkpoint lost its tail.
  if (lastRow > coveredTo) {
    found.push({
      position: (coveredTo + 1n).toString(),
      kind: 'inserted',
      detail: `the events from ${coveredTo + 1n} on are covered by no signed checkpoint${lastRow > head ? ' and lie past the log head' : ''}: they were not written by the node`,
      sortKey: coveredTo + 1n,
      rowLevel: true,
    });
  } else if (lastRow < head) {
    found.push({
      position: (lastRow + 1n).toString(),
      kind: 'deleted',
      detail: `the log ends at ${lastRow}, but its head is at ${head}: events ${lastRow + 1n}..${head} were removed`,
      sortKey: lastRow + 1n,
      rowLevel: true,
    });
  }
  found.sort((a, b) =>
    a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : Number(b.rowLevel) - Number(a.rowLevel),
  );
  const first = found[0];
  return {
    ok: first === undefined,
    head: head.toString(),
    eventsChecked: first === undefined ? Number(state!.rows) : Number(BigInt(first.position) - 1n),
    checkpointsChecked,
    firstBreak:
      first === undefined ? null : { position: first.position, kind: first.kind, detail: first.detail },
    durationMs: Math.round(performance.now() - started),
  };
}
