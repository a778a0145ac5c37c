import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameBasedId } from '../../src/ledger/domain/id.js';
import { decideLedger, evolveLedger } from '../../src/ledger/domain/ledger.decider.js';
import type { LedgerCommand } from '../../src/ledger/domain/ledger.commands.js';
import { accountInput, transferInput } from '../../src/ledger/domain/ledger-effects.js';
import { TransferFlags, type TransferInput } from '../../src/ledger/domain/model.js';
import { evictSettledTransfers } from '../../src/scenarios/run-replication.js';
import { newSimulationWorld, type SimulationWorld } from '../../src/scenarios/simulation-world.js';

const A = nameBasedId('evict-test-account-a');
const B = nameBasedId('evict-test-account-b');

function apply(world: SimulationWorld, command: LedgerCommand): void {
  const decision = decideLedger(command, world.ledger);
  assert.equal(decision.kind, 'accepted');
  if (decision.kind === 'accepted') for (const event of decision.events) evolveLedger(world.ledger, event);
}

function worldWithAccounts(): SimulationWorld {
  const world = newSimulationWorld();
  apply(world, {
    type: 'CreateAccounts',
    strict: true,
    now: 1n,
    accounts: [accountInput(A, 'CNY', 1, 0), accountInput(B, 'CNY', 1, 0)],
  });
  return world;
}

function transfer(name: string, extra: Partial<TransferInput> = {}): TransferInput {
  return {
    ...transferInput({
      id: nameBasedId(name),
      debitAccountId: A,
      creditAccountId: B,
      amount: 10n,
      currency: 'CNY',
      code: 1,
    }),
    ...extra,
  };
}

describe('evictSettledTransfers: the engine keeps no settled transfer in memory', () => {
  it('given only single-phase transfers, when evicting, then none is left and the accounts keep their balances', () => {
    const world = worldWithAccounts();
    apply(world, {
      type: 'CreateTransfers',
      strict: false,
      now: 2n,
      transfers: [transfer('t1'), transfer('t2'), transfer('t3')],
    });
    assert.equal(world.ledger.transfers.size, 3);

    evictSettledTransfers(world);

    assert.equal(world.ledger.transfers.size, 0);
    assert.equal(world.ledger.accounts.get(A)!.debitsPosted, 30n);
    assert.equal(world.ledger.accounts.get(B)!.creditsPosted, 30n);
  });

  it('given an open pending transfer and a posted one, when evicting, then the open one and its status stay, the posted pair and its status go', () => {
    const world = worldWithAccounts();
    const open = transfer('open', { flags: TransferFlags.pending });
    const resolved = transfer('resolved', { flags: TransferFlags.pending });
    apply(world, {
      type: 'CreateTransfers',
      strict: false,
      now: 2n,
      transfers: [open, resolved, transfer('single')],
    });
    apply(world, {
      type: 'CreateTransfers',
      strict: false,
      now: 3n,
      transfers: [
        {
          ...transfer('post'),
          flags: TransferFlags.postPendingTransfer,
          pendingId: resolved.id,
        },
      ],
    });
    assert.equal(world.ledger.pendingStatus.get(resolved.id), 'posted');

    evictSettledTransfers(world);

    assert.deepEqual([...world.ledger.transfers.keys()], [open.id]);
    assert.deepEqual([...world.ledger.pendingStatus.entries()], [[open.id, 'pending']]);
  });
});
