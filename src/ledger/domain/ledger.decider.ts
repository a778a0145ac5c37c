import {
  accepted,
  assertNever,
  rejected,
  type Decider,
  type Decision,
  type RejectionItem,
} from '../../platform/decider/decider.js';
import { decideAccount, describeAccountResult } from './create-accounts.decide.js';
import {
  decideTransfer,
  describeTransferResult,
  expiresAt,
  transferFailed,
} from './create-transfers.decide.js';
import { decideExpirePendingTransfers } from './expire-pending.decide.js';
import type { Id } from './id.js';
import type { CreateAccounts, CreateTransfers, LedgerCommand } from './ledger.commands.js';
import type { LedgerEvent } from './ledger.events.js';
import { LedgerState } from './ledger.state.js';
import {
  AccountFlags,
  STATE_DEPENDENT_ACCOUNT_RESULTS,
  STATE_DEPENDENT_TRANSFER_RESULTS,
  TRANSIENT_TRANSFER_RESULTS,
  TransferFlags,
  type Account,
  type AccountInput,
  type CreateAccountResult,
  type CreateTransferResult,
  type PendingStatus,
  type Transfer,
  type TransferInput,
} from './model.js';

/**
 * The ledger decider: TigerBeetle's create_accounts / create_transfers semantics (result codes,
 * precedence, linked chains, two-phase transfers, timeouts) over our event-sourced state.
 *
 * Batch rules live here, once for both create commands: items are decided in order against a
 * scratch overlay of the state, so later items see earlier ones; a linked chain gets its own
 * overlay that is folded in only if every item of the chain succeeds. The per-item rules are in
 * create-accounts.decide.ts and create-transfers.decide.ts.
 */

export interface CreateAccountsReply {
  readonly kind: 'CreateAccounts';
  /** One result per input account, same index. */
  readonly results: readonly CreateAccountResult[];
}

export interface CreateTransfersReply {
  readonly kind: 'CreateTransfers';
  /** One result per input transfer, same index. */
  readonly results: readonly CreateTransferResult[];
}

export interface ExpirePendingTransfersReply {
  readonly kind: 'ExpirePendingTransfers';
  /** How many pending transfers expired. */
  readonly expired: number;
}

export type LedgerReply = CreateAccountsReply | CreateTransfersReply | ExpirePendingTransfersReply;

/**
 * What the per-item rules may read: the state as of this item, i.e. the committed state plus the
 * effects of the batch's earlier items. Read-only, so a rule cannot change anything by accident.
 */
export interface LedgerView {
  account(id: Id): Account | undefined;
  transfer(id: Id): Transfer | undefined;
  /** The result with which a transfer id failed transiently, if it did. */
  failure(id: Id): CreateTransferResult | undefined;
  pendingStatus(id: Id): PendingStatus | undefined;
  pendingExpiry(id: Id): bigint | undefined;
  lastTimestamp(): bigint;
  /** The timestamp the next record created at `now` gets: unique and strictly increasing. */
  nextTimestamp(now: bigint): bigint;
}

/**
 * A decision about one item: the event it causes, or the result code why it causes none (a
 * string, told apart by `typeof`: no wrapper object per item).
 */
export type ItemOutcome<R extends string> = LedgerEvent | R;

/** Everything that applying an event writes. Implemented by the state (evolve) and by overlays (decide). */
interface LedgerStore extends LedgerView {
  putAccount(account: Account): void;
  /** Adds to an existing account's debit balances (negative amounts release a reservation). */
  addDebits(id: Id, pending: bigint, posted: bigint): void;
  /** Adds to an existing account's credit balances. */
  addCredits(id: Id, pending: bigint, posted: bigint): void;
  putTransfer(transfer: Transfer): void;
  putFailure(id: Id, result: CreateTransferResult): void;
  putPendingStatus(id: Id, status: PendingStatus): void;
  putPendingExpiry(id: Id, expiry: bigint): void;
  dropPendingExpiry(id: Id): void;
  setLastTimestamp(timestamp: bigint): void;
}

function timestampAfter(last: bigint, now: bigint): bigint {
  return now > last ? now : last + 1n;
}

function unknownAccount(id: Id): Error {
  return new Error(`ledger event refers to unknown account ${id}`);
}

/** An account with new balances: one literal, fields in the order accounts are created in. */
function withBalances(
  account: Account,
  debitsPending: bigint,
  debitsPosted: bigint,
  creditsPending: bigint,
  creditsPosted: bigint,
): Account {
  return {
    id: account.id,
    currency: account.currency,
    code: account.code,
    flags: account.flags,
    userData128: account.userData128,
    userData64: account.userData64,
    userData32: account.userData32,
    debitsPending,
    debitsPosted,
    creditsPending,
    creditsPosted,
    timestamp: account.timestamp,
  };
}

/** Read-only access to the committed state: the base that decide's overlays sit on. */
class StateView implements LedgerView {
  constructor(protected readonly state: LedgerState) {}

  account(id: Id): Account | undefined {
    return this.state.accounts.get(id);
  }

  transfer(id: Id): Transfer | undefined {
    return this.state.transfers.get(id);
  }

  failure(id: Id): CreateTransferResult | undefined {
    return this.state.failedTransfers.get(id);
  }

  pendingStatus(id: Id): PendingStatus | undefined {
    return this.state.pendingStatus.get(id);
  }

  pendingExpiry(id: Id): bigint | undefined {
    return this.state.pendingExpiries.get(id);
  }

  lastTimestamp(): bigint {
    return this.state.lastTimestamp.value;
  }

  nextTimestamp(now: bigint): bigint {
    return timestampAfter(this.state.lastTimestamp.value, now);
  }
}

/**
 * Write access to the state itself: only evolve uses this. Accounts in the state are replaced,
 * never mutated: the undo log, the capture of a batch being committed while the next is decided
 * (ledger.projection.ts), snapshots and other modules' deciders all hold references to them.
 */
class StateStore extends StateView implements LedgerStore {
  putAccount(account: Account): void {
    this.state.accounts.set(account.id, account);
  }

  addDebits(id: Id, pending: bigint, posted: bigint): void {
    const a = this.state.accounts.get(id);
    if (a === undefined) throw unknownAccount(id);
    this.state.accounts.replace(
      id,
      a,
      withBalances(
        a,
        pending === 0n ? a.debitsPending : a.debitsPending + pending,
        posted === 0n ? a.debitsPosted : a.debitsPosted + posted,
        a.creditsPending,
        a.creditsPosted,
      ),
    );
  }

  addCredits(id: Id, pending: bigint, posted: bigint): void {
    const a = this.state.accounts.get(id);
    if (a === undefined) throw unknownAccount(id);
    this.state.accounts.replace(
      id,
      a,
      withBalances(
        a,
        a.debitsPending,
        a.debitsPosted,
        pending === 0n ? a.creditsPending : a.creditsPending + pending,
        posted === 0n ? a.creditsPosted : a.creditsPosted + posted,
      ),
    );
  }

  putTransfer(transfer: Transfer): void {
    this.state.transfers.set(transfer.id, transfer);
  }

  putFailure(id: Id, result: CreateTransferResult): void {
    this.state.failedTransfers.set(id, result);
  }

  putPendingStatus(id: Id, status: PendingStatus): void {
    this.state.pendingStatus.set(id, status);
  }

  putPendingExpiry(id: Id, expiry: bigint): void {
    this.state.pendingExpiries.set(id, expiry);
  }

  dropPendingExpiry(id: Id): void {
    this.state.pendingExpiries.delete(id);
  }

  setLastTimestamp(timestamp: bigint): void {
    this.state.lastTimestamp.value = timestamp;
  }
}

/** One store per state, so that evolving an event allocates no wrapper. */
const stores = new WeakMap<LedgerState, StateStore>();

function storeOf(state: LedgerState): StateStore {
  let store = stores.get(state);
  if (store === undefined) {
    store = new StateStore(state);
    stores.set(state, store);
  }
  return store;
}

/** An account copy private to one overlay, whose balances the overlay changes in place. */
type ScratchAccount = { -readonly [F in keyof Account]: Account[F] };

/**
 * Local maps layered over a view: writes stay here, reads fall through to the layer below. Decide
 * applies its own events to one of these instead of the state, which keeps it pure; dropping the
 * overlay undoes a failed linked chain.
 *
 * Accounts are copied into the overlay once, on their first use, and then changed in place:
 * those copies never leave decide (events carry their own objects, and an account created in the
 * batch is copied too, so its event's data stays as decided). Maps are made on first write: a
 * chain's overlay usually holds a few transfers and accounts and nothing else.
 */
class Overlay implements LedgerStore {
  private accounts: Map<Id, ScratchAccount> | null = null;
  private transfers: Map<Id, Transfer> | null = null;
  private failures: Map<Id, CreateTransferResult> | null = null;
  private statuses: Map<Id, PendingStatus> | null = null;
  /** `undefined` marks an expiry deleted in this layer (it may still exist below). */
  private expiries: Map<Id, bigint | undefined> | null = null;
  private last: bigint | undefined;

  constructor(private readonly below: LedgerView) {}

  /**
   * An account read here is copied into this overlay at once: an account is read because an item
   * is about to change it, and the change then finds the copy without looking below again.
   */
  account(id: Id): Account | undefined {
    return this.own(id);
  }

  transfer(id: Id): Transfer | undefined {
    return this.transfers?.get(id) ?? this.below.transfer(id);
  }

  failure(id: Id): CreateTransferResult | undefined {
    return this.failures?.get(id) ?? this.below.failure(id);
  }

  pendingStatus(id: Id): PendingStatus | undefined {
    return this.statuses?.get(id) ?? this.below.pendingStatus(id);
  }

  pendingExpiry(id: Id): bigint | undefined {
    return this.expiries?.has(id) ? this.expiries.get(id) : this.below.pendingExpiry(id);
  }

  lastTimestamp(): bigint {
    return this.last ?? this.below.lastTimestamp();
  }

  nextTimestamp(now: bigint): bigint {
    return timestampAfter(this.lastTimestamp(), now);
  }

  putAccount(account: Account): void {
    this.adopt(
      withBalances(
        account,
        account.debitsPending,
        account.debitsPosted,
        account.creditsPending,
        account.creditsPosted,
      ),
    );
  }

  addDebits(id: Id, pending: bigint, posted: bigint): void {
    const a = this.scratch(id);
    if (pending !== 0n) a.debitsPending += pending;
    if (posted !== 0n) a.debitsPosted += posted;
  }

  addCredits(id: Id, pending: bigint, posted: bigint): void {
    const a = this.scratch(id);
    if (pending !== 0n) a.creditsPending += pending;
    if (posted !== 0n) a.creditsPosted += posted;
  }

  putTransfer(transfer: Transfer): void {
    (this.transfers ??= new Map()).set(transfer.id, transfer);
  }

  putFailure(id: Id, result: CreateTransferResult): void {
    (this.failures ??= new Map()).set(id, result);
  }

  putPendingStatus(id: Id, status: PendingStatus): void {
    (this.statuses ??= new Map()).set(id, status);
  }

  putPendingExpiry(id: Id, expiry: bigint): void {
    (this.expiries ??= new Map()).set(id, expiry);
  }

  dropPendingExpiry(id: Id): void {
    (this.expiries ??= new Map()).set(id, undefined);
  }

  setLastTimestamp(timestamp: bigint): void {
    this.last = timestamp;
  }

  /**
   * Writes this layer's changes into the state it was created over (directly over a StateView of
   * it, with no chain's layer between), all at once: the state then equals the state after
   * evolving, one by one, every event whose effects this layer holds. Called only for a layer
   * holding the effects of exactly its decision's events (see DecidedEffects), right after the
   * decision, before anything else changed the state.
   *
   * Why it is the same: accounts are final copies of the state's accounts (taken on first use)
   * with every event's balance change applied, and the account of an AccountCreated is a copy of
   * the event's; transfers, failures, statuses and expiries were put here in event order, so the
   * maps' insertion order is evolve's; the last timestamp is the last event's. An account this
   * layer only read is written back unchanged (equal values, another object). The copies become
   * the state's immutable values: this layer is never used again.
   */
  applyTo(state: LedgerState): void {
    if (this.accounts !== null)
      for (const account of this.accounts.values()) state.accounts.set(account.id, account);
    // Decide read every transfer id here from the state and found it absent (a transfer that
    // exists is never created again), and nothing changed the state since: replace() with that
    // reading spares the undo journal's look-up of the old value that set() makes, one per
    // transfer in a map of 100,000 or more.
    if (this.transfers !== null) {
      for (const transfer of this.transfers.values())
        state.transfers.replace(transfer.id, undefined, transfer);
    }
    if (this.failures !== null)
      for (const [id, result] of this.failures) state.failedTransfers.set(id, result);
    if (this.statuses !== null) for (const [id, status] of this.statuses) state.pendingStatus.set(id, status);
    if (this.expiries !== null) {
      for (const [id, expiry] of this.expiries) {
        if (expiry === undefined) state.pendingExpiries.delete(id);
        else state.pendingExpiries.set(id, expiry);
      }
    }
    if (this.last !== undefined) state.lastTimestamp.value = this.last;
  }

  /** Writes this layer's changes into `target`, the overlay it was created over; this one is then dropped. */
  commitTo(target: Overlay): void {
    // The copies pass to the target as they are: this overlay is not used again.
    if (this.accounts !== null) for (const account of this.accounts.values()) target.adopt(account);
    if (this.transfers !== null) for (const transfer of this.transfers.values()) target.putTransfer(transfer);
    if (this.failures !== null) for (const [id, result] of this.failures) target.putFailure(id, result);
    if (this.statuses !== null) for (const [id, status] of this.statuses) target.putPendingStatus(id, status);
    if (this.expiries !== null) {
      for (const [id, expiry] of this.expiries) {
        if (expiry === undefined) target.dropPendingExpiry(id);
        else target.putPendingExpiry(id, expiry);
      }
    }
    if (this.last !== undefined) target.setLastTimestamp(this.last);
  }

  private adopt(account: Account): void {
    (this.accounts ??= new Map()).set(account.id, account as ScratchAccount);
  }

  /** This overlay's own copy of an account that exists. */
  private scratch(id: Id): ScratchAccount {
    const account = this.own(id);
    if (account === undefined) throw unknownAccount(id);
    return account;
  }

  /** This overlay's own copy of the account, made on first use here; undefined if there is none. */
  private own(id: Id): ScratchAccount | undefined {
    const accounts = (this.accounts ??= new Map());
    let account = accounts.get(id);
    if (account === undefined) {
      const below = this.below.account(id);
      if (below === undefined) return undefined;
      account = withBalances(
        below,
        below.debitsPending,
        below.debitsPosted,
        below.creditsPending,
        below.creditsPosted,
      ) as ScratchAccount;
      accounts.set(id, account);
    }
    return account;
  }
}

function applyTransfer(store: LedgerStore, transfer: Transfer): void {
  const { flags, amount } = transfer;
  store.putTransfer(transfer);
  if (flags & (TransferFlags.postPendingTransfer | TransferFlags.voidPendingTransfer)) {
    const pending = transfer.pendingId === null ? undefined : store.transfer(transfer.pendingId);
    if (pending === undefined) {
      throw new Error(`transfer ${transfer.id} resolves an unknown pending transfer`);
    }
    // The whole reservation is released; a post then moves its (possibly partial) amount.
    const posted = flags & TransferFlags.postPendingTransfer ? amount : 0n;
    store.addDebits(pending.debitAccountId, -pending.amount, posted);
    store.addCredits(pending.creditAccountId, -pending.amount, posted);
    store.putPendingStatus(pending.id, flags & TransferFlags.postPendingTransfer ? 'posted' : 'voided');
    store.dropPendingExpiry(pending.id);
  } else if (flags & TransferFlags.pending) {
    store.addDebits(transfer.debitAccountId, amount, 0n);
    store.addCredits(transfer.creditAccountId, amount, 0n);
    store.putPendingStatus(transfer.id, 'pending');
    if (transfer.timeout > 0) {
      store.putPendingExpiry(transfer.id, expiresAt(transfer.timestamp, transfer.timeout));
    }
  } else {
    store.addDebits(transfer.debitAccountId, 0n, amount);
    store.addCredits(transfer.creditAccountId, 0n, amount);
  }
}

/** The one place that says what an event does; evolve and decide's overlays both use it. */
function applyEvent(store: LedgerStore, event: LedgerEvent): void {
  switch (event.type) {
    case 'AccountCreated':
      store.putAccount(event.data.account);
      store.setLastTimestamp(event.data.account.timestamp);
      return;
    case 'TransferCreated':
      applyTransfer(store, event.data.transfer);
      store.setLastTimestamp(event.data.transfer.timestamp);
      return;
    case 'TransferFailed':
      store.putFailure(event.data.id, event.data.result);
      store.setLastTimestamp(event.data.timestamp);
      return;
    case 'PendingTransferExpired': {
      const { pendingId, debitAccountId, creditAccountId, amount, timestamp } = event.data;
      store.addDebits(debitAccountId, -amount, 0n);
      store.addCredits(creditAccountId, -amount, 0n);
      store.putPendingStatus(pendingId, 'expired');
      store.dropPendingExpiry(pendingId);
      store.setLastTimestamp(timestamp);
      return;
    }
    default:
      assertNever(event);
  }
}

type ChainResult = 'ok' | 'linked_event_failed' | 'linked_event_chain_open';

/**
 * The per-item rules of one create command. One constant per command, with `now` passed in, rather
 * than closures over the command: those were four objects per decision, i.e. per payment.
 */
interface BatchRules<I, R extends string> {
  isLinked(item: I): boolean;
  decide(item: I, view: LedgerView, now: bigint): ItemOutcome<R>;
  /** An event recording the failure of an item outside any chain, if such failures are kept. */
  recordFailure(item: I, result: R, view: LedgerView, now: bigint): LedgerEvent | undefined;
}

const ACCOUNT_RULES: BatchRules<AccountInput, CreateAccountResult> = {
  isLinked: (account) => (account.flags & AccountFlags.linked) !== 0,
  decide: decideAccount,
  // Account failures depend on the request only, so there is nothing worth remembering.
  recordFailure: () => undefined,
};

const TRANSFER_RULES: BatchRules<TransferInput, CreateTransferResult> = {
  isLinked: (transfer) => (transfer.flags & TransferFlags.linked) !== 0,
  decide: decideTransfer,
  // A transient failure is kept so that a retry of the id cannot succeed later
  // (id_already_failed). A failed chain keeps nothing: its items never happened.
  recordFailure: (transfer, result, view, now) =>
    TRANSIENT_TRANSFER_RESULTS.has(result)
      ? transferFailed(transfer, result, view.nextTimestamp(now))
      : undefined,
};

/**
 * Decides a batch item by item, TigerBeetle's way: a chain runs from a linked item up to and
 * including the next item without the flag. A chain takes effect only as a whole; its first
 * failing item keeps its own result and the others get `linked_event_failed`. A chain still open
 * at the end of the batch fails with `linked_event_chain_open` on its last item.
 */
function decideBatch<I, R extends string>(
  items: readonly I[],
  state: LedgerState,
  rules: BatchRules<I, R>,
  now: bigint,
): { results: (R | ChainResult)[]; events: LedgerEvent[]; effects: Overlay | null } {
  // The state's one store is the view (it is a StateView): no wrapper per decision.
  const batch = new Overlay(storeOf(state));
  /** The batch's overlay holds effects of no event (a failed chain that ended the batch). */
  let stray = false;
  // Both made at their final size (an item causes at most one event; `events` is cut to its
  // count at the end): grown by push, each array's first push reserved 17 slots.
  const results = new Array<R | ChainResult>(items.length);
  const events = new Array<LedgerEvent>(items.length);
  let eventCount = 0;
  let start = 0;
  while (start < items.length) {
    let end = start;
    while (end < items.length - 1 && rules.isLinked(items[end]!)) end++;
    const open = rules.isLinked(items[end]!);

    if (end === start && !open) {
      const item = items[start]!;
      const outcome = rules.decide(item, batch, now);
      if (typeof outcome !== 'string') {
        applyEvent(batch, outcome);
        events[eventCount++] = outcome;
        results[start] = 'ok';
      } else {
        results[start] = outcome;
        const failure = rules.recordFailure(item, outcome, batch, now);
        if (failure !== undefined) {
          applyEvent(batch, failure);
          events[eventCount++] = failure;
        }
      }
    } else {
      // A chain that ends the batch is decided on the batch's overlay itself: if it fails, what
      // it left there is never read again (nothing comes after it), so no layer of its own is
      // needed. This is the common case of other modules' plans: one chain per decision.
      const last = end === items.length - 1;
      const chain = last ? batch : new Overlay(batch);
      const eventsBefore = eventCount;
      let failedAt = -1;
      let failure: R | ChainResult = 'ok';
      for (let index = start; index <= end; index++) {
        if (open && index === end) {
          failedAt = index;
          failure = 'linked_event_chain_open';
          break;
        }
        const outcome = rules.decide(items[index]!, chain, now);
        if (typeof outcome === 'string') {
          failedAt = index;
          failure = outcome;
          break;
        }
        applyEvent(chain, outcome);
        events[eventCount++] = outcome;
      }
      if (failedAt < 0) {
        if (chain !== batch) chain.commitTo(batch);
        for (let index = start; index <= end; index++) results[index] = 'ok';
      } else {
        // The chain's layer is dropped: nothing of the chain happened, not even a failure record.
        eventCount = eventsBefore;
        if (chain === batch) stray = true;
        for (let index = start; index <= end; index++) {
          if (index === failedAt) results[index] = failure;
          else if (open && index === end) results[index] = 'linked_event_chain_open';
          else results[index] = 'linked_event_failed';
        }
      }
    }
    start = end + 1;
  }
  // Setting the length is a runtime call: only when there is something to cut.
  if (eventCount < events.length) events.length = eventCount;
  return { results, events, effects: stray ? null : batch };
}

/** Strict mode: the items whose result is bad input rather than an outcome of the ledger's state. */
function invalidItems<R extends string>(
  results: readonly R[],
  stateDependent: ReadonlySet<R>,
  describe: (result: R) => string,
): RejectionItem[] {
  const errors: RejectionItem[] = [];
  results.forEach((result, index) => {
    if (!stateDependent.has(result)) errors.push({ index, code: result, detail: describe(result) });
  });
  return errors;
}

/**
 * Strict mode (the raw REST API) leaves the platform's own accounts alone: codes 10–99 are the
 * chart of accounts of issuance, reserves and wallets, whose balances other modules' rules keep
 * consistent (supply = holdings). The raw API may not create accounts with these codes, nor move
 * money in or out of one: that would create or destroy CBDC behind those rules' back.
 */
export const PLATFORM_ACCOUNT_CODES = { min: 10, max: 99 } as const;

function isPlatformCode(code: number): boolean {
  return code >= PLATFORM_ACCOUNT_CODES.min && code <= PLATFORM_ACCOUNT_CODES.max;
}

function reservedAccountCodes(accounts: readonly AccountInput[]): RejectionItem[] {
  const errors: RejectionItem[] = [];
  accounts.forEach((account, index) => {
    if (isPlatformCode(account.code)) {
      errors.push({
        index,
        code: 'account_code_reserved',
        detail: `Account codes ${PLATFORM_ACCOUNT_CODES.min}–${PLATFORM_ACCOUNT_CODES.max} are the platform's own (issuance, reserves, wallets).`,
      });
    }
  });
  return errors;
}

function platformAccountsTouched(transfers: readonly TransferInput[], state: LedgerState): RejectionItem[] {
  const errors: RejectionItem[] = [];
  const isPlatformAccount = (id: Id | null | undefined) =>
    id != null && isPlatformCode(state.accounts.get(id)?.code ?? 0);
  for (let index = 0; index < transfers.length; index++) {
    const transfer = transfers[index]!;
    const pending = transfer.pendingId === null ? undefined : state.transfers.get(transfer.pendingId);
    if (
      isPlatformAccount(transfer.debitAccountId ?? pending?.debitAccountId) ||
      isPlatformAccount(transfer.creditAccountId ?? pending?.creditAccountId)
    ) {
      errors.push({
        index,
        code: 'account_managed_by_platform',
        detail:
          'The transfer moves money in or out of a platform account (issuance, reserves, wallets); use the issuance, wallet or payment operations.',
      });
    }
  }
  return errors;
}

function byIndex(a: RejectionItem, b: RejectionItem): number {
  return (a.index ?? 0) - (b.index ?? 0);
}

function decideCreateAccounts(
  command: CreateAccounts,
  state: LedgerState,
  sink: EffectsSink | null,
): Decision<LedgerEvent, LedgerReply> {
  const { results, events, effects } = decideBatch(command.accounts, state, ACCOUNT_RULES, command.now);
  if (command.strict) {
    const errors = [
      ...invalidItems(results, STATE_DEPENDENT_ACCOUNT_RESULTS, describeAccountResult),
      ...reservedAccountCodes(command.accounts),
    ].sort(byIndex);
    if (errors.length > 0) {
      return rejected({
        code: 'account_batch_invalid',
        status: 422,
        title: 'Invalid account batch',
        detail: `${errors.length} of ${results.length} accounts cannot be created as submitted; nothing was written.`,
        errors,
      });
    }
  }
  if (sink !== null && effects !== null) sink.effects = new DecidedEffects(events, effects);
  return accepted(events, { kind: 'CreateAccounts', results });
}

function decideCreateTransfers(
  command: CreateTransfers,
  state: LedgerState,
  sink: EffectsSink | null,
): Decision<LedgerEvent, LedgerReply> {
  const { results, events, effects } = decideBatch(command.transfers, state, TRANSFER_RULES, command.now);
  if (command.strict) {
    const errors = [
      ...invalidItems(results, STATE_DEPENDENT_TRANSFER_RESULTS, describeTransferResult),
      ...platformAccountsTouched(command.transfers, state),
    ].sort(byIndex);
    if (errors.length > 0) {
      return rejected({
        code: 'transfer_batch_invalid',
        status: 422,
        title: 'Invalid transfer batch',
        detail: `${errors.length} of ${results.length} transfers cannot be created as submitted; nothing was written.`,
        errors,
      });
    }
  }
  if (sink !== null && effects !== null) sink.effects = new DecidedEffects(events, effects);
  return accepted(events, { kind: 'CreateTransfers', results });
}

/**
 * A non-strict CreateTransfers decision's results and events, for other modules' plans
 * (planChains): what decideLedger decides, without the command, decision and reply objects around
 * it (a non-strict batch is never rejected), which were made for every payment.
 */
export function decideTransferBatch(
  transfers: readonly TransferInput[],
  state: LedgerState,
  now: bigint,
): {
  readonly results: readonly CreateTransferResult[];
  readonly events: readonly LedgerEvent[];
  /** The events' effects as decided (null when decide could not give them exactly). */
  readonly effects: DecidedEffects | null;
} {
  const { results, events, effects } = decideBatch(transfers, state, TRANSFER_RULES, now);
  return { results, events, effects: effects === null ? null : new DecidedEffects(events, effects) };
}

/** Pure: reads `state`, never writes it. Effects of earlier batch items live in local overlays. */
export function decideLedger(command: LedgerCommand, state: LedgerState): Decision<LedgerEvent, LedgerReply> {
  return decide(command, state, null);
}

/**
 * What an accepted decision does to the state, as decide computed it (its batch overlay): applying
 * it gives the state that evolving each of `events` in turn gives, without redoing the work per
 * event (per transfer, evolve replaces two accounts with new copies and journals each change;
 * this writes each account the batch touched once, in its final form).
 */
export class DecidedEffects {
  private applied = false;

  constructor(
    /** The decision's events: the effects are theirs and no one else's. */
    readonly events: readonly LedgerEvent[],
    private readonly overlay: Overlay,
  ) {}

  /**
   * Applies the effects to `state`, the state decided against, which must not have changed since
   * the decision (nothing evolved or restored in between). Once only.
   */
  applyTo(state: LedgerState): void {
    if (this.applied) throw new Error('the effects of a decision were applied twice');
    this.applied = true;
    this.overlay.applyTo(state);
  }
}

interface EffectsSink {
  effects: DecidedEffects | null;
}

/**
 * decideLedger, and the decision's effects when decide holds them exactly (null otherwise: a
 * rejection, the expiry command, or a failed linked chain that ended the batch and left what it
 * did in the batch's overlay). The sequenced module applies them in place of evolving the events
 * one by one (LedgerSequencedModule.evolveDecided).
 */
export function decideLedgerWithEffects(
  command: LedgerCommand,
  state: LedgerState,
): { readonly decision: Decision<LedgerEvent, LedgerReply>; readonly effects: DecidedEffects | null } {
  const sink: EffectsSink = { effects: null };
  const decision = decide(command, state, sink);
  return { decision, effects: decision.kind === 'accepted' ? sink.effects : null };
}

function decide(
  command: LedgerCommand,
  state: LedgerState,
  sink: EffectsSink | null,
): Decision<LedgerEvent, LedgerReply> {
  switch (command.type) {
    case 'CreateAccounts':
      return decideCreateAccounts(command, state, sink);
    case 'CreateTransfers':
      return decideCreateTransfers(command, state, sink);
    case 'ExpirePendingTransfers':
      return decideExpirePendingTransfers(command, state);
    default:
      return assertNever(command);
  }
}

/**
 * Applies one event to the state in place (undoable maps) and returns the same state. The switch
 * over event types is in applyEvent, shared with decide's overlays so both agree on every effect.
 */
export function evolveLedger(state: LedgerState, event: LedgerEvent): LedgerState {
  applyEvent(storeOf(state), event);
  return state;
}

export function initialLedgerState(): LedgerState {
  return new LedgerState();
}

export const ledgerDecider: Decider<LedgerCommand, LedgerEvent, LedgerState, LedgerReply> = {
  initialState: initialLedgerState,
  decide: decideLedger,
  evolve: evolveLedger,
};
