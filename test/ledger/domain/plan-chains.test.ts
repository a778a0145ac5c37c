import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planChains } from '../../../src/ledger/domain/ledger-effects.js';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import {
  A,
  AccountFlags,
  B,
  C,
  D,
  NOW,
  TransferFlags,
  createTransfers,
  linked,
  openAccounts,
  stateOf,
  transferId,
  transferInput,
} from '../../support/ledger-fixtures.js';

/**
 * planChains books several all-or-nothing chains in one batch and reports per chain. It links
 * each chain itself (whatever flags its items carry) and passes on, as they are, items whose
 * flags are already right: the payments decider builds its chains pre-linked for that reason.
 */
describe('planChains', () => {
  // C may only spend what it received.
  const state = () => stateOf(openAccounts({ [C]: { flags: AccountFlags.debitsMustNotExceedCredits } }));
  let next = 100;
  const item = (overrides: Parameters<typeof transferInput>[1] = {}) =>
    transferInput(transferId(next++), overrides);

  it('reports ok, the own failure (index in its chain, result) or a whole-chain failure per chain', () => {
    const okChain = [item(), item({ debitAccountId: B, creditAccountId: C, amount: 5n })];
    const ownFailure = [item(), item({ debitAccountId: D })];
    // C holds 5 after the first chain: 6 exceeds it.
    const exceeds = [item({ debitAccountId: C, creditAccountId: A, amount: 6n }), item()];
    const empty: never[] = [];
    const plan = planChains(state(), [okChain, ownFailure, exceeds, empty], NOW);
    assert.deepEqual(plan.ok, [true, false, false, true]);
    assert.deepEqual(plan.failures, [
      null,
      { index: 1, result: 'debit_account_not_found' },
      { index: 0, result: 'exceeds_credits' },
      null,
    ]);
    // Only the first chain's two transfers were recorded.
    assert.deepEqual(
      plan.events.map((e) => e.type),
      ['TransferCreated', 'TransferCreated'],
    );
  });

  it('gives the same events for pre-linked items as for unlinked ones, and links every item but the last', () => {
    const plain = [item(), item(), item({ flags: TransferFlags.linked })];
    const preLinked = plain.map((t, i) =>
      i < plain.length - 1 ? linked({ ...t, flags: 0 }) : { ...t, flags: 0 },
    );
    const a = planChains(state(), [plain], NOW);
    const b = planChains(state(), [preLinked], NOW);
    assert.deepEqual(a, b);
    const flags = a.events.map((e) => (e.type === 'TransferCreated' ? e.data.transfer.flags : -1));
    assert.deepEqual(flags, [TransferFlags.linked, TransferFlags.linked, 0]);
    // The same as deciding the linked batch directly.
    const direct = ledgerDecider.decide(createTransfers(preLinked), state());
    assert.equal(direct.kind, 'accepted');
    if (direct.kind === 'accepted') assert.deepEqual(direct.events, a.events);
  });

  it('refuses a chain of one transfer', () => {
    assert.throws(() => planChains(state(), [[item()]], NOW), /two or more/);
  });
});
