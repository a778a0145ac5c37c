import {
  accepted,
  assertNever,
  rejected,
  type Decision,
  type DomainEvent,
  type Rejection,
} from '../../platform/decider/decider.js';
import { localTimeIn } from '../../platform/clock/local-time.js';
import { planAccounts } from '../../ledger/domain/ledger-effects.js';
import type { LedgerState } from '../../ledger/domain/ledger.state.js';
import { formatMajor } from '../../ledger/domain/amount.js';
import { findCurrency } from '../../ledger/domain/currency.js';
import {
  conflict,
  forbiddenRole,
  forbiddenScope,
  notFound,
  unprocessable,
} from '../../institutions/domain/authorization.js';
import { bankWalletAccountId } from '../../institutions/domain/chart-of-accounts.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import { openBankWallet } from '../../wallets/domain/open-bank-wallet.js';
import {
  corridorId,
  feeFor,
  minutesOf,
  NO_FEE,
  sideOf,
  type Corridor,
  type CorridorSide,
} from './corridor.js';
import type {
  CorridorsCommand,
  OpenCorridor,
  SetCorridorSideRules,
  SuspendCorridor,
} from './corridors.commands.js';
import { corridorStreamId, type CorridorsEvent } from './corridors.events.js';
import { outflowKey, type CorridorsState } from './corridors.state.js';

export interface CorridorsWorld {
  readonly corridors: CorridorsState;
  readonly institutions: InstitutionsState;
  readonly ledger: LedgerState;
}

export type CorridorsReply = { readonly corridor: Corridor };

export function decideCorridors(
  command: CorridorsCommand,
  world: CorridorsWorld,
): Decision<DomainEvent, CorridorsReply> {
  switch (command.type) {
    case 'OpenCorridor':
      return decideOpen(command, world);
    case 'SetCorridorSideRules':
      return decideSideRules(command, world);
    case 'SuspendCorridor':
    case 'ResumeCorridor':
      return decideSuspension(command, world);
    default:
      return assertNever(command);
  }
}

function decideOpen(command: OpenCorridor, world: CorridorsWorld): Decision<DomainEvent, CorridorsReply> {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'operator')
    return rejected(forbiddenRole(actor, 'open corridors or set their fees', ['operator']));
  const [a, b] = command.jurisdictions;
  if (a === b)
    return rejected(unprocessable('corridor_invalid', 'A corridor joins two different jurisdictions.'));
  const jurisdictions = [a, b].map((code) => world.institutions.jurisdictions.get(code));
  const missing = [a, b].filter((_, i) => jurisdictions[i] === undefined);
  if (missing.length > 0)
    return rejected(
      notFound('jurisdiction_unknown', `No central bank has established ${missing.join(' or ')}.`),
    );
  for (const jurisdiction of Object.keys(command.fees)) {
    if (jurisdiction !== a && jurisdiction !== b)
      return rejected(unprocessable('fee_side_invalid', `${jurisdiction} is not a side of this corridor.`));
  }
  const id = corridorId(a, b);
  const existing = world.corridors.corridors.get(id);
  const events: DomainEvent[] = [];
  let corridor: Corridor;
  if (existing === undefined) {
    const sides = jurisdictions
      .map((j) => j!)
      .sort((x, y) => (x.code < y.code ? -1 : 1))
      .map((j): CorridorSide => ({
        jurisdiction: j.code,
        currency: j.currency,
        timeZone: j.timeZone,
        hours: null,
        maxPaymentMinor: null,
        dailyOutboundQuotaMinor: null,
        fee: command.fees[j.code] ?? NO_FEE,
        suspension: null,
      })) as [CorridorSide, CorridorSide];
    corridor = { id, sides, openedAt: command.now };
    events.push({
      type: 'CorridorOpened',
      streamId: corridorStreamId(id),
      data: { corridor, by: command.actor },
    });
  } else {
    if (Object.keys(command.fees).length === 0) return accepted([], { corridor: existing });
    corridor = {
      ...existing,
      sides: existing.sides.map((s) => ({ ...s, fee: command.fees[s.jurisdiction] ?? s.fee })) as [
        CorridorSide,
        CorridorSide,
      ],
    };
    events.push({
      type: 'CorridorFeesSet',
      streamId: corridorStreamId(id),
      data: { corridorId: id, fees: command.fees, by: command.actor },
    });
  }
  // Fees are paid into the operator's wallet in each side's currency: open it on first need.
  const wallets = corridor.sides.filter(
    (s) =>
      (s.fee.fixedMinor > 0n || s.fee.bps > 0) &&
      !world.ledger.accounts.has(bankWalletAccountId(actor.id, s.currency)),
  );
  if (wallets.length > 0) {
    const opened = wallets.map((s) =>
      openBankWallet({ id: actor.id, jurisdiction: s.jurisdiction }, s.currency, actor.id, command.now),
    );
    const plan = planAccounts(
      world.ledger,
      opened.map((o) => o.account),
      command.now,
    );
    if (!plan.ok)
      return rejected(
        conflict(
          'ledger_accounts_exist',
          `The operator's fee wallets could not be opened: ${plan.failures.map((f) => f.result).join(', ')}.`,
        ),
      );
    events.push(...plan.events, ...opened.map((o) => o.event));
  }
  return accepted(events, { corridor });
}

/** The central bank of `jurisdiction`, acting on its own side of an existing corridor. */
function governedSide(
  actorId: string,
  id: string,
  jurisdiction: string | null,
  world: CorridorsWorld,
): { corridor: Corridor; side: CorridorSide } | Rejection {
  const actor = world.institutions.institutions.get(actorId);
  if (actor?.kind !== 'central_bank') return forbiddenRole(actor, 'govern a corridor side', ['central_bank']);
  const corridor = world.corridors.corridors.get(id);
  if (corridor === undefined) return notFound('corridor_not_found', `There is no corridor ${id}.`);
  const side = sideOf(corridor, jurisdiction ?? actor.jurisdiction!);
  if (side === undefined)
    return forbiddenScope(actor, `${actor.jurisdiction} is not a side of corridor ${id}`);
  if (side.jurisdiction !== actor.jurisdiction)
    return forbiddenScope(
      actor,
      `a central bank governs its own side (${actor.jurisdiction}) only, not ${side.jurisdiction}`,
    );
  return { corridor, side };
}

function decideSideRules(
  command: SetCorridorSideRules,
  world: CorridorsWorld,
): Decision<DomainEvent, CorridorsReply> {
  const found = governedSide(command.actor, command.corridorId, command.jurisdiction, world);
  if ('code' in found) return rejected(found);
  const { corridor, side } = found;
  const rules = {
    hours: command.hours,
    maxPaymentMinor: command.maxPaymentMinor,
    dailyOutboundQuotaMinor: command.dailyOutboundQuotaMinor,
  };
  const updated: Corridor = {
    ...corridor,
    sides: corridor.sides.map((s) => (s === side ? { ...s, ...rules } : s)) as [CorridorSide, CorridorSide],
  };
  return accepted(
    [
      {
        type: 'CorridorSideRulesSet',
        streamId: corridorStreamId(corridor.id),
        data: { corridorId: corridor.id, jurisdiction: side.jurisdiction, ...rules, by: command.actor },
      },
    ],
    { corridor: updated },
  );
}

function decideSuspension(
  command: SuspendCorridor,
  world: CorridorsWorld,
): Decision<DomainEvent, CorridorsReply> {
  const found = governedSide(command.actor, command.corridorId, null, world);
  if ('code' in found) return rejected(found);
  const { corridor, side } = found;
  const suspend = command.type === 'SuspendCorridor';
  if ((side.suspension !== null) === suspend) return accepted([], { corridor }); // already so: idempotent
  const suspension = suspend ? { reason: command.reason, by: command.actor, at: command.now } : null;
  const updated: Corridor = {
    ...corridor,
    sides: corridor.sides.map((s) => (s === side ? { ...s, suspension } : s)) as [CorridorSide, CorridorSide],
  };
  return accepted(
    [
      {
        type: suspend ? 'CorridorSuspended' : 'CorridorResumed',
        streamId: corridorStreamId(corridor.id),
        data: {
          corridorId: corridor.id,
          jurisdiction: side.jurisdiction,
          reason: command.reason,
          by: command.actor,
          at: command.now,
        },
      },
    ],
    { corridor: updated },
  );
}

/** A corridor rule a payment breaks: code, status and a sentence, for the payment's rejection or its wait in the queue. */
export interface CorridorScreening {
  readonly code:
    | 'corridor_not_found'
    | 'corridor_suspended'
    | 'corridor_closed'
    | 'payment_over_maximum'
    | 'outbound_quota_exceeded';
  readonly detail: string;
}

/**
 * Screens a payment out of `from` into `to` of `amountMinor` (in `from`'s currency) against the
 * corridor's rules at `now`. Null when it may go; the fee the payer pays is `feeFor(side.fee, …)`.
 */
export function screenCorridor(
  state: CorridorsState,
  payment: { readonly from: string; readonly to: string; readonly amountMinor: bigint; readonly now: bigint },
): CorridorScreening | null {
  return screenCorridorAt(state, payment.from, payment.to, payment.amountMinor, payment.now);
}

/**
 * screenCorridor with the payment's fields as arguments: the payments decider screens every
 * payment twice (before and after pricing), and built a request object each time.
 */
export function screenCorridorAt(
  state: CorridorsState,
  from: string,
  to: string,
  amountMinor: bigint,
  now: bigint,
): CorridorScreening | null {
  return screenCorridorOf(state, state.corridors.get(corridorId(from, to)), from, to, amountMinor, now);
}

/**
 * screenCorridorAt for the corridor joining `from` and `to` as the caller found it (undefined:
 * none): the payments decider screens a payment twice and prices its fee on the same corridor,
 * and looked it up each time.
 */
export function screenCorridorOf(
  state: CorridorsState,
  corridor: Corridor | undefined,
  from: string,
  to: string,
  amountMinor: bigint,
  now: bigint,
): CorridorScreening | null {
  if (corridor === undefined)
    return { code: 'corridor_not_found', detail: `No corridor joins ${from} and ${to}.` };
  for (const side of corridor.sides) {
    if (side.suspension !== null) {
      return {
        code: 'corridor_suspended',
        detail: `Corridor ${corridor.id} is suspended by ${side.suspension.by}: ${side.suspension.reason}`,
      };
    }
  }
  for (const side of corridor.sides) {
    if (!isOpen(side, now)) {
      const h = side.hours!;
      return {
        code: 'corridor_closed',
        detail: `${side.jurisdiction}'s side of corridor ${corridor.id} is open ${h.open}–${h.close} (${side.timeZone}), days ${h.days.join(',')}.`,
      };
    }
  }
  const out = sideOf(corridor, from)!;
  const currency = findCurrency(out.currency)!;
  if (out.maxPaymentMinor !== null && amountMinor > out.maxPaymentMinor) {
    return {
      code: 'payment_over_maximum',
      detail: `Payments out of ${out.jurisdiction} on corridor ${corridor.id} are at most ${formatMajor(out.maxPaymentMinor, currency)} ${out.currency}.`,
    };
  }
  if (out.dailyOutboundQuotaMinor !== null) {
    const used = outflowToday(state, corridor.id, out, now);
    if (used + amountMinor > out.dailyOutboundQuotaMinor) {
      return {
        code: 'outbound_quota_exceeded',
        detail: `${out.jurisdiction}'s daily outbound quota on corridor ${corridor.id} is ${formatMajor(out.dailyOutboundQuotaMinor, currency)} ${out.currency}; ${formatMajor(used, currency)} has left today.`,
      };
    }
  }
  return null;
}

export function outflowToday(state: CorridorsState, id: string, side: CorridorSide, now: bigint): bigint {
  return state.outflows.get(outflowKey(id, side.jurisdiction, localTimeIn(side.timeZone, now).date)) ?? 0n;
}

function isOpen(side: CorridorSide, now: bigint): boolean {
  if (side.hours === null) return true;
  const local = localTimeIn(side.timeZone, now);
  return (
    side.hours.days.includes(local.weekday) &&
    local.minuteOfDay >= minutesOf(side.hours.open) &&
    local.minuteOfDay < minutesOf(side.hours.close)
  );
}

/** The fee a payer on side `from` pays for `amountMinor`, in that side's currency. */
export function corridorFee(state: CorridorsState, from: string, to: string, amountMinor: bigint): bigint {
  return corridorFeeOf(state.corridors.get(corridorId(from, to)), from, amountMinor);
}

/** corridorFee on the corridor as the caller found it (undefined: none). */
export function corridorFeeOf(corridor: Corridor | undefined, from: string, amountMinor: bigint): bigint {
  const side = corridor === undefined ? undefined : sideOf(corridor, from);
  return side === undefined ? 0n : feeFor(side.fee, amountMinor);
}

/** Replaces the corridor's sides (`jurisdiction`'s only, if named) by what `change` makes of them. */
function updateSides(
  state: CorridorsState,
  id: string,
  change: (side: CorridorSide) => CorridorSide,
  jurisdiction?: string,
): void {
  const corridor = state.corridors.get(id)!;
  state.corridors.set(id, {
    ...corridor,
    sides: corridor.sides.map((s) =>
      jurisdiction === undefined || s.jurisdiction === jurisdiction ? change(s) : s,
    ) as [CorridorSide, CorridorSide],
  });
}

export function evolveCorridors(state: CorridorsState, event: CorridorsEvent): CorridorsState {
  // `updateSides` is a module function: as a closure here it was allocated for every outflow
  // recorded (one per settled payment), which never uses it.
  switch (event.type) {
    case 'CorridorOpened':
      state.corridors.set(event.data.corridor.id, event.data.corridor);
      return state;
    case 'CorridorFeesSet':
      updateSides(state, event.data.corridorId, (s) => ({
        ...s,
        fee: event.data.fees[s.jurisdiction] ?? s.fee,
      }));
      return state;
    case 'CorridorSideRulesSet': {
      const { hours, maxPaymentMinor, dailyOutboundQuotaMinor } = event.data;
      updateSides(
        state,
        event.data.corridorId,
        (s) => ({ ...s, hours, maxPaymentMinor, dailyOutboundQuotaMinor }),
        event.data.jurisdiction,
      );
      return state;
    }
    case 'CorridorSuspended':
    case 'CorridorResumed': {
      const { reason, by, at } = event.data;
      updateSides(
        state,
        event.data.corridorId,
        (s) => ({ ...s, suspension: event.type === 'CorridorSuspended' ? { reason, by, at } : null }),
        event.data.jurisdiction,
      );
      return state;
    }
    case 'CorridorOutflowRecorded': {
      const key = outflowKey(event.data.corridorId, event.data.jurisdiction, event.data.date);
      // `replace`: the undo journal takes the value just read rather than looking the key up again.
      const previous = state.outflows.get(key);
      state.outflows.replace(key, previous, (previous ?? 0n) + event.data.amountMinor);
      return state;
    }
    default:
      return assertNever(event);
  }
}
