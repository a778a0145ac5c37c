import {
  accepted,
  assertNever,
  rejected,
  type Decision,
  type DomainEvent,
  type Rejection,
} from '../../platform/decider/decider.js';
import { localTimeIn } from '../../platform/clock/local-time.js';
import { nameBasedId, type Id } from '../../ledger/domain/id.js';
import { availableBalance, planChains } from '../../ledger/domain/ledger-effects.js';
import type { LedgerState } from '../../ledger/domain/ledger.state.js';
import { AccountFlags } from '../../ledger/domain/model.js';
import {
  conflict,
  forbiddenRole,
  forbiddenScope,
  notFound,
  unprocessable,
} from '../../institutions/domain/authorization.js';
import type { Institution } from '../../institutions/domain/institution.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import type { FxState } from '../../fx/domain/fx.state.js';
import { quoteUnusable } from '../../fx/domain/fx.decider.js';
import { findRoute, liveRateSheets, type ProviderExclusion, type Route } from '../../fx/domain/routing.js';
import type { RateSheet } from '../../fx/domain/rate-sheet.js';
import type { CorridorsState } from '../../corridors/domain/corridors.state.js';
import {
  corridorFee,
  corridorFeeOf,
  outflowToday,
  screenCorridorAt,
  screenCorridorOf,
} from '../../corridors/domain/corridors.decider.js';
import { corridorId, sideOf, type Corridor } from '../../corridors/domain/corridor.js';
import type { WalletsState } from '../../wallets/domain/wallets.state.js';
import { bankWalletId, type Wallet } from '../../wallets/domain/wallet.js';
import { checkCanReceive, checkCanSend } from '../../wallets/domain/wallet-rules.js';
import { findNetSets, UNLIMITED } from './liquidity-saving.js';
import { partiesOf, type PaymentInstruction, type PaymentParty, type SettledBy } from './payment.js';
import type {
  CancelPayment,
  PaymentsCommand,
  RunSettlementCycle,
  SubmitPayment,
} from './payments.commands.js';
import { paymentStreamId, type PaymentReceived, type PaymentsEvent } from './payments.events.js';
import type { PaymentsState } from './payments.state.js';
import { sanctionsHitAtEnds, type SanctionsList } from './sanctions.js';
import {
  grossChain,
  netTransfers,
  planPayment,
  rememberLegTransferIds,
  settledLegs,
  type PlannedPayment,
} from './settlement.js';

const NS_PER_SECOND = 1_000_000_000n;

/** What the payment rules read: the queue, and every module a payment touches. */
export interface PaymentsWorld {
  readonly payments: PaymentsState;
  readonly institutions: InstitutionsState;
  readonly ledger: LedgerState;
  readonly wallets: WalletsState;
  readonly fx: FxState;
  readonly corridors: CorridorsState;
  readonly sanctions: SanctionsList;
}

export interface PaymentOutcome {
  readonly id: string;
  readonly status: 'settled' | 'queued' | 'rejected' | 'cancelled';
  readonly reason: { readonly code: string; readonly detail: string } | null;
}

export interface SettlementCycleReport {
  readonly expired: number;
  /** Queued payments that can no longer settle as instructed (their quote expired). */
  readonly rejected: number;
  readonly settledGross: number;
  readonly settledNet: number;
  readonly sets: ReadonlyArray<{ readonly mechanism: string; readonly payments: number }>;
  readonly queued: number;
}

type Outcome = Decision<DomainEvent, PaymentOutcome | SettlementCycleReport>;

export function decidePayments(command: PaymentsCommand, world: PaymentsWorld): Outcome {
  switch (command.type) {
    case 'SubmitPayment':
      return decideSubmit(command, world);
    case 'CancelPayment':
      return decideCancel(command, world);
    case 'RunSettlementCycle':
      return decideCycle(command, world);
    default:
      return assertNever(command);
  }
}

// ---------------------------------------------------------------------------------------------
// Submitting a payment

function decideSubmit(command: SubmitPayment, world: PaymentsWorld): Outcome {
  // What is refused outright (403/404/422, nothing written): who may instruct, and whether the
  // instruction can describe a cross-border payment at all.
  const parties = resolveParties(command, world);
  if ('code' in parties) return rejected(parties);
  const { payer, payee } = parties;
  if (command.currency !== payer.currency && command.currency !== payee.currency) {
    return rejected(
      unprocessable(
        'currency_mismatch',
        `The amount must be in the payer's currency (${payer.currency}, the payer's amount is fixed) or the payee's (${payee.currency}, the payee's amount is fixed), not ${command.currency}.`,
      ),
    );
  }
  const instruction: PaymentInstruction = {
    id: command.paymentId,
    payer,
    payee,
    fixed: command.currency === payer.currency ? 'source' : 'target',
    amountMinor: command.amountMinor,
    quoteId: command.quoteId,
    purpose: command.purpose,
    remittanceInfo: command.remittanceInfo,
    priority: command.priority,
    receivedAt: command.now,
    expiresAt: command.now + BigInt(command.expiresInSeconds) * NS_PER_SECOND,
  };
  // Every event of the payment opens with these fields, in this order (written out rather than
  // spread: this runs for every payment).
  const paymentId = instruction.id;
  const at = command.now;
  const stream = paymentStreamId(paymentId);
  // Who the payment concerns before a route is chosen: the same two arrays serve every event of
  // this decision that names no provider (received, screened, rejected). Sharing is safe: events
  // are never mutated once decided (stored as JSON, read by the projections), and the JSON is the
  // same as with separate copies.
  const who = partiesOf(instruction);
  const received: PaymentReceived = {
    type: 'PaymentReceived',
    streamId: stream,
    data: {
      paymentId,
      parties: who.parties,
      jurisdictions: who.jurisdictions,
      at,
      payment: instruction,
    },
  };

  // Screening: what is recorded as a rejection (a regulator sees it, with its reason).
  const hit = sanctionsHitAtEnds(world.sanctions, payer, payee);
  if (hit !== null)
    return refuse(
      received,
      who,
      'sanctions_hit',
      `The payment involves ${hit}, which is on the sanctions list.`,
    );
  // The corridor first (does it exist, is it open now?); its maximum and quota once priced.
  // Looked up once for both screenings, the fee and the outflow event (decided on one state: it
  // is the same corridor).
  const joining = world.corridors.corridors.get(corridorId(payer.jurisdiction, payee.jurisdiction));
  const gate = screenCorridorOf(world.corridors, joining, payer.jurisdiction, payee.jurisdiction, 0n, at);
  if (gate !== null) return refuse(received, who, gate.code, gate.detail);
  const route = routeFor(instruction, world, at);
  if (!route.ok) return refuse(received, who, route.code, route.detail);
  const fee = corridorFeeOf(joining, payer.jurisdiction, route.route.sellMinor);
  const corridor = screenCorridorOf(
    world.corridors,
    joining,
    payer.jurisdiction,
    payee.jurisdiction,
    route.route.sellMinor,
    at,
  );
  if (corridor !== null) return refuse(received, who, corridor.code, corridor.detail);
  // The payer's wallet is looked up here for the screening and the event that records the
  // spending (one state: the same wallet), not once by each.
  const payerWallet = walletOf(payer, world);
  const ends = screenEnds(instruction, route.route, fee, world, at, payerWallet);
  if (ends !== null && ends.code !== 'insufficient_funds')
    return refuse(received, who, ends.code, ends.detail);
  const screened: DomainEvent = {
    type: 'PaymentScreened',
    streamId: stream,
    data: {
      paymentId,
      parties: who.parties,
      jurisdictions: who.jurisdictions,
      at,
      checks: SCREENING_CHECKS,
    },
  };

  const operator = operatorOf(world.institutions);
  const planned = planPayment(instruction, route.route, fee, operator, true);
  if (ends !== null) return queue(planned, received, screened, 'awaiting_funds', ends.detail);
  if (route.awaitingLiquidity) return queue(planned, received, screened, 'awaiting_liquidity', route.detail);

  const booked = planChains(world.ledger, [grossChain(planned)], at);
  const failure = booked.failures[0];
  if (failure != null) {
    const leg = planned.legs[failure.index]!;
    if (failure.result === 'exceeds_credits') {
      return leg.kind === 'payer_to_provider' || leg.kind === 'fee'
        ? queue(planned, received, screened, 'awaiting_funds', `${leg.from} lacks the funds for now.`)
        : queue(
            planned,
            received,
            screened,
            'awaiting_liquidity',
            `${leg.from} lacks the liquidity for now.`,
          );
    }
    return refuse(
      received,
      who,
      'settlement_refused',
      `The ledger refused leg ${failure.index} (${leg.from} → ${leg.to}): ${failure.result}.`,
    );
  }
  const events: DomainEvent[] = [received, screened];
  for (const event of booked.events) events.push(event);
  settlementEvents(planned, 'gross', null, world, at, events, stream, payerWallet, joining);
  // The legs' ledger events are the decision's only ledger events: their effects as planned go
  // with it, for the scenario engine to apply instead of evolving each leg again.
  return accepted(events, { id: paymentId, status: 'settled', reason: null }, booked.effects ?? undefined);
}

/**
 * The checks a screened payment passed: one frozen array for every PaymentScreened event (it was
 * a new literal per payment; frozen, so nothing can change what every event shares).
 */
const SCREENING_CHECKS: readonly string[] = Object.freeze(['sanctions', 'route', 'corridor', 'wallet_rules']);

/**
 * A payment recorded as rejected at submission. Module functions rather than closures in
 * decideSubmit: a closure (and its context) was allocated for every payment, used by few.
 */
function refuse(
  received: PaymentReceived,
  who: { readonly parties: string[]; readonly jurisdictions: string[] },
  code: string,
  detail: string,
): Outcome {
  const { paymentId, at } = received.data;
  return accepted(
    [
      received,
      {
        type: 'PaymentRejected',
        streamId: received.streamId,
        data: { paymentId, parties: who.parties, jurisdictions: who.jurisdictions, at, code, detail },
      },
    ],
    { id: paymentId, status: 'rejected', reason: { code, detail } },
  );
}

/** A payment recorded as queued at submission (funds or liquidity lacking for now). */
function queue(
  planned: PlannedPayment,
  received: PaymentReceived,
  screened: DomainEvent,
  reason: 'awaiting_funds' | 'awaiting_liquidity',
  detail: string,
): Outcome {
  rememberLegTransferIds(planned);
  const { paymentId, at } = received.data;
  const { parties, jurisdictions } = partiesOf(planned.instruction, providersOf(planned.route));
  return accepted(
    [
      received,
      screened,
      {
        type: 'PaymentQueued',
        streamId: received.streamId,
        data: { paymentId, parties, jurisdictions, at, reason, detail },
      },
    ],
    { id: paymentId, status: 'queued', reason: { code: reason, detail } },
  );
}

/**
 * The route's providers, leg by leg. Made at its final length: `push` onto an empty array gave it
 * room for sixteen names (~180 bytes a payment, for one or two).
 */
function providersOf(route: Route): string[] {
  const providers = new Array<string>(route.legs.length);
  for (let i = 0; i < route.legs.length; i++) providers[i] = route.legs[i]!.provider;
  return providers;
}

/** The payer (the caller, a commercial bank) and the payee, with the wallets named, or a 4xx. */
function resolveParties(
  command: SubmitPayment,
  world: PaymentsWorld,
): { payer: PaymentParty; payee: PaymentParty } | Rejection {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'commercial_bank')
    return forbiddenRole(actor, 'send cross-border payments', ['commercial_bank']);
  if (command.payer.bank !== actor.id)
    return forbiddenScope(actor, `a bank pays from its own wallets only, not ${command.payer.bank}'s`);
  const payeeBank = world.institutions.institutions.get(command.payee.bank);
  if (payeeBank?.kind !== 'commercial_bank')
    return notFound('payee_unknown', `${command.payee.bank} is not a commercial bank on the platform.`);
  if (payeeBank.jurisdiction === actor.jurisdiction) {
    return unprocessable(
      'not_cross_border',
      `${actor.id} and ${payeeBank.id} are both in ${actor.jurisdiction}: use a domestic transfer (POST /v1/wallets/transfers).`,
    );
  }
  const payer = partyOf(world, actor, actor, command.payer.wallet, command.payer.name, 'payer');
  if ('code' in payer) return payer;
  const payee = partyOf(world, actor, payeeBank, command.payee.wallet, command.payee.name, 'payee');
  if ('code' in payee) return payee;
  return { payer, payee };
}

/**
 * One end of a payment: `bank` with the customer wallet named (it must be one `bank` operates).
 * A module function, not a closure in resolveParties: that allocated a closure per payment.
 */
function partyOf(
  world: PaymentsWorld,
  actor: Institution,
  bank: Institution,
  wallet: string | null,
  name: string | null,
  role: 'payer' | 'payee',
): PaymentParty | Rejection {
  const currency = world.institutions.homeCurrency(bank)!;
  if (wallet !== null) {
    const found: Wallet | undefined = world.wallets.wallets.get(wallet);
    if (found === undefined || found.kind !== 'customer' || found.bankId !== bank.id) {
      return role === 'payer'
        ? forbiddenScope(actor, `${wallet} is not a customer wallet ${actor.id} operates`)
        : notFound('payee_wallet_unknown', `${wallet} is not a customer wallet operated by ${bank.id}.`);
    }
  }
  return { bank: bank.id, jurisdiction: bank.jurisdiction!, currency, wallet, name };
}

type RouteChoice =
  | { readonly ok: true; readonly route: Route; readonly awaitingLiquidity: boolean; readonly detail: string }
  | { readonly ok: false; readonly code: string; readonly detail: string };

/**
 * The quote's route, or the best one now; a route nobody can pay yet still prices a queued payment.
 * `live`: the live rate sheets at `now`, when the caller prices many payments on the same state.
 */
function routeFor(
  instruction: PaymentInstruction,
  world: PaymentsWorld,
  now: bigint,
  live?: readonly RateSheet[],
): RouteChoice {
  const from = instruction.payer.currency;
  const to = instruction.payee.currency;
  if (instruction.quoteId !== null) {
    const problem = quoteUnusable(world.fx, instruction.quoteId, instruction.payer.bank, now);
    if (problem !== null)
      return {
        ok: false,
        code: problem,
        detail: `Quote ${instruction.quoteId} cannot be used: ${problem.replace('_', ' ')}.`,
      };
    const quote = world.fx.quotes.get(instruction.quoteId)!;
    const listed = quote.route.legs.find((leg) => world.sanctions.institutions.has(leg.provider));
    if (listed !== undefined) {
      return {
        ok: false,
        code: 'sanctions_hit',
        detail: `Quote ${quote.id} goes through ${listed.provider}, which is on the sanctions list.`,
      };
    }
    const fixedAmount = instruction.fixed === 'source' ? quote.route.sellMinor : quote.route.buyMinor;
    if (
      quote.route.from !== from ||
      quote.route.to !== to ||
      quote.fixed !== instruction.fixed ||
      fixedAmount !== instruction.amountMinor
    ) {
      return {
        ok: false,
        code: 'quote_mismatch',
        detail: `Quote ${quote.id} is for ${quote.route.from}→${quote.route.to}, ${quote.fixed} fixed at ${fixedAmount} minor units; the payment differs.`,
      };
    }
    return { ok: true, route: quote.route, awaitingLiquidity: false, detail: '' };
  }
  // A provider on the sanctions list never carries a payment; nor does the payer or the payee,
  // whose leg to or from itself would move nothing (the ledger refuses a transfer to the same
  // account): a bank that makes a market pays through another provider.
  const request = {
    from,
    to,
    fixed: instruction.fixed,
    amount: instruction.amountMinor,
    now,
    excludeProviders: new PaymentEndsAndSanctioned(
      instruction.payer.bank,
      instruction.payee.bank,
      world.sanctions.institutions,
    ),
  };
  const sheets = live ?? liveRateSheets(world, now);
  const payableNow = findRoute(world, request, sheets);
  if (payableNow.ok) return { ok: true, route: payableNow.route, awaitingLiquidity: false, detail: '' };
  if (payableNow.reason === 'no_rate')
    return {
      ok: false,
      code: 'no_route',
      detail: `No liquidity provider converts ${from} to ${to} for this amount, directly or through a bridge currency.`,
    };
  const later = findRoute(world, { ...request, requireLiquidity: false }, sheets);
  if (!later.ok)
    return {
      ok: false,
      code: 'no_route',
      detail: `No liquidity provider converts ${from} to ${to} for this amount.`,
    };
  return {
    ok: true,
    route: later.route,
    awaitingLiquidity: true,
    detail: `No provider holds enough ${to} now.`,
  };
}

/**
 * The providers a payment may not go through: its own two banks, and whoever is sanctioned. A
 * small class, not an object literal with an arrow function: that allocated a closure and its
 * context besides the object, for every payment priced.
 */
class PaymentEndsAndSanctioned implements ProviderExclusion {
  constructor(
    private readonly payer: string,
    private readonly payee: string,
    private readonly sanctioned: ReadonlySet<string>,
  ) {}

  has(provider: string): boolean {
    return provider === this.payer || provider === this.payee || this.sanctioned.has(provider);
  }
}

/** The wallet rules at both ends: the payer may send route + fee, the payee may receive. */
function screenEnds(
  instruction: PaymentInstruction,
  route: Route,
  fee: bigint,
  world: PaymentsWorld,
  now: bigint,
  payerWallet: Wallet | undefined = walletOf(instruction.payer, world),
): Rejection | null {
  if (payerWallet !== undefined) {
    const send = checkCanSend(world, payerWallet, route.sellMinor + fee, now);
    if (!send.ok) return send.rejection;
  } else {
    return notFound(
      'payer_wallet_missing',
      `${instruction.payer.bank} holds no ${instruction.payer.currency} wallet.`,
    );
  }
  const payeeWallet = walletOf(instruction.payee, world);
  if (payeeWallet === undefined)
    return notFound(
      'payee_wallet_missing',
      `${instruction.payee.bank} holds no ${instruction.payee.currency} wallet.`,
    );
  const receive = checkCanReceive(world, payeeWallet, route.buyMinor);
  return receive.ok ? null : receive.rejection;
}

function walletOf(party: PaymentParty, world: PaymentsWorld): Wallet | undefined {
  return world.wallets.wallets.get(party.wallet ?? bankWalletId(party.bank, party.currency));
}

function operatorOf(institutions: InstitutionsState): string {
  for (const institution of institutions.institutions.values())
    if (institution.kind === 'operator') return institution.id;
  return 'OPERATOR';
}

/** The events that record a payment settled: its own, and what it does to quotes, quotas and spending windows. */
function settlementEvents(
  planned: PlannedPayment,
  settledBy: SettledBy,
  setId: string | null,
  world: PaymentsWorld,
  now: bigint,
  events: DomainEvent[] = [],
  stream: string = paymentStreamId(planned.instruction.id),
  payerWallet: Wallet | undefined = walletOf(planned.instruction.payer, world),
  corridor: Corridor | undefined = world.corridors.corridors.get(
    corridorId(planned.instruction.payer.jurisdiction, planned.instruction.payee.jurisdiction),
  ),
): DomainEvent[] {
  const { instruction, route } = planned;
  const providers = providersOf(route);
  const { parties, jurisdictions } = partiesOf(instruction, providers);
  events.push({
    type: 'PaymentSettled',
    streamId: stream,
    data: {
      paymentId: instruction.id,
      parties,
      jurisdictions,
      at: now,
      settledBy,
      setId,
      sell: { currency: route.from, amountMinor: route.sellMinor },
      buy: { currency: route.to, amountMinor: route.buyMinor },
      fee: { currency: instruction.payer.currency, amountMinor: planned.feeMinor },
      rate: route.rate,
      providers,
      legs: settledLegs(planned, settledBy === 'gross'),
    },
  });
  if (instruction.quoteId !== null) {
    events.push({
      type: 'QuoteUsed',
      streamId: `quote-${instruction.quoteId}`,
      data: { quoteId: instruction.quoteId, paymentId: instruction.id, at: now },
    });
  }
  const side = corridor === undefined ? undefined : sideOf(corridor, instruction.payer.jurisdiction);
  if (corridor !== undefined && side !== undefined) {
    events.push({
      type: 'CorridorOutflowRecorded',
      streamId: `corridor-${corridor.id}`,
      data: {
        corridorId: corridor.id,
        jurisdiction: side.jurisdiction,
        date: localTimeIn(side.timeZone, now).date,
        amountMinor: route.sellMinor,
        paymentId: instruction.id,
      },
    });
  }
  if (payerWallet?.kind === 'customer') {
    const send = checkCanSend(world, payerWallet, 0n, now);
    if (send.ok && send.localDate !== null) {
      events.push({
        type: 'WalletSpendingRecorded',
        streamId: `wallet-${payerWallet.id}`,
        data: {
          walletId: payerWallet.id,
          amount: route.sellMinor + planned.feeMinor,
          localDate: send.localDate,
          paymentId: instruction.id,
        },
      });
    }
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// Cancelling

function decideCancel(command: CancelPayment, world: PaymentsWorld): Outcome {
  const payment = world.payments.queue.get(command.paymentId);
  const actor = world.institutions.institutions.get(command.actor);
  if (payment === undefined) {
    return rejected(
      conflict(
        'payment_not_queued',
        `Payment ${command.paymentId} is not waiting in the queue (unknown, or already settled, rejected, expired or cancelled).`,
      ),
    );
  }
  if (actor === undefined || payment.payer.bank !== actor.id) {
    return rejected(
      forbiddenScope(
        actor ?? { id: command.actor, kind: 'unknown' },
        `only the payer (${payment.payer.bank}) cancels payment ${payment.id}`,
      ),
    );
  }
  return accepted(
    [
      {
        type: 'PaymentCancelled',
        streamId: paymentStreamId(payment.id),
        data: {
          paymentId: payment.id,
          ...partiesOf(payment, world.payments.queuedProviders.get(payment.id)),
          at: command.now,
          reason: command.reason,
          by: command.actor,
        },
      },
    ],
    { id: payment.id, status: 'cancelled', reason: null },
  );
}

// ---------------------------------------------------------------------------------------------
// The settlement cycle

function decideCycle(command: RunSettlementCycle, world: PaymentsWorld): Outcome {
  const now = command.now;
  const events: DomainEvent[] = [];
  let expired = 0;
  const waiting: PaymentInstruction[] = [];
  for (const payment of world.payments.queue.values()) {
    if (payment.expiresAt <= now) {
      events.push({
        type: 'PaymentExpired',
        streamId: paymentStreamId(payment.id),
        data: {
          paymentId: payment.id,
          ...partiesOf(payment, world.payments.queuedProviders.get(payment.id)),
          at: now,
        },
      });
      expired++;
    } else {
      waiting.push(payment);
    }
  }
  // Priority first, then arrival (FIFO within a priority).
  waiting.sort(
    (a, b) =>
      b.priority - a.priority || (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0),
  );

  // What may settle this cycle at all: the corridor still lets it through (its quota counted as
  // this cycle settles), and each customer wallet pays at most once per cycle (its limits were
  // checked against its windows as they stood).
  const operator = operatorOf(world.institutions);
  const walletsPaying = new Set<string>();
  let live: readonly RateSheet[] | undefined; // the same for every payment of the cycle
  const candidates: PlannedPayment[] = [];
  let rejected = 0;
  for (const payment of waiting) {
    if (live === undefined) live = liveRateSheets(world, now);
    const priced = routeFor(payment, world, now, live);
    if (!priced.ok) {
      // A quote that expired (or a provider since listed) cannot come back: the payment ends. A
      // route that is gone (rates withdrawn) may return: the payment waits until it expires.
      if (priced.code !== 'no_route') {
        const data = {
          paymentId: payment.id,
          ...partiesOf(payment, world.payments.queuedProviders.get(payment.id)),
          at: now,
          code: priced.code,
          detail: priced.detail,
        };
        events.push({ type: 'PaymentRejected', streamId: paymentStreamId(payment.id), data });
        rejected++;
      }
      continue;
    }
    const fee = corridorFee(
      world.corridors,
      payment.payer.jurisdiction,
      payment.payee.jurisdiction,
      priced.route.sellMinor,
    );
    const corridor = screenCorridorAt(
      world.corridors,
      payment.payer.jurisdiction,
      payment.payee.jurisdiction,
      priced.route.sellMinor,
      now,
    );
    if (corridor !== null) continue;
    const ends = screenEnds(payment, priced.route, fee, world, now);
    if (ends !== null && ends.code !== 'insufficient_funds') continue;
    if (payment.payer.wallet !== null) {
      if (walletsPaying.has(payment.payer.wallet)) continue;
      walletsPaying.add(payment.payer.wallet);
    }
    candidates.push(planPayment(payment, priced.route, fee, operator));
  }
  // Each corridor side's quota, what has left today and what this cycle counted: looked up once
  // per side (by payer and payee jurisdiction), not once per payment and pass.
  const sides = new Map<string, Map<string, QuotaSide | null>>();
  const quotaSide = (planned: PlannedPayment): QuotaSide | null => {
    const { payer, payee } = planned.instruction;
    let byPayee = sides.get(payer.jurisdiction);
    if (byPayee === undefined) {
      byPayee = new Map();
      sides.set(payer.jurisdiction, byPayee);
    }
    let side = byPayee.get(payee.jurisdiction);
    if (side === undefined) {
      const found = corridorSide(world.corridors, planned, now);
      side = found === undefined ? null : { ...found, counted: 0n };
      byPayee.set(payee.jurisdiction, side);
    }
    return side;
  };
  /** Whether the payment fits its corridor side's daily quota on top of what this cycle counted. */
  const quotaAllows = (planned: PlannedPayment): boolean => {
    const side = quotaSide(planned);
    if (side === null || side.quota === null) return true;
    return side.usedToday + side.counted + planned.route.sellMinor <= side.quota;
  };
  const count = (planned: PlannedPayment) => {
    const side = quotaSide(planned);
    if (side !== null) side.counted += planned.route.sellMinor;
  };

  // 1. Gross, in order: one chain per payment in one ledger batch (each sees those before it). A
  //    trial run tells which can settle; quota is then counted in order over those only, so a
  //    payment that cannot settle never takes quota from one that can.
  const gross = candidates.filter(quotaAllows);
  const trial = planChains(world.ledger, gross.map(grossChain), now);
  const grossSettled: PlannedPayment[] = [];
  gross.forEach((planned, index) => {
    if (!trial.ok[index] || !quotaAllows(planned)) return;
    count(planned);
    grossSettled.push(planned);
  });

  // 2. Liquidity saving on what could not settle alone.
  let sets: Array<{ mechanism: Exclude<SettledBy, 'gross'>; payments: readonly PlannedPayment[]; id: Id }> =
    [];
  if (command.liquiditySaving) {
    const settledIds = new Set(grossSettled.map((p) => p.instruction.id));
    const rest = candidates.filter((p) => !settledIds.has(p.instruction.id) && quotaAllows(p));
    if (rest.length >= 2) {
      // Balances as the gross pass leaves them: committed state plus its movements.
      const moves = new Map<Id, bigint>();
      for (const leg of grossSettled.flatMap((p) => p.legs)) {
        moves.set(leg.debitAccountId, (moves.get(leg.debitAccountId) ?? 0n) - leg.amountMinor);
        moves.set(leg.creditAccountId, (moves.get(leg.creditAccountId) ?? 0n) + leg.amountMinor);
      }
      const available = (account: Id): bigint => {
        const held = world.ledger.accounts.get(account);
        if (held === undefined) return 0n;
        if ((held.flags & AccountFlags.debitsMustNotExceedCredits) === 0) return UNLIMITED;
        return availableBalance(world.ledger, account) + (moves.get(account) ?? 0n);
      };
      sets = findNetSets(rest, available).map((set) => ({
        ...set,
        id: nameBasedId(
          `settlement-set:${now}:${set.payments
            .map((p) => p.instruction.id)
            .sort()
            .join(',')}`,
        ),
      }));
    }
  }

  // The final batch: the gross chains, then one net chain per set. The ledger is the arbiter: a
  // chain it refuses (dropping one the quota stopped can take away what a later chain relied on)
  // stays queued.
  const netChains = sets.map((set) => netTransfers(set.id, set.payments));
  const booked = planChains(
    world.ledger,
    [...grossSettled.map(grossChain), ...netChains.filter((c) => c.length > 0)],
    now,
  );
  const grossBooked = grossSettled.filter((_, index) => booked.ok[index]);
  const settledEvents: DomainEvent[] = grossBooked.flatMap((p) =>
    settlementEvents(p, 'gross', null, world, now),
  );
  const setsReport: Array<{ mechanism: string; payments: number }> = [];
  let settledNet = 0;
  let chainIndex = grossSettled.length;
  sets.forEach((set, i) => {
    const ok = netChains[i]!.length === 0 || booked.ok[chainIndex++]!;
    if (!ok) return;
    setsReport.push({ mechanism: set.mechanism, payments: set.payments.length });
    settledNet += set.payments.length;
    for (const planned of set.payments)
      settledEvents.push(...settlementEvents(planned, set.mechanism, set.id, world, now));
  });
  // Whatever is still queued is planned again next cycle: its leg ids are kept, not derived again.
  for (const planned of candidates) rememberLegTransferIds(planned);
  const report: SettlementCycleReport = {
    expired,
    rejected,
    settledGross: grossBooked.length,
    settledNet,
    sets: setsReport,
    queued: waiting.length - rejected - grossBooked.length - settledNet,
  };
  return accepted([...events, ...booked.events, ...settledEvents], report);
}

interface QuotaSide {
  readonly quota: bigint | null;
  readonly usedToday: bigint;
  /** What this cycle has settled through the side so far. */
  counted: bigint;
}

/** The payer's side of the payment's corridor: its daily quota and what has left today. */
function corridorSide(
  state: CorridorsState,
  planned: PlannedPayment,
  now: bigint,
): { quota: bigint | null; usedToday: bigint } | undefined {
  const { payer, payee } = planned.instruction;
  const corridor = state.corridors.get(corridorId(payer.jurisdiction, payee.jurisdiction));
  const side = corridor === undefined ? undefined : sideOf(corridor, payer.jurisdiction);
  if (corridor === undefined || side === undefined) return undefined;
  return { quota: side.dailyOutboundQuotaMinor, usedToday: outflowToday(state, corridor.id, side, now) };
}

// ---------------------------------------------------------------------------------------------

/**
 * The payment a decision both received and settled, when evolving its payments events would
 * leave the payments state as it was: PaymentReceived queues the payment, PaymentSettled takes it
 * out again (with any queued providers a PaymentQueued between them noted), and the rest change
 * nothing. Null for any other decision, and for a payment id already queued (receiving it again
 * would replace the queued one before settling took it out). A caller that evolves a whole
 * decision at once may skip that payment's events: the scenario engine does, for the payments that
 * settle on arrival, which are nearly all of them (a set and a delete on the queue each).
 */
export function settledOnReceipt(state: PaymentsState, events: readonly DomainEvent[]): string | null {
  const first = events[0];
  if (first === undefined || first.type !== 'PaymentReceived') return null;
  const paymentId = (first as PaymentReceived).data.paymentId;
  if (state.queue.has(paymentId)) return null;
  for (let i = events.length - 1; i > 0; i--) {
    const event = events[i]!;
    if (event.type === 'PaymentSettled')
      return (event as PaymentsEvent).data.paymentId === paymentId ? paymentId : null;
  }
  return null;
}

export function evolvePayments(state: PaymentsState, event: PaymentsEvent): PaymentsState {
  switch (event.type) {
    case 'PaymentReceived':
      // Held until a later event of the same decision (or a later cycle) ends it: what is left
      // after a decision is exactly the queued payments.
      state.queue.set(event.data.paymentId, event.data.payment);
      return state;
    case 'PaymentScreened':
      return state;
    case 'PaymentQueued': {
      const payment = state.queue.get(event.data.paymentId);
      const providers = event.data.parties.filter(
        (p) => p !== payment?.payer.bank && p !== payment?.payee.bank,
      );
      if (providers.length > 0) state.queuedProviders.set(event.data.paymentId, providers);
      return state;
    }
    case 'PaymentSettled':
    case 'PaymentRejected':
    case 'PaymentExpired':
    case 'PaymentCancelled':
      state.queue.delete(event.data.paymentId);
      // Only payments queued through a provider have an entry: asking first spares the others
      // (nearly all: they settle as submitted) a journal entry and a second lookup.
      if (state.queuedProviders.has(event.data.paymentId)) state.queuedProviders.delete(event.data.paymentId);
      return state;
    default:
      return assertNever(event);
  }
}
