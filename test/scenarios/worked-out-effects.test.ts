import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { runReplication } from '../../src/scenarios/run-replication.js';
import {
  evolveWorld,
  newSimulationWorld,
  type SimulationWorld,
} from '../../src/scenarios/simulation-world.js';
import { smallScenario } from './small-scenario.js';

/**
 * The engine applies a settled payment's ledger effects as the payments decider planned them
 * (Decision.workedOut) instead of evolving each leg. Whatever it applies must be what evolving
 * every event one by one gives: the same accounts, in the same order, with the same balances.
 */
describe('the engine applies planned ledger effects (evolveAccepted)', () => {
  for (const [name, extra] of [
    ['', ''],
    // Runs on two banks late in the day: their payments wait for funds, some still at the end.
    [
      ' and others wait',
      'events:\n  - { at: 18h, type: bank_run, bank: CNB01, share: 1 }\n  - { at: 18h, type: bank_run, bank: CNB02, share: 1 }',
    ],
  ] as const)
    it(`given a run where payments settle on arrival${name}, when every accepted event is evolved again one by one, then the ledger and the payments queue are the same`, () => {
      const plan = smallScenario(extra);
      const accepted: DomainEvent[][] = [];
      let engineWorld: SimulationWorld | undefined;
      let workedOutDecisions = 0;
      const result = runReplication(
        { plan, variant: 'baseline', replication: 0, seed: plan.seed },
        {
          onAccepted: (_command, _at, events) => accepted.push([...events]),
          inspect: (_store, world) => (engineWorld = world),
        },
      );
      assert.ok(result.metrics.payments.settled > 50, 'the run settles payments');

      const replayed = newSimulationWorld();
      for (const events of accepted) {
        if (
          events.some((e) => e.type === 'PaymentSettled') &&
          events.some((e) => e.type === 'TransferCreated')
        )
          workedOutDecisions++;
        for (const event of events) evolveWorld(replayed, event);
      }
      assert.ok(workedOutDecisions > 50, 'payments settled on arrival carried planned effects');

      const engine = engineWorld!.ledger;
      assert.deepEqual([...engine.accounts.entries()], [...replayed.ledger.accounts.entries()]);
      // The engine drops settled transfers after each cycle (ADR 0016); what it keeps is as replayed.
      for (const [id, status] of engine.pendingStatus.entries())
        assert.equal(replayed.ledger.pendingStatus.get(id), status);
      for (const [id, transfer] of engine.transfers.entries())
        assert.deepEqual(replayed.ledger.transfers.get(id), transfer);
      // The payments it received and settled at once were never queued; the queue is as replayed.
      assert.deepEqual([...engineWorld!.payments.queue.entries()], [...replayed.payments.queue.entries()]);
      assert.deepEqual(
        [...engineWorld!.payments.queuedProviders.entries()],
        [...replayed.payments.queuedProviders.entries()],
      );
      if (extra !== '') assert.ok(replayed.payments.queue.size > 0, 'payments are still queued at the end');
    });
});
