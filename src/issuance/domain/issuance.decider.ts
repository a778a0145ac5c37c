import {
  accepted,
  assertNever,
  rejected,
  type Decision,
  type DomainEvent,
  type Rejection,
} from '../../platform/decider/decider.js';
import { formatMajor } from '../../ledger/domain/amount.js';
import { findCurrency } from '../../ledger/domain/currency.js';
import { nameBasedId, type Id } from '../../ledger/domain/id.js';
import { planLinkedTransfers, transferInput } from '../../ledger/domain/ledger-effects.js';
import type { LedgerState } from '../../ledger/domain/ledger.state.js';
import type { CreateTransferResult, TransferInput } from '../../ledger/domain/model.js';
import {
  conflict,
  forbiddenRole,
  forbiddenScope,
  notFound,
  unprocessable,
} from '../../institutions/domain/authorization.js';
import {
  bankReserveAccountId,
  bankWalletAccountId,
  cbdcIssuanceAccountId,
  reserveIssuanceAccountId,
  TransferCodes,
} from '../../institutions/domain/chart-of-accounts.js';
import type { Institution } from '../../institutions/domain/institution.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import {
  issuanceRequestView,
  isoTime,
  supplyCapView,
  type IssuanceRequestView,
  type ReserveCreditView,
  type SupplyCapView,
} from '../issuance.views.js';
import { emptySupply, outstanding, type IssuanceKind, type IssuanceRequest } from './issuance.js';
import type {
  ApproveIssuance,
  CreditReserves,
  DeclineIssuance,
  IssuanceCommand,
  IssueDirectly,
  RequestIssuance,
  SetSupplyCap,
} from './issuance.commands.js';
import { issuanceStreamId, type IssuanceEvent, type IssuanceExecution } from './issuance.events.js';
import type { IssuanceState } from './issuance.state.js';

/** What the issuance decider reads: its own state, the registry (who may act) and the ledger. */
export interface IssuanceWorld {
  readonly issuance: IssuanceState;
  readonly institutions: InstitutionsState;
  readonly ledger: LedgerState;
}

export type IssuanceReply = IssuanceRequestView | ReserveCreditView | SupplyCapView;
type Outcome = Decision<DomainEvent, IssuanceReply>;

export function decideIssuance(command: IssuanceCommand, world: IssuanceWorld): Outcome {
  switch (command.type) {
    case 'CreditReserves':
      return decideCreditReserves(command, world);
    case 'RequestIssuance':
      return decideRequest(command, world);
    case 'ApproveIssuance':
      return decideApprove(command, world);
    case 'DeclineIssuance':
      return decideDecline(command, world);
    case 'IssueDirectly':
      return decideIssueDirectly(command, world);
    case 'SetSupplyCap':
      return decideSetCap(command, world);
    default:
      return assertNever(command);
  }
}

/** The acting central bank and its currency, or why it may not act. */
function centralBankActor(
  world: IssuanceWorld,
  actorId: string,
  action: string,
  currency: string | null,
): { ok: true; centralBank: Institution; currency: string } | { ok: false; rejection: Rejection } {
  const actor = world.institutions.institutions.get(actorId);
  if (actor === undefined || actor.kind !== 'central_bank') {
    return { ok: false, rejection: forbiddenRole(actor, action, ['central_bank']) };
  }
  const home = world.institutions.homeCurrency(actor)!;
  if (currency !== null && currency !== home) {
    return {
      ok: false,
      rejection: forbiddenScope(
        actor,
        `a central bank acts on its own currency (${home}) only, not ${currency}`,
      ),
    };
  }
  return { ok: true, centralBank: actor, currency: home };
}

/** The commercial bank a central bank names, if it is one of its own jurisdiction's. */
function ownBank(
  world: IssuanceWorld,
  centralBank: Institution,
  bankId: string,
): { ok: true; bank: Institution } | { ok: false; rejection: Rejection } {
  const bank = world.institutions.institutions.get(bankId);
  if (bank === undefined) {
    return {
      ok: false,
      rejection: notFound('institution_unknown', `No institution ${bankId} is registered.`),
    };
  }
  if (bank.kind !== 'commercial_bank') {
    return {
      ok: false,
      rejection: unprocessable(
        'not_a_commercial_bank',
        `${bankId} is a ${bank.kind.replace('_', ' ')}; reserves and CBDC are issued to commercial banks only.`,
      ),
    };
  }
  if (bank.jurisdiction !== centralBank.jurisdiction) {
    return {
      ok: false,
      rejection: forbiddenScope(
        centralBank,
        `${bankId} is a bank of ${bank.jurisdiction}; a central bank serves its own jurisdiction's (${centralBank.jurisdiction}) banks only`,
      ),
    };
  }
  return { ok: true, bank };
}

function decideCreditReserves(command: CreditReserves, world: IssuanceWorld): Outcome {
  const cb = centralBankActor(world, command.actor, 'credit reserves', command.currency);
  if (!cb.ok) return rejected(cb.rejection);
  const target = ownBank(world, cb.centralBank, command.bankId);
  if (!target.ok) return rejected(target.rejection);
  if (world.issuance.reserveCredits.has(command.creditId)) {
    return rejected(conflict('reserve_credit_exists', `Reserve credit ${command.creditId} already exists.`));
  }
  const { centralBank, currency } = cb;
  const transferId = nameBasedId(`reserve-credit:${command.creditId}`);
  const plan = planLinkedTransfers(
    world.ledger,
    [
      transferInput({
        id: transferId,
        debitAccountId: reserveIssuanceAccountId(centralBank.id, currency),
        creditAccountId: bankReserveAccountId(command.bankId, currency),
        amount: command.amount,
        currency,
        code: TransferCodes.reserveCredit,
        userData128: command.creditId,
      }),
    ],
    command.now,
  );
  if (!plan.ok) return rejected(ledgerRefusal(plan.failures, 'reserve credit'));
  const event: IssuanceEvent = {
    type: 'ReservesCredited',
    streamId: issuanceStreamId(currency),
    data: {
      creditId: command.creditId,
      centralBankId: centralBank.id,
      bankId: command.bankId,
      currency,
      amount: command.amount,
      transferId,
      creditedBy: command.actor,
      creditedAt: command.now,
      signature: command.signature,
    },
  };
  const reply: ReserveCreditView = {
    id: command.creditId,
    bank: command.bankId,
    centralBank: centralBank.id,
    currency,
    amount: formatMajor(command.amount, findCurrency(currency)!),
    amountMinor: command.amount.toString(),
    transferId,
    creditedBy: command.actor,
    creditedAt: isoTime(command.now),
  };
  return accepted([event, ...plan.events], reply);
}

function decideRequest(command: RequestIssuance, world: IssuanceWorld): Outcome {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor === undefined || actor.kind !== 'commercial_bank') {
    return rejected(
      forbiddenRole(actor, `request ${command.kind === 'issue' ? 'issuance' : 'redemption'}`, [
        'commercial_bank',
      ]),
    );
  }
  const home = world.institutions.homeCurrency(actor)!;
  if (command.currency !== null && command.currency !== home) {
    return rejected(
      forbiddenScope(
        actor,
        `a bank asks its own central bank for its home currency (${home}) only; ${command.currency} is issued and redeemed by its own central bank for its own banks`,
      ),
    );
  }
  const centralBank = world.institutions.centralBankOf(actor.jurisdiction!)!;
  const request = newRequest(command, actor, centralBank, home);
  const problem = requestConflict(world, request) ?? capExceeded(world, request);
  if (problem !== null) return rejected(problem);
  return accepted([requested(request)], issuanceRequestView(request));
}

function decideApprove(command: ApproveIssuance, world: IssuanceWorld): Outcome {
  const found = openRequestFor(world, command.actor, command.requestId, 'approve issuance requests');
  if (!found.ok) return rejected(found.rejection);
  return execute(world, found.request, command.actor, command.signature, command.now, []);
}

function decideDecline(command: DeclineIssuance, world: IssuanceWorld): Outcome {
  const found = openRequestFor(world, command.actor, command.requestId, 'decline issuance requests');
  if (!found.ok) return rejected(found.rejection);
  const request = found.request;
  const declined: IssuanceRequest = {
    ...request,
    status: 'declined',
    decidedBy: command.actor,
    decidedAt: command.now,
    decisionSignature: command.signature,
    declineReason: command.reason,
  };
  const event: IssuanceEvent = {
    type: 'IssuanceDeclined',
    streamId: issuanceStreamId(request.currency),
    data: {
      requestId: request.id,
      bankId: request.bankId,
      currency: request.currency,
      requestedBy: request.requestedBy,
      declinedBy: command.actor,
      declinedAt: command.now,
      reason: command.reason,
      requestSignature: request.requestSignature,
      declineSignature: command.signature,
    },
  };
  return accepted([event], issuanceRequestView(declined));
}

function decideIssueDirectly(command: IssueDirectly, world: IssuanceWorld): Outcome {
  const action = command.kind === 'issue' ? 'issue CBDC' : 'redeem CBDC';
  const cb = centralBankActor(world, command.actor, action, command.currency);
  if (!cb.ok) return rejected(cb.rejection);
  const target = ownBank(world, cb.centralBank, command.bankId);
  if (!target.ok) return rejected(target.rejection);
  const request = newRequest(command, target.bank, cb.centralBank, cb.currency);
  const problem = requestConflict(world, request);
  if (problem !== null) return rejected(problem);
  // Asked and approved by the central bank in one step: the log reads like a request and its approval.
  return execute(world, request, command.actor, command.signature, command.now, [requested(request)]);
}

function decideSetCap(command: SetSupplyCap, world: IssuanceWorld): Outcome {
  const cb = centralBankActor(world, command.actor, 'set supply caps', command.currency);
  if (!cb.ok) return rejected(cb.rejection);
  const current = world.issuance.supplies.get(cb.currency) ?? emptySupply(cb.currency, cb.centralBank.id);
  if (current.cap === command.cap) return accepted([], supplyCapView(current, false));
  const event: IssuanceEvent = {
    type: 'SupplyCapSet',
    streamId: issuanceStreamId(cb.currency),
    data: {
      currency: cb.currency,
      centralBankId: cb.centralBank.id,
      cap: command.cap,
      previousCap: current.cap,
      setBy: command.actor,
      setAt: command.now,
      signature: command.signature,
    },
  };
  return accepted([event], supplyCapView({ ...current, cap: command.cap }, true));
}

function newRequest(
  command: RequestIssuance | IssueDirectly,
  bank: Institution,
  centralBank: Institution,
  currency: string,
): IssuanceRequest {
  return {
    id: command.requestId,
    kind: command.kind,
    bankId: bank.id,
    centralBankId: centralBank.id,
    jurisdiction: bank.jurisdiction!,
    currency,
    amount: command.amount,
    reference: command.reference,
    status: 'open',
    requestedBy: command.actor,
    requestedAt: command.now,
    requestSignature: command.signature,
    decidedBy: null,
    decidedAt: null,
    decisionSignature: null,
    declineReason: null,
    transferIds: [],
  };
}

function requested(request: IssuanceRequest): IssuanceEvent {
  return {
    type: 'IssuanceRequested',
    streamId: issuanceStreamId(request.currency),
    data: {
      request: {
        id: request.id,
        kind: request.kind,
        bankId: request.bankId,
        centralBankId: request.centralBankId,
        jurisdiction: request.jurisdiction,
        currency: request.currency,
        amount: request.amount,
        reference: request.reference,
      },
      requestedBy: request.requestedBy,
      requestedAt: request.requestedAt,
      signature: request.requestSignature,
    },
  };
}

function requestConflict(world: IssuanceWorld, request: IssuanceRequest): Rejection | null {
  return world.issuance.requests.has(request.id)
    ? conflict('issuance_request_exists', `Issuance request ${request.id} already exists.`)
    : null;
}

/**
 * The cap bounds what is outstanding after an issuance: exactly at the cap is allowed. It is
 * checked when a bank asks (so it learns at once) and again when the request is executed (the
 * cap or the supply may have changed in between). Redemptions are never capped.
 */
function capExceeded(world: IssuanceWorld, request: IssuanceRequest): Rejection | null {
  if (request.kind !== 'issue') return null;
  const supply = world.issuance.supplies.get(request.currency);
  const cap = supply?.cap ?? null;
  const after = outstanding(supply) + request.amount;
  if (cap === null || after <= cap) return null;
  const currency = findCurrency(request.currency)!;
  return unprocessable(
    'supply_cap_exceeded',
    `Issuing ${formatMajor(request.amount, currency)} ${request.currency} would bring the outstanding supply to ${formatMajor(after, currency)} ${request.currency}, over the cap of ${formatMajor(cap, currency)} ${request.currency} set by ${supply!.centralBankId}.`,
  );
}

/** The open request a central bank decides on, if it is its own jurisdiction's. */
function openRequestFor(
  world: IssuanceWorld,
  actorId: string,
  requestId: Id,
  action: string,
): { ok: true; request: IssuanceRequest } | { ok: false; rejection: Rejection } {
  const actor = world.institutions.institutions.get(actorId);
  if (actor === undefined || actor.kind !== 'central_bank') {
    return { ok: false, rejection: forbiddenRole(actor, action, ['central_bank']) };
  }
  const request = world.issuance.requests.get(requestId);
  if (request === undefined) {
    return {
      ok: false,
      rejection: notFound('issuance_request_unknown', `No issuance request ${requestId} exists.`),
    };
  }
  if (request.centralBankId !== actor.id) {
    return {
      ok: false,
      rejection: forbiddenScope(
        actor,
        `request ${requestId} was made to ${request.centralBankId}; a central bank decides its own banks' requests only`,
      ),
    };
  }
  if (request.status !== 'open') {
    return {
      ok: false,
      rejection: conflict(
        'issuance_request_not_open',
        `Issuance request ${requestId} was already ${request.status} by ${request.decidedBy}.`,
      ),
    };
  }
  return { ok: true, request };
}

/**
 * The two linked legs of an issuance or a redemption, as one all-or-nothing chain:
 * issue:  bank reserves → reserve issuance, then CBDC issuance → bank wallet;
 * redeem: bank wallet → CBDC issuance, then reserve issuance → bank reserves.
 * Leg ids follow from the request id, so they can never be created twice.
 */
export function issuanceLegs(request: IssuanceRequest): TransferInput[] {
  const { bankId, centralBankId: cb, currency, amount, id } = request;
  const reserves = bankReserveAccountId(bankId, currency);
  const reserveIssuance = reserveIssuanceAccountId(cb, currency);
  const wallet = bankWalletAccountId(bankId, currency);
  const cbdcIssuance = cbdcIssuanceAccountId(cb, currency);
  const leg = (n: number, debitAccountId: Id, creditAccountId: Id, code: number) =>
    transferInput({
      id: nameBasedId(`issuance:${id}:leg:${n}`),
      debitAccountId,
      creditAccountId,
      amount,
      currency,
      code,
      userData128: id,
    });
  return request.kind === 'issue'
    ? [
        leg(0, reserves, reserveIssuance, TransferCodes.issuance),
        leg(1, cbdcIssuance, wallet, TransferCodes.issuance),
      ]
    : [
        leg(0, wallet, cbdcIssuance, TransferCodes.redemption),
        leg(1, reserveIssuance, reserves, TransferCodes.redemption),
      ];
}

function execute(
  world: IssuanceWorld,
  request: IssuanceRequest,
  approvedBy: string,
  signature: IssuanceRequest['decisionSignature'],
  now: bigint,
  before: readonly IssuanceEvent[],
): Outcome {
  const capProblem = capExceeded(world, request);
  if (capProblem !== null) return rejected(capProblem);
  const legs = issuanceLegs(request);
  const plan = planLinkedTransfers(world.ledger, legs, now);
  if (!plan.ok) {
    const first = plan.failures[0]!;
    if (first.index === 0 && first.result === 'exceeds_credits') {
      return rejected(insufficient(request));
    }
    return rejected(ledgerRefusal(plan.failures, request.kind === 'issue' ? 'issuance' : 'redemption'));
  }
  const transferIds = legs.map((l) => l.id);
  const data: IssuanceExecution = {
    requestId: request.id,
    bankId: request.bankId,
    centralBankId: request.centralBankId,
    currency: request.currency,
    amount: request.amount,
    requestedBy: request.requestedBy,
    approvedBy,
    approvedAt: now,
    requestSignature: request.requestSignature,
    approvalSignature: signature,
    transferIds,
  };
  const event: IssuanceEvent =
    request.kind === 'issue'
      ? { type: 'CbdcIssued', streamId: issuanceStreamId(request.currency), data }
      : { type: 'CbdcRedeemed', streamId: issuanceStreamId(request.currency), data };
  const executed: IssuanceRequest = {
    ...request,
    status: 'executed',
    decidedBy: approvedBy,
    decidedAt: now,
    decisionSignature: signature,
    transferIds,
  };
  return accepted([...before, event, ...plan.events], issuanceRequestView(executed));
}

function insufficient(request: IssuanceRequest): Rejection {
  const what: Record<IssuanceKind, [string, string]> = {
    issue: ['insufficient_reserves', 'reserves at its central bank'],
    redeem: ['insufficient_cbdc', `${request.currency} CBDC in its wallet`],
  };
  const [code, holding] = what[request.kind];
  return unprocessable(
    code,
    `${request.bankId} does not hold ${formatMajor(request.amount, findCurrency(request.currency)!)} ${request.currency} of available ${holding}; nothing moved and the request stays open.`,
  );
}

function ledgerRefusal(
  failures: ReadonlyArray<{ readonly index: number; readonly result: CreateTransferResult }>,
  what: string,
): Rejection {
  const overflow = failures.some((f) => f.result.startsWith('overflows_'));
  return {
    ...unprocessable(
      overflow ? 'amount_overflows' : 'ledger_refused',
      overflow
        ? `The ${what} would take a balance past the largest the ledger holds; nothing moved.`
        : `The ledger refused the ${what}: ${failures.map((f) => `leg ${f.index} ${f.result}`).join(', ')}; nothing moved.`,
    ),
    errors: failures.map((f) => ({ index: f.index, code: f.result, detail: `leg ${f.index}: ${f.result}` })),
  };
}

/** Applies one event to the state in place (undoable maps). */
export function evolveIssuance(state: IssuanceState, event: IssuanceEvent): IssuanceState {
  switch (event.type) {
    case 'ReservesCredited': {
      const d = event.data;
      const supply = state.supplies.get(d.currency) ?? emptySupply(d.currency, d.centralBankId);
      state.supplies.set(d.currency, { ...supply, reservesCredited: supply.reservesCredited + d.amount });
      state.reserveCredits.set(d.creditId, d.bankId);
      return state;
    }
    case 'IssuanceRequested': {
      const d = event.data;
      state.requests.set(d.request.id, {
        ...d.request,
        status: 'open',
        requestedBy: d.requestedBy,
        requestedAt: d.requestedAt,
        requestSignature: d.signature,
        decidedBy: null,
        decidedAt: null,
        decisionSignature: null,
        declineReason: null,
        transferIds: [],
      });
      return state;
    }
    case 'CbdcIssued':
    case 'CbdcRedeemed': {
      const d = event.data;
      const request = state.requests.get(d.requestId)!;
      state.requests.set(d.requestId, {
        ...request,
        status: 'executed',
        decidedBy: d.approvedBy,
        decidedAt: d.approvedAt,
        decisionSignature: d.approvalSignature,
        transferIds: d.transferIds,
      });
      const supply = state.supplies.get(d.currency) ?? emptySupply(d.currency, d.centralBankId);
      state.supplies.set(
        d.currency,
        event.type === 'CbdcIssued'
          ? { ...supply, issued: supply.issued + d.amount }
          : { ...supply, redeemed: supply.redeemed + d.amount },
      );
      return state;
    }
    case 'IssuanceDeclined': {
      const d = event.data;
      const request = state.requests.get(d.requestId)!;
      state.requests.set(d.requestId, {
        ...request,
        status: 'declined',
        decidedBy: d.declinedBy,
        decidedAt: d.declinedAt,
        decisionSignature: d.declineSignature,
        declineReason: d.reason,
      });
      return state;
    }
    case 'SupplyCapSet': {
      const d = event.data;
      const supply = state.supplies.get(d.currency) ?? emptySupply(d.currency, d.centralBankId);
      state.supplies.set(d.currency, { ...supply, cap: d.cap });
      return state;
    }
    default:
      return assertNever(event);
  }
}
