import { POSITION } from '../../platform/http/query-reader.js';
import type { LogBreak, Query, VerificationReport } from './log-verifier.js';

/**
 * What a verifier remembers of a log it verified: the head position and the chain value there.
 *
 * The chain value at a position commits to every event up to it, so a later log whose chain at
 * that position is the same has the same history up to it. Verification alone cannot see a log
 * cut short consistently (tail events, their checkpoints and the head removed together: what
 * remains is a valid, shorter log), nor a history rewritten by someone holding the node key. A
 * regulator who keeps the witness of each verification sees both the next time: the log must
 * still reach the remembered head, with the remembered chain value there. This is the
 * consistency check of transparency logs (RFC 9162 §2.1.4), done with the hash chain.
 */
export interface Witness {
  readonly position: string;
  /** The chain value of the event at `position`, hex; 64 zeros for the empty log. */
  readonly chain: string;
  /** When this verifier saw it (ISO 8601). */
  readonly seenAt: string;
}

const GENESIS = '0'.repeat(64);

export function parseWitness(text: string): Witness {
  const value = JSON.parse(text) as Partial<Witness>;
  if (
    typeof value.position !== 'string' ||
    !POSITION.test(value.position) ||
    typeof value.chain !== 'string' ||
    !/^[0-9a-f]{64}$/.test(value.chain) ||
    typeof value.seenAt !== 'string'
  ) {
    throw new Error('not a witness: expected {"position", "chain" (64 hex digits), "seenAt"}');
  }
  return { position: value.position, chain: value.chain, seenAt: value.seenAt };
}

async function chainAt(query: Query, position: bigint): Promise<string | null> {
  if (position === 0n) return GENESIS;
  const [row] = await query(`select encode(chain, 'hex') as chain from events where global_position = $1`, [
    position.toString(),
  ]);
  return row === undefined ? null : String(row.chain);
}

/**
 * Checks a verified log against an earlier witness (in the same snapshot as the verification, so
 * that the chain values read are the ones just verified). A log that does not verify is reported
 * as it is; one that verifies but no longer extends the witness gets a `truncated` or `forked`
 * break.
 */
export async function checkWitness(
  query: Query,
  report: VerificationReport,
  earlier: Witness,
): Promise<VerificationReport> {
  if (!report.ok) return report;
  const head = BigInt(report.head);
  const seen = BigInt(earlier.position);
  let found: LogBreak | null = null;
  if (head < seen) {
    found = {
      position: (head + 1n).toString(),
      kind: 'truncated',
      detail: `the log ends at position ${head}, but it reached position ${seen} when verified at ${earlier.seenAt}: events were removed from its end`,
    };
  } else {
    const chain = await chainAt(query, seen);
    if (chain !== earlier.chain) {
      found = {
        position: earlier.position,
        kind: 'forked',
        detail: `the history up to position ${seen} is not the one verified at ${earlier.seenAt} (chain ${chain ?? 'missing'} there, was ${earlier.chain}): it was rewritten`,
      };
    }
  }
  return found === null ? report : { ...report, ok: false, firstBreak: found };
}

/** The witness of a log that verified: its head now. */
export async function witnessOf(query: Query, report: VerificationReport, seenAt: Date): Promise<Witness> {
  const chain = await chainAt(query, BigInt(report.head));
  if (chain === null) throw new Error(`the head ${report.head} has no event`);
  return { position: report.head, chain, seenAt: seenAt.toISOString() };
}
