import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Id } from '../../src/ledger/domain/id.js';
import { findNetSets, UNLIMITED, type NetSet } from '../../src/payments/domain/liquidity-saving.js';
import type { PlannedPayment } from '../../src/payments/domain/settlement.js';
import { xorshift32 } from '../support/prng.js';

/*
 * The liquidity-saving mechanism as it was before its net positions were kept incrementally
 * (commit bc87080, verbatim but for names): the reference the current one must agree with, set
 * for set and payment for payment, on random queues (ties in amounts and priorities included).
 */
function referenceNetPositions(set: readonly PlannedPayment[]): Map<Id, { currency: string; net: bigint }> {
  const positions = new Map<Id, { currency: string; net: bigint }>();
  const add = (account: Id, currency: string, delta: bigint) => {
    const position = positions.get(account) ?? { currency, net: 0n };
    positions.set(account, { currency, net: position.net + delta });
  };
  for (const planned of set) {
    for (const leg of planned.legs) {
      add(leg.debitAccountId, leg.currency, -leg.amountMinor);
      add(leg.creditAccountId, leg.currency, leg.amountMinor);
    }
  }
  return positions;
}

const MAX_CYCLE_LENGTH = 8;
const MAX_CYCLES = 64;

function referenceFindNetSets(
  queue: readonly PlannedPayment[],
  available: (account: Id) => bigint,
): NetSet[] {
  const sets: NetSet[] = [];
  const moved = new Map<Id, bigint>();
  const remaining = new Set(queue);
  const take = (mechanism: NetSet['mechanism'], set: readonly PlannedPayment[]) => {
    sets.push({ mechanism, payments: set });
    for (const [account, { net }] of referenceNetPositions(set))
      moved.set(account, (moved.get(account) ?? 0n) + net);
    for (const p of set) remaining.delete(p);
  };
  const feasible = (set: readonly PlannedPayment[]) => shortfalls(set, available, moved).length === 0;

  // 1. Bilateral: every pair of banks with payments both ways.
  const pairs = new Map<string, PlannedPayment[]>();
  for (const p of remaining) {
    const { payer, payee } = p.instruction;
    const key = payer.bank < payee.bank ? `${payer.bank}|${payee.bank}` : `${payee.bank}|${payer.bank}`;
    pairs.set(key, [...(pairs.get(key) ?? []), p]);
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
  for (const [account, { net }] of referenceNetPositions(set)) {
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

function withRemoval(
  set: readonly PlannedPayment[],
  available: (account: Id) => bigint,
  moved: ReadonlyMap<Id, bigint>,
): PlannedPayment[] {
  let current = [...set];
  while (current.length >= 2) {
    const short = shortfalls(current, available, moved);
    if (short.length === 0) return current;
    const [account] = short[0]!;
    // Drop the lowest-priority, then latest, payment whose legs debit the short account.
    const debiting = current.filter((p) => p.legs.some((l) => l.debitAccountId === account));
    const victim = (debiting.length > 0 ? debiting : current).reduce((worst, p) =>
      later(p, worst) ? p : worst,
    );
    current = current.filter((p) => p !== victim);
  }
  return [];
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

function randomQueue(random: () => number, size: number): PlannedPayment[] {
  const banks = ['BA', 'BB', 'BC', 'BD', 'BE', 'BF'].slice(0, 2 + Math.floor(random() * 5));
  const pick = () => banks[Math.floor(random() * banks.length)]!;
  const queue: PlannedPayment[] = [];
  for (let i = 0; i < size; i++) {
    const payer = pick();
    let payee = pick();
    while (payee === payer) payee = pick();
    const provider = random() < 0.5 ? 'LP1' : 'LP2';
    const amount = BigInt(1 + Math.floor(random() * 4)) * 100n;
    const leg = (from: string, to: string, amountMinor: bigint) => ({
      kind: 'payer_to_provider' as const,
      from,
      to,
      debitAccountId: `account-${from}`,
      creditAccountId: `account-${to}`,
      currency: 'CNY',
      amountMinor,
    });
    const legs = [leg(payer, provider, amount), leg(provider, payee, amount)];
    if (random() < 0.3) legs.push(leg(payer, 'OPERATOR', 1n));
    queue.push({
      instruction: {
        id: `p-${String(i).padStart(4, '0')}`,
        payer: { bank: payer, jurisdiction: 'CN', currency: 'CNY', wallet: null, name: null },
        payee: { bank: payee, jurisdiction: 'HK', currency: 'CNY', wallet: null, name: null },
        fixed: 'source',
        amountMinor: amount,
        quoteId: null,
        purpose: 'test',
        remittanceInfo: null,
        priority: Math.floor(random() * 3),
        receivedAt: BigInt(Math.floor(random() * 5)),
        expiresAt: 100n,
      },
      route: { from: 'CNY', to: 'CNY', sellMinor: amount, buyMinor: amount, rate: '1', legs: [] },
      feeMinor: 0n,
      legs,
    });
  }
  return queue;
}

const describeSets = (sets: readonly NetSet[]) =>
  sets.map((s) => `${s.mechanism}:${s.payments.map((p) => p.instruction.id).join(',')}`);

describe('liquidity saving agrees with its earlier form', () => {
  it('finds the same sets, in the same order, on random queues', () => {
    const random = xorshift32(99);
    let found = 0;
    for (let round = 0; round < 400; round++) {
      const queue = randomQueue(random, 2 + Math.floor(random() * 40));
      const held = new Map<Id, bigint>();
      const available = (account: Id): bigint => {
        if (account === 'account-OPERATOR') return UNLIMITED;
        let amount = held.get(account);
        if (amount === undefined) {
          amount = BigInt(Math.floor(random() * 6)) * 100n;
          held.set(account, amount);
        }
        return amount;
      };
      for (const p of queue) for (const leg of p.legs) available(leg.debitAccountId);
      const expected = describeSets(referenceFindNetSets(queue, available));
      assert.deepEqual(describeSets(findNetSets(queue, available)), expected, `round ${round}`);
      found += expected.length;
    }
    assert.ok(found > 100, `${found} sets found`);
  });
});
