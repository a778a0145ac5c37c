import type { AccountInput, TransferInput } from '../../src/ledger/domain/model.js';

/**
 * Deterministic workload generation. A seeded generator makes two runs submit the same ids,
 * pairs and amounts, so a difference between runs is the machine or the code, not the data.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast, good enough to spread pairs and ids. */
  next32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  below(n: number): number {
    return this.next32() % n;
  }

  /** A v4-shaped UUID, lowercase (the ledger's canonical id form). */
  uuid(): string {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const a = hex(this.next32());
    const b = hex(this.next32());
    const c = hex(this.next32());
    const d = hex(this.next32());
    const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

export const CURRENCY = 'CNY';
export const CODE = 1;

export function makeAccounts(rng: Rng, count: number): AccountInput[] {
  return Array.from({ length: count }, () => ({
    id: rng.uuid(),
    currency: CURRENCY,
    code: CODE,
    flags: 0, // no balance limits: every transfer of the workload succeeds
    userData128: null,
    userData64: 0n,
    userData32: 0,
  }));
}

/** Single-phase transfers between two different random accounts, 1..1000 minor units. */
export function makeTransfers(rng: Rng, accountIds: readonly string[], count: number): TransferInput[] {
  const transfers: TransferInput[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const debit = rng.below(accountIds.length);
    let credit = rng.below(accountIds.length - 1);
    if (credit >= debit) credit++;
    transfers[i] = {
      id: rng.uuid(),
      debitAccountId: accountIds[debit]!,
      creditAccountId: accountIds[credit]!,
      amount: BigInt(1 + rng.below(1000)),
      pendingId: null,
      userData128: null,
      userData64: 0n,
      userData32: 0,
      timeout: 0,
      currency: CURRENCY,
      code: CODE,
      flags: 0,
    };
  }
  return transfers;
}

/** The same transfers as the REST API takes them (amountMinor: integer minor units as a string). */
export function transfersRequestBody(transfers: readonly TransferInput[]): string {
  return JSON.stringify({
    transfers: transfers.map((t) => ({
      id: t.id,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amountMinor: t.amount!.toString(),
      currency: t.currency,
      code: t.code,
    })),
  });
}

/** Runs `count` jobs with at most `concurrency` in flight: a job starts as soon as one ends. */
export async function pump(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
