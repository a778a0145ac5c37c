import type { Id } from '../../ledger/domain/id.js';
import type { SettledBy } from './payment.js';
import { netPositions, type PlannedPayment } from './settlement.js';

/**
 * The liquidity-saving mechanism: sets of queued payments that cannot settle one by one but can
 * together, because what each participant receives within the set covers what it pays. Three
 * passes, each on what the previous left queued:
 *
 * 1. bilateral offsetting: all queued payments between two banks, both ways;
 * 2. cycle search: a cycle of banks A → B → … → A in the graph of queued payments, taking the
 *    oldest payment on each edge (the classic gridlock);
 * 3. multilateral offsetting with removal: the whole remaining queue; while some account would
 *    end short, drop the lowest-priority, latest payment that debits the account short by most,
 *    and try again (after Bech and Soramäki's gridlock resolution).
 *
 * A set is feasible when every account's net debit is covered by what it has available (plus what
 * earlier sets of the same cycle already moved). The ledger stays the final arbiter: the caller
 * books each set as one linked chain, and a chain the ledger refuses leaves its payments queued.
 */
export interface NetSet {
  readonly mechanism: Exclude<SettledBy, 'gross'>;
  readonly payments: readonly PlannedPayment[];
}

const MAX_CYCLE_LENGTH = 8;
const MAX_CYCLES = 64;

export function findNetSets(queue: readonly PlannedPayment[], available: (account: Id) => bigint): NetSet[] {
  const sets: NetSet[] = [];
  const moved = new Map<Id, bigint>();
  const remaining = new Set(queue);
  const take = (mechanism: NetSet['mechanism'], set: readonly PlannedPayment[]) => {
    sets.push({ mechanism, payments: set });
    for (const [account, { net }] of netPositions(set)) moved.set(account, (moved.get(account) ?? 0n) + net);
    for (const p of set) remaining.delete(p);
  };
  const feasible = (set: readonly PlannedPayment[]) => shortfalls(set, available, moved).length === 0;

  // 1. Bilateral: every pair of banks with payments both ways.
  const pairs = new Map<string, PlannedPayment[]>();
  for (const p of remaining) {
    const { payer, payee } = p.instruction;
    const key = payer.bank < payee.bank ? `${payer.bank}|${payee.bank}` : `${payee.bank}|${payer.bank}`;
    const pair = pairs.get(key);
    if (pair === undefined) pairs.set(key, [p]);
    else pair.push(p);
  }
  for (const set of pairs.values()) {
    const ways = new Set(set.map((p) => p.instruction.payer.bank));
    if (ways.size < 2) continue;
    const reduced = withRemoval(set, available, moved);
    if (reduced.length >= 2 && new Set(reduced.map((p) => p.instruction.payer.bank)).size === 2)
      take('bilateral_offset', reduced);
  }

  // 2. Cycles of three or more banks, oldest payment per edge.
  for (const cycle of findCycles([...remaining])) {
    if (cycle.some((p) => !remaining.has(p))) continue;
    if (feasible(cycle)) take('cycle', cycle);
  }

  // 3. Multilateral with removal over what is left.
  const rest = withRemoval([...remaining], available, moved);
  if (rest.length >= 2) take('multilateral_offset', rest);
  return sets;
}

/** Accounts that would end short, with how short, largest first. */
function shortfalls(
  set: readonly PlannedPayment[],
  available: (account: Id) => bigint,
  moved: ReadonlyMap<Id, bigint>,
): Array<[Id, bigint]> {
  const short: Array<[Id, bigint]> = [];
  for (const [account, { net }] of netPositions(set)) {
    if (net >= 0n) continue;
    const has = available(account) + (moved.get(account) ?? 0n);
    if (has + net < 0n && !isUnlimited(account, available)) short.push([account, -(has + net)]);
  }
  return short.sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
}

/** Accounts without a balance limit (clearing, issuance) are never short; `available` says so with a sentinel. */
function isUnlimited(account: Id, available: (account: Id) => bigint): boolean {
  return available(account) === UNLIMITED;
}

export const UNLIMITED = 1n << 126n;

function withRemoval(
  set: readonly PlannedPayment[],
  available: (account: Id) => bigint,
  moved: ReadonlyMap<Id, bigint>,
): PlannedPayment[] {
  let current = [...set];
  if (current.length < 2) return [];
  // Net positions kept up to date as payments leave, rather than summed again each round.
  const positions = netPositions(current);
  while (current.length >= 2) {
    const account = shortest(current, positions, available, moved);
    if (account === null) return current;
    // Drop the lowest-priority, then latest, payment whose legs debit the short account.
    const debiting = current.filter((p) => p.legs.some((l) => l.debitAccountId === account));
    const victim = (debiting.length > 0 ? debiting : current).reduce((worst, p) =>
      later(p, worst) ? p : worst,
    );
    current = current.filter((p) => p !== victim);
    for (const leg of victim.legs) {
      positions.get(leg.debitAccountId)!.net += leg.amountMinor;
      positions.get(leg.creditAccountId)!.net -= leg.amountMinor;
    }
  }
  return [];
}

/**
 * The account `shortfalls(current)` names first: the one short by most; of several short by as
 * much, the first that `current`'s legs name (debit before credit), as `netPositions` lists them.
 */
function shortest(
  current: readonly PlannedPayment[],
  positions: ReadonlyMap<Id, { readonly net: bigint }>,
  available: (account: Id) => bigint,
  moved: ReadonlyMap<Id, bigint>,
): Id | null {
  let most = 0n;
  let found: Id[] = [];
  for (const [account, { net }] of positions) {
    if (net >= 0n) continue;
    const has = available(account) + (moved.get(account) ?? 0n);
    if (has + net >= 0n || isUnlimited(account, available)) continue;
    const short = -(has + net);
    if (found.length === 0 || short > most) {
      most = short;
      found = [account];
    } else if (short === most) {
      found.push(account);
    }
  }
  if (found.length <= 1) return found[0] ?? null;
  const tied = new Set(found);
  for (const p of current) {
    for (const leg of p.legs) {
      if (tied.has(leg.debitAccountId)) return leg.debitAccountId;
      if (tied.has(leg.creditAccountId)) return leg.creditAccountId;
    }
  }
  return found[0]!;
}

/** True if `a` should leave a set before `b`: lower priority, or equal priority and received later. */
function later(a: PlannedPayment, b: PlannedPayment): boolean {
  if (a.instruction.priority !== b.instruction.priority)
    return a.instruction.priority < b.instruction.priority;
  if (a.instruction.receivedAt !== b.instruction.receivedAt)
    return a.instruction.receivedAt > b.instruction.receivedAt;
  return a.instruction.id > b.instruction.id;
}

/**
 * Simple cycles of three or more banks in the graph payer → payee, each as the oldest payment on
 * each edge; found by depth-first search from each bank in a fixed order (deterministic), bounded.
 */
function findCycles(payments: readonly PlannedPayment[]): PlannedPayment[][] {
  const edges = new Map<string, Map<string, PlannedPayment>>();
  for (const p of payments) {
    const { payer, payee } = p.instruction;
    const out = edges.get(payer.bank) ?? new Map<string, PlannedPayment>();
    const existing = out.get(payee.bank);
    if (existing === undefined || later(existing, p)) out.set(payee.bank, p);
    edges.set(payer.bank, out);
  }
  const banks = [...edges.keys()].sort();
  const cycles: PlannedPayment[][] = [];
  const used = new Set<PlannedPayment>();
  for (const start of banks) {
    const path: PlannedPayment[] = [];
    const visit = (bank: string, seen: Set<string>): boolean => {
      if (cycles.length >= MAX_CYCLES || path.length >= MAX_CYCLE_LENGTH) return false;
      for (const next of [...(edges.get(bank)?.keys() ?? [])].sort()) {
        const payment = edges.get(bank)!.get(next)!;
        if (used.has(payment)) continue;
        if (next === start && path.length >= 2) {
          const cycle = [...path, payment];
          cycles.push(cycle);
          cycle.forEach((p) => used.add(p));
          return true;
        }
        // Only banks after the start: each cycle is found once, from its smallest bank.
        if (seen.has(next) || next < start) continue;
        seen.add(next);
        path.push(payment);
        if (visit(next, seen)) return true;
        path.pop();
        seen.delete(next);
      }
      return false;
    };
    visit(start, new Set([start]));
  }
  return cycles;
}
