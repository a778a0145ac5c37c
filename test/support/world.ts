import type { Decider, DomainEvent } from '../../src/platform/decider/decider.js';
import { sanctionsList } from '../../src/payments/domain/sanctions.js';
import {
  decideInWorld,
  evolveWorld,
  newSimulationWorld,
  type SimulationWorld,
  type WorldCommand,
} from '../../src/scenarios/simulation-world.js';

/** The sanctions list decider specifications screen against. */
export const TEST_SANCTIONS = sanctionsList({ institutions: ['BADBANK'], names: ['Ivan Sanctioned'] });

/**
 * Every module's state side by side, with commands and events routed to their module as the
 * sequencer routes them: decider specifications that span modules (an issuance and the ledger
 * transfers it causes) read as given / when / then over this. It is the scenario engine's world
 * (src/scenarios/simulation-world.ts), so the specifications and the simulations run one routing.
 */
export type World = SimulationWorld;
export type AnyCommand = WorldCommand;

export const worldDecider: Decider<AnyCommand, DomainEvent, World, unknown> = {
  initialState: () => newSimulationWorld(TEST_SANCTIONS),
  decide: (command, world) => decideInWorld(command, world),
  evolve: (world, event) => {
    evolveWorld(world, event);
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
