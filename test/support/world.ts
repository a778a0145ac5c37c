import type { Decider, Decision, DomainEvent } from '../../src/platform/decider/decider.js';
import { decideLedger, evolveLedger } from '../../src/ledger/domain/ledger.decider.js';
import { LEDGER_EVENT_TYPES, type LedgerEvent } from '../../src/ledger/domain/ledger.events.js';
import type { LedgerCommand } from '../../src/ledger/domain/ledger.commands.js';
import { LedgerState } from '../../src/ledger/domain/ledger.state.js';
import type { InstitutionsCommand } from '../../src/institutions/domain/institutions.commands.js';
import { INSTITUTIONS_COMMAND_TYPES } from '../../src/institutions/domain/institutions.commands.js';
import {
  decideInstitutions,
  evolveInstitutions,
} from '../../src/institutions/domain/institutions.decider.js';
import {
  INSTITUTIONS_EVENT_TYPES,
  type InstitutionsEvent,
} from '../../src/institutions/domain/institutions.events.js';
import { InstitutionsState } from '../../src/institutions/domain/institutions.state.js';
import { decideWallets, evolveWallets } from '../../src/wallets/domain/wallets.decider.js';
import { WALLETS_COMMAND_TYPES, type WalletsCommand } from '../../src/wallets/domain/wallets.commands.js';
import { WALLETS_EVENT_TYPES, type WalletsEvent } from '../../src/wallets/domain/wallets.events.js';
import { WalletsState } from '../../src/wallets/domain/wallets.state.js';
import { decideIssuance, evolveIssuance } from '../../src/issuance/domain/issuance.decider.js';
import { ISSUANCE_COMMAND_TYPES, type IssuanceCommand } from '../../src/issuance/domain/issuance.commands.js';
import { ISSUANCE_EVENT_TYPES, type IssuanceEvent } from '../../src/issuance/domain/issuance.events.js';
import { IssuanceState } from '../../src/issuance/domain/issuance.state.js';
import { FX_COMMAND_TYPES, type FxCommand } from '../../src/fx/domain/fx.commands.js';
import { decideFx, evolveFx } from '../../src/fx/domain/fx.decider.js';
import { FX_EVENT_TYPES, type FxEvent } from '../../src/fx/domain/fx.events.js';
import { FxState } from '../../src/fx/domain/fx.state.js';
import {
  CORRIDORS_COMMAND_TYPES,
  type CorridorsCommand,
} from '../../src/corridors/domain/corridors.commands.js';
import { decideCorridors, evolveCorridors } from '../../src/corridors/domain/corridors.decider.js';
import { CORRIDORS_EVENT_TYPES, type CorridorsEvent } from '../../src/corridors/domain/corridors.events.js';
import { CorridorsState } from '../../src/corridors/domain/corridors.state.js';
import { PAYMENTS_COMMAND_TYPES, type PaymentsCommand } from '../../src/payments/domain/payments.commands.js';
import { decidePayments, evolvePayments } from '../../src/payments/domain/payments.decider.js';
import { PAYMENTS_EVENT_TYPES, type PaymentsEvent } from '../../src/payments/domain/payments.events.js';
import { PaymentsState } from '../../src/payments/domain/payments.state.js';
import { sanctionsList, type SanctionsList } from '../../src/payments/domain/sanctions.js';

/** The sanctions list decider specifications screen against. */
export const TEST_SANCTIONS = sanctionsList({ institutions: ['BADBANK'], names: ['Ivan Sanctioned'] });

/**
 * Every module's state side by side, with commands and events routed to their module as the
 * sequencer routes them: decider specifications that span modules (an issuance and the ledger
 * transfers it causes) read as given / when / then over this.
 */
export interface World {
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
export type AnyCommand = { readonly type: string; readonly now: bigint } & Record<string, any>;

interface ModuleEntry {
  readonly commandTypes: readonly string[];
  readonly eventTypes: readonly string[];
  decide(command: AnyCommand, world: World): Decision<DomainEvent, unknown>;
  evolve(world: World, event: DomainEvent): void;
}

const MODULES: readonly ModuleEntry[] = [
  {
    commandTypes: ['CreateAccounts', 'CreateTransfers', 'ExpirePendingTransfers'],
    eventTypes: [...LEDGER_EVENT_TYPES],
    decide: (command, world) => decideLedger(command as unknown as LedgerCommand, world.ledger),
    evolve: (world, event) => void evolveLedger(world.ledger, event as LedgerEvent),
  },
  {
    commandTypes: INSTITUTIONS_COMMAND_TYPES,
    eventTypes: INSTITUTIONS_EVENT_TYPES,
    decide: (command, world) => decideInstitutions(command as unknown as InstitutionsCommand, world),
    evolve: (world, event) => void evolveInstitutions(world.institutions, event as InstitutionsEvent),
  },
  {
    commandTypes: WALLETS_COMMAND_TYPES,
    eventTypes: WALLETS_EVENT_TYPES,
    decide: (command, world) => decideWallets(command as unknown as WalletsCommand, world),
    evolve: (world, event) => void evolveWallets(world.wallets, event as WalletsEvent),
  },
  {
    commandTypes: ISSUANCE_COMMAND_TYPES,
    eventTypes: ISSUANCE_EVENT_TYPES,
    decide: (command, world) => decideIssuance(command as unknown as IssuanceCommand, world),
    evolve: (world, event) => void evolveIssuance(world.issuance, event as IssuanceEvent),
  },
  {
    commandTypes: FX_COMMAND_TYPES,
    eventTypes: FX_EVENT_TYPES,
    decide: (command, world) => decideFx(command as unknown as FxCommand, world),
    evolve: (world, event) => void evolveFx(world.fx, event as FxEvent),
  },
  {
    commandTypes: CORRIDORS_COMMAND_TYPES,
    eventTypes: CORRIDORS_EVENT_TYPES,
    decide: (command, world) => decideCorridors(command as unknown as CorridorsCommand, world),
    evolve: (world, event) => void evolveCorridors(world.corridors, event as CorridorsEvent),
  },
  {
    commandTypes: PAYMENTS_COMMAND_TYPES,
    eventTypes: PAYMENTS_EVENT_TYPES,
    decide: (command, world) => decidePayments(command as unknown as PaymentsCommand, world),
    evolve: (world, event) => void evolvePayments(world.payments, event as PaymentsEvent),
  },
];

function moduleFor(kind: 'command' | 'event', type: string): ModuleEntry {
  const found = MODULES.find((m) => (kind === 'command' ? m.commandTypes : m.eventTypes).includes(type));
  if (found === undefined) throw new Error(`no module handles the ${kind} ${type}`);
  return found;
}

export const worldDecider: Decider<AnyCommand, DomainEvent, World, unknown> = {
  initialState: () => ({
    ledger: new LedgerState(),
    institutions: new InstitutionsState(),
    wallets: new WalletsState(),
    issuance: new IssuanceState(),
    fx: new FxState(),
    corridors: new CorridorsState(),
    payments: new PaymentsState(),
    sanctions: TEST_SANCTIONS,
  }),
  decide: (command, world) => moduleFor('command', command.type).decide(command, world),
  evolve: (world, event) => {
    moduleFor('event', event.type).evolve(world, event);
    return world;
  },
};

/** Decides and applies commands in order, failing on a rejection: builds a `given` history. */
export function history(commands: readonly AnyCommand[]): DomainEvent[] {
  const world = worldDecider.initialState();
  const events: DomainEvent[] = [];
  for (const command of commands) {
    const decision = worldDecider.decide(command, world);
    if (decision.kind === 'rejected') {
      throw new Error(
        `history: ${command.type} was rejected: ${decision.rejection.code} ${decision.rejection.detail}`,
      );
    }
    for (const event of decision.events) worldDecider.evolve(world, event);
    events.push(...decision.events);
  }
  return events;
}
