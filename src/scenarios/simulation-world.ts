import type { Decision, DomainEvent, WorkedOutEffects } from '../platform/decider/decider.js';
import { DecidedEffects, decideLedger, evolveLedger } from '../ledger/domain/ledger.decider.js';
import { LEDGER_EVENT_TYPES, type LedgerEvent } from '../ledger/domain/ledger.events.js';
import type { LedgerCommand } from '../ledger/domain/ledger.commands.js';
import { LedgerState } from '../ledger/domain/ledger.state.js';
import {
  INSTITUTIONS_COMMAND_TYPES,
  type InstitutionsCommand,
} from '../institutions/domain/institutions.commands.js';
import { decideInstitutions, evolveInstitutions } from '../institutions/domain/institutions.decider.js';
import {
  INSTITUTIONS_EVENT_TYPES,
  type InstitutionsEvent,
} from '../institutions/domain/institutions.events.js';
import { InstitutionsState } from '../institutions/domain/institutions.state.js';
import { decideWallets, evolveWallets } from '../wallets/domain/wallets.decider.js';
import { WALLETS_COMMAND_TYPES, type WalletsCommand } from '../wallets/domain/wallets.commands.js';
import { WALLETS_EVENT_TYPES, type WalletsEvent } from '../wallets/domain/wallets.events.js';
import { WalletsState } from '../wallets/domain/wallets.state.js';
import { decideIssuance, evolveIssuance } from '../issuance/domain/issuance.decider.js';
import { ISSUANCE_COMMAND_TYPES, type IssuanceCommand } from '../issuance/domain/issuance.commands.js';
import { ISSUANCE_EVENT_TYPES, type IssuanceEvent } from '../issuance/domain/issuance.events.js';
import { IssuanceState } from '../issuance/domain/issuance.state.js';
import { FX_COMMAND_TYPES, type FxCommand } from '../fx/domain/fx.commands.js';
import { decideFx, evolveFx } from '../fx/domain/fx.decider.js';
import { FX_EVENT_TYPES, type FxEvent } from '../fx/domain/fx.events.js';
import { FxState } from '../fx/domain/fx.state.js';
import { CORRIDORS_COMMAND_TYPES, type CorridorsCommand } from '../corridors/domain/corridors.commands.js';
import { decideCorridors, evolveCorridors } from '../corridors/domain/corridors.decider.js';
import { CORRIDORS_EVENT_TYPES, type CorridorsEvent } from '../corridors/domain/corridors.events.js';
import { CorridorsState } from '../corridors/domain/corridors.state.js';
import { PAYMENTS_COMMAND_TYPES, type PaymentsCommand } from '../payments/domain/payments.commands.js';
import { decidePayments, evolvePayments, settledOnReceipt } from '../payments/domain/payments.decider.js';
import { PAYMENTS_EVENT_TYPES, type PaymentsEvent } from '../payments/domain/payments.events.js';
import { PaymentsState } from '../payments/domain/payments.state.js';
import { EMPTY_SANCTIONS, type SanctionsList } from '../payments/domain/sanctions.js';

/**
 * Every module's state side by side, as the sequencer holds them, and the same routing of
 * commands and events to each module's pure decide/evolve. The engine runs the service's rules
 * by running exactly these functions; only the clock (virtual) and the log (in memory) differ.
 */
export interface SimulationWorld {
  readonly ledger: LedgerState;
  readonly institutions: InstitutionsState;
  readonly wallets: WalletsState;
  readonly issuance: IssuanceState;
  readonly fx: FxState;
  readonly corridors: CorridorsState;
  readonly payments: PaymentsState;
  readonly sanctions: SanctionsList;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WorldCommand = { readonly type: string; readonly now: bigint } & Record<string, any>;

interface ModuleRoute {
  decide(command: WorldCommand, world: SimulationWorld): Decision<DomainEvent, unknown>;
  evolve(world: SimulationWorld, event: DomainEvent): void;
}

const LEDGER: ModuleRoute = {
  decide: (c, w) => decideLedger(c as unknown as LedgerCommand, w.ledger),
  evolve: (w, e) => void evolveLedger(w.ledger, e as LedgerEvent),
};
const INSTITUTIONS: ModuleRoute = {
  decide: (c, w) => decideInstitutions(c as unknown as InstitutionsCommand, w),
  evolve: (w, e) => void evolveInstitutions(w.institutions, e as InstitutionsEvent),
};
const WALLETS: ModuleRoute = {
  decide: (c, w) => decideWallets(c as unknown as WalletsCommand, w),
  evolve: (w, e) => void evolveWallets(w.wallets, e as WalletsEvent),
};
const ISSUANCE: ModuleRoute = {
  decide: (c, w) => decideIssuance(c as unknown as IssuanceCommand, w),
  evolve: (w, e) => void evolveIssuance(w.issuance, e as IssuanceEvent),
};
const FX: ModuleRoute = {
  decide: (c, w) => decideFx(c as unknown as FxCommand, w),
  evolve: (w, e) => void evolveFx(w.fx, e as FxEvent),
};
const CORRIDORS: ModuleRoute = {
  decide: (c, w) => decideCorridors(c as unknown as CorridorsCommand, w),
  evolve: (w, e) => void evolveCorridors(w.corridors, e as CorridorsEvent),
};
const PAYMENTS: ModuleRoute = {
  decide: (c, w) => decidePayments(c as unknown as PaymentsCommand, w),
  evolve: (w, e) => void evolvePayments(w.payments, e as PaymentsEvent),
};

const PAYMENT_EVENTS: ReadonlySet<string> = new Set(PAYMENTS_EVENT_TYPES);

/** Type → module, built once: a lookup per command and per event on the hot path. */
const BY_COMMAND = new Map<string, ModuleRoute>();
const BY_EVENT = new Map<string, ModuleRoute>();
for (const [route, commands, events] of [
  [LEDGER, ['CreateAccounts', 'CreateTransfers', 'ExpirePendingTransfers'], LEDGER_EVENT_TYPES],
  [INSTITUTIONS, INSTITUTIONS_COMMAND_TYPES, INSTITUTIONS_EVENT_TYPES],
  [WALLETS, WALLETS_COMMAND_TYPES, WALLETS_EVENT_TYPES],
  [ISSUANCE, ISSUANCE_COMMAND_TYPES, ISSUANCE_EVENT_TYPES],
  [FX, FX_COMMAND_TYPES, FX_EVENT_TYPES],
  [CORRIDORS, CORRIDORS_COMMAND_TYPES, CORRIDORS_EVENT_TYPES],
  [PAYMENTS, PAYMENTS_COMMAND_TYPES, PAYMENTS_EVENT_TYPES],
] as const) {
  for (const type of commands) BY_COMMAND.set(type, route);
  for (const type of events) BY_EVENT.set(type, route);
}

export function newSimulationWorld(sanctions: SanctionsList = EMPTY_SANCTIONS): SimulationWorld {
  return {
    ledger: new LedgerState(),
    institutions: new InstitutionsState(),
    wallets: new WalletsState(),
    issuance: new IssuanceState(),
    fx: new FxState(),
    corridors: new CorridorsState(),
    payments: new PaymentsState(),
    sanctions,
  };
}

export function decideInWorld(command: WorldCommand, world: SimulationWorld): Decision<DomainEvent, unknown> {
  const route = BY_COMMAND.get(command.type);
  if (route === undefined) throw new Error(`no module decides ${command.type}`);
  return route.decide(command, world);
}

export function evolveWorld(world: SimulationWorld, event: DomainEvent): void {
  const route = BY_EVENT.get(event.type);
  if (route === undefined) throw new Error(`no module evolves ${event.type}`);
  route.evolve(world, event);
}

/**
 * Evolves an accepted decision's events. When deciding already worked out the ledger's part (a
 * payment's legs: Decision.workedOut, the ledger's DecidedEffects), that is applied once and those
 * events are not evolved again: evolving a leg copies its two accounts and journals each change,
 * which decide had already done in its overlay (the service's sequencer does the same for the
 * ledger's own decisions). Every other event is evolved in order; the other modules' evolves do
 * not read the ledger. A ledger event the effects do not cover is a bug in a decider, refused.
 * The payments events of a payment received and settled within the decision are skipped: together
 * they leave the payments state as it was (settledOnReceipt).
 */
export function evolveAccepted(
  world: SimulationWorld,
  events: readonly DomainEvent[],
  workedOut: WorkedOutEffects | undefined,
): void {
  if (workedOut === undefined) {
    for (const event of events) evolveWorld(world, event);
    return;
  }
  // The ledger's are the only effects a decider hands on today; anything else would be applied
  // to the wrong state.
  if (!(workedOut instanceof DecidedEffects))
    throw new Error('a decision carries worked-out effects the engine does not know how to apply');
  workedOut.applyTo(world.ledger);
  const covered = workedOut.events;
  // A payment received and settled in this decision would be queued and taken out again.
  const passedThrough = settledOnReceipt(world.payments, events);
  let next = 0;
  for (const event of events) {
    if (next < covered.length && event === covered[next]) {
      next++;
      continue;
    }
    if (LEDGER_EVENT_TYPES.has(event.type))
      throw new Error(`a decision's ${event.type} is not among the ledger effects it carries`);
    if (
      passedThrough !== null &&
      PAYMENT_EVENTS.has(event.type) &&
      (event as PaymentsEvent).data.paymentId === passedThrough
    )
      continue;
    evolveWorld(world, event);
  }
  if (next !== covered.length) throw new Error("a decision's ledger effects name events it does not hold");
}
