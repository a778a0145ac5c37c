import type { Id } from './id.js';
import { decideLedger, decideTransferBatch, type DecidedEffects } from './ledger.decider.js';
import type { LedgerEvent } from './ledger.events.js';
import type { LedgerState } from './ledger.state.js';
import {
  AccountFlags,
  TransferFlags,
  type AccountInput,
  type CreateAccountResult,
  type CreateTransferResult,
  type TransferInput,
} from './model.js';

/**
 * How other modules move money: inside their own `decide`, they ask the ledger's pure decider what
 * a set of accounts or transfers would do to the ledger's state, and either take the resulting
 * ledger events into their own decision (so the business event and its ledger effect commit in one
 * sequencer batch) or reject the command. Nothing is recorded for a plan that fails: the caller's
 * command is refused as a whole.
 */
export type LedgerPlan<R extends string> =
  | { readonly ok: true; readonly events: readonly LedgerEvent[] }
  | { readonly ok: false; readonly failures: ReadonlyArray<{ readonly index: number; readonly result: R }> };

export function planAccounts(
  state: LedgerState,
  accounts: readonly AccountInput[],
  now: bigint,
): LedgerPlan<CreateAccountResult> {
  const decision = decideLedger({ type: 'CreateAccounts', accounts, strict: false, now }, state);
  if (decision.kind === 'rejected' || decision.reply.kind !== 'CreateAccounts') {
    throw new Error('the ledger rejected a non-strict account batch');
  }
  const failures = decision.reply.results
    .map((result, index) => ({ index, result }))
    .filter((r) => r.result !== 'ok');
  return failures.length === 0 ? { ok: true, events: decision.events } : { ok: false, failures };
}

/**
 * Plans transfers as ONE linked chain (all or nothing), whatever flags the inputs carry: the
 * `linked` flag is set on every item but the last.
 */
export function planLinkedTransfers(
  state: LedgerState,
  transfers: readonly TransferInput[],
  now: bigint,
): LedgerPlan<CreateTransferResult> {
  const chain = transfers.map((t, index) => ({
    ...t,
    flags: index < transfers.length - 1 ? t.flags | TransferFlags.linked : t.flags & ~TransferFlags.linked,
  }));
  const decision = decideLedger({ type: 'CreateTransfers', transfers: chain, strict: false, now }, state);
  if (decision.kind === 'rejected' || decision.reply.kind !== 'CreateTransfers') {
    throw new Error('the ledger rejected a non-strict transfer batch');
  }
  const failures = decision.reply.results
    .map((result, index) => ({ index, result }))
    .filter((r) => r.result !== 'ok' && r.result !== 'linked_event_failed');
  return failures.length === 0 ? { ok: true, events: decision.events } : { ok: false, failures };
}

/**
 * Plans several chains in one batch, in order: each chain is all-or-nothing and sees the effects
 * of the chains before it (a settlement cycle books many payments at once). A failed chain leaves
 * nothing behind, so its transfer ids can be tried again later. Chains must have two or more
 * transfers (a lone transfer that failed would be remembered as failed).
 */
export function planChains(
  state: LedgerState,
  chains: ReadonlyArray<readonly TransferInput[]>,
  now: bigint,
): {
  readonly events: readonly LedgerEvent[];
  readonly ok: readonly boolean[];
  /** Per chain: null, or the failing transfer's index in its chain and its result. */
  readonly failures: ReadonlyArray<{ readonly index: number; readonly result: CreateTransferResult } | null>;
  /**
   * The effects of `events` as decided, for a caller that evolves them right away on the same
   * state (DecidedEffects; null when the decider could not give them exactly).
   */
  readonly effects: DecidedEffects | null;
} {
  // Plain loops, arrays made at their final size, and the batch rules called directly (no command,
  // decision or reply objects): this runs for every payment the engine submits.
  const batch = chains.length === 1 && isLinkedChain(chains[0]!) ? chains[0]! : linkedBatch(chains);
  const n = chains.length;
  const failures = new Array<{ readonly index: number; readonly result: CreateTransferResult } | null>(n);
  const ok = new Array<boolean>(n);
  if (batch.length === 0) {
    failures.fill(null);
    ok.fill(true);
    return { events: [], ok, failures, effects: null };
  }
  const { results, events, effects } = decideTransferBatch(batch, state, now);
  let from = 0;
  for (let c = 0; c < n; c++) {
    const to = from + chains[c]!.length;
    // The chain's own failing item if it has one; else, if not all are ok, the chain failed as a
    // whole (reported on its first item); else null.
    let failure: { readonly index: number; readonly result: CreateTransferResult } | null = null;
    let allOk = true;
    for (let i = from; i < to; i++) {
      const r = results[i]!;
      if (r !== 'ok' && r !== 'linked_event_failed') {
        failure = { index: i - from, result: r };
        break;
      }
      if (r !== 'ok') allOk = false;
    }
    if (failure === null && !allOk) failure = { index: 0, result: 'linked_event_failed' };
    failures[c] = failure;
    ok[c] = failure === null;
    from = to;
  }
  return { events, ok, failures, effects };
}

/** Whether a chain of two or more transfers carries `linked` on every item but the last already. */
function isLinkedChain(chain: readonly TransferInput[]): boolean {
  const last = chain.length - 1;
  if (last < 1) return false;
  for (let index = 0; index < last; index++)
    if ((chain[index]!.flags & TransferFlags.linked) === 0) return false;
  return (chain[last]!.flags & TransferFlags.linked) === 0;
}

/** The chains as one batch, each linked as a chain (a chain of one is refused). */
function linkedBatch(chains: ReadonlyArray<readonly TransferInput[]>): TransferInput[] {
  const batch: TransferInput[] = [];
  for (const chain of chains) {
    if (chain.length === 1) throw new Error('planChains: a chain needs two or more transfers');
    const last = chain.length - 1;
    for (let index = 0; index <= last; index++) {
      const t = chain[index]!;
      const flags = index < last ? t.flags | TransferFlags.linked : t.flags & ~TransferFlags.linked;
      // An item whose flags are already right goes as it is (the decider only reads items).
      batch.push(flags === t.flags ? t : { ...t, flags });
    }
  }
  return batch;
}

/** A plain account input: no user data, the given flags. */
export function accountInput(id: Id, currency: string, code: number, flags: number): AccountInput {
  return { id, currency, code, flags, userData128: null, userData64: 0n, userData32: 0 };
}

/**
 * A single-phase transfer input; `userData128` ties the leg to the business object it serves.
 * `flags` (0 by default) lets a caller that builds a linked chain set `linked` here, in the one
 * object per item: planChains passes an item whose flags are already right as it is.
 */
export function transferInput(fields: {
  readonly id: Id;
  readonly debitAccountId: Id;
  readonly creditAccountId: Id;
  readonly amount: bigint;
  readonly currency: string;
  readonly code: number;
  readonly userData128?: Id | null;
  readonly flags?: number;
}): TransferInput {
  return {
    id: fields.id,
    debitAccountId: fields.debitAccountId,
    creditAccountId: fields.creditAccountId,
    amount: fields.amount,
    pendingId: null,
    userData128: fields.userData128 ?? null,
    userData64: 0n,
    userData32: 0,
    timeout: 0,
    currency: fields.currency,
    code: fields.code,
    flags: fields.flags ?? 0,
  };
}

/** Posted balance of an account seen from its holder: credits minus debits. */
export function creditBalance(state: LedgerState, id: Id): bigint {
  const account = state.accounts.get(id);
  return account === undefined ? 0n : account.creditsPosted - account.debitsPosted;
}

/** What an account can still send: posted credits minus posted and pending debits. */
export function availableBalance(state: LedgerState, id: Id): bigint {
  const account = state.accounts.get(id);
  return account === undefined ? 0n : account.creditsPosted - account.debitsPosted - account.debitsPending;
}

export { AccountFlags, TransferFlags };
