import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideLedgerWithEffects, ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import type { LedgerCommand } from '../../../src/ledger/domain/ledger.commands.js';
import type { LedgerEvent } from '../../../src/ledger/domain/ledger.events.js';
import type { LedgerState } from '../../../src/ledger/domain/ledger.state.js';
import type { TransferInput } from '../../../src/ledger/domain/model.js';
import { Prng } from '../../support/prng.js';
import {
  A,
  AccountFlags,
  B,
  C,
  D,
  NOW,
  SECOND,
  T1,
  T2,
  T3,
  T4,
  T5,
  T6,
  U,
  accountId,
  accountInput,
  createAccounts,
  createTransfers,
  expirePendingTransfers,
  linked,
  openAccounts,
  pendingInput,
  postInput,
  transferId,
  transferInput,
  voidInput,
  withCommands,
  stateOf,
} from '../../support/ledger-fixtures.js';

/**
 * The sequencer applies an accepted ledger decision's effects as decide worked them out (the
 * batch overlay, DecidedEffects) instead of evolving its events one by one. The rule: given any
 * state, when a command is decided, then applying its effects leaves exactly the state (every
 * map's entries in the same order, the last timestamp) that evolving its events one by one does.
 */

/** Everything in the state, in map order, bigints marked: a difference in order or type shows. */
function dump(state: LedgerState): string {
  return JSON.stringify(
    {
      accounts: [...state.accounts.entries()],
      transfers: [...state.transfers.entries()],
      failed: [...state.failedTransfers.entries()],
      statuses: [...state.pendingStatus.entries()],
      expiries: [...state.pendingExpiries.entries()],
      last: state.lastTimestamp.value,
    },
    (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value),
  );
}

/**
 * Decides `command` on two copies of the state built from `given`: one evolves the events one by
 * one, the other applies the effects. Returns whether effects were given.
 */
function applySameAsEvolve(given: readonly LedgerEvent[], command: LedgerCommand): boolean {
  const byEvent = stateOf(given);
  const byEffects = stateOf(given);
  const expected = ledgerDecider.decide(command, byEvent);
  const { decision, effects } = decideLedgerWithEffects(command, byEffects);
  assert.deepStrictEqual(decision, expected, 'the decision itself is the same');
  if (expected.kind === 'accepted') for (const event of expected.events) ledgerDecider.evolve(byEvent, event);
  if (effects === null) return false;
  assert.equal(decision.kind, 'accepted');
  assert.equal(effects.events, decision.kind === 'accepted' ? decision.events : null);
  effects.applyTo(byEffects);
  assert.equal(dump(byEffects), dump(byEvent));
  return true;
}

const accounts = openAccounts({ [C]: { flags: AccountFlags.debitsMustNotExceedCredits } });

describe('decided effects: applied at once, the same state as evolving each event', () => {
  it('single-phase transfers touching the same accounts several times', () => {
    assert.ok(
      applySameAsEvolve(
        accounts,
        createTransfers([
          transferInput(T1, { amount: 5n }),
          transferInput(T2, { debitAccountId: B, creditAccountId: A, amount: 7n }),
          transferInput(T3, { debitAccountId: A, creditAccountId: C, amount: 11n }),
        ]),
      ),
    );
  });

  it('pending transfers with and without a timeout, posted and voided in the same batch', () => {
    assert.ok(
      applySameAsEvolve(
        accounts,
        createTransfers([
          pendingInput(T1, { timeout: 60, amount: 50n }),
          pendingInput(T2, { amount: 30n }),
          postInput(T3, T1, { amount: 20n }),
          voidInput(T4, T2),
          pendingInput(T5, { timeout: 5 }),
        ]),
      ),
    );
  });

  it('posts and voids of pending transfers created in an earlier batch', () => {
    const given = withCommands(
      accounts,
      createTransfers([pendingInput(T1, { timeout: 60 }), pendingInput(T2, { timeout: 60 })]),
    );
    assert.ok(applySameAsEvolve(given, createTransfers([postInput(T3, T1), voidInput(T4, T2)])));
  });

  it('recorded failures (non-strict), existing ids and failed ids', () => {
    const given = withCommands(
      accounts,
      createTransfers([transferInput(T1), transferInput(T2, { debitAccountId: C })]),
    );
    assert.ok(
      applySameAsEvolve(
        given,
        createTransfers([
          transferInput(T1),
          transferInput(T2, { debitAccountId: C }),
          transferInput(T3, { debitAccountId: D }),
          transferInput(T4, { debitAccountId: C, creditAccountId: A }),
          transferInput(T5),
        ]),
      ),
    );
  });

  it('linked chains that succeed and fail in the middle of the batch', () => {
    assert.ok(
      applySameAsEvolve(
        accounts,
        createTransfers([
          linked(transferInput(T1, { amount: 3n })),
          transferInput(T2, { debitAccountId: B, creditAccountId: C, amount: 3n }),
          linked(transferInput(T3, { amount: 4n })),
          transferInput(T4, { debitAccountId: C, creditAccountId: A, amount: 1_000n }),
          transferInput(T5, { amount: 1n }),
        ]),
      ),
    );
  });

  it('a failed chain that ends the batch gives no effects: what it did stays in the overlay', () => {
    const effects = applySameAsEvolve(
      accounts,
      createTransfers([
        transferInput(T1),
        linked(transferInput(T2, { amount: 9n })),
        transferInput(T3, { debitAccountId: C, creditAccountId: A, amount: 1_000n }),
      ]),
    );
    assert.equal(effects, false);
  });

  it('a successful chain that ends the batch, and a chain left open', () => {
    assert.ok(
      applySameAsEvolve(
        accounts,
        createTransfers([transferInput(T1), linked(transferInput(T2)), transferInput(T3)]),
      ),
    );
    assert.equal(
      applySameAsEvolve(accounts, createTransfers([transferInput(T1), linked(transferInput(T2))])),
      false,
    );
  });

  it('accounts created, including linked ones, and accounts that already exist', () => {
    assert.ok(
      applySameAsEvolve(
        accounts,
        createAccounts([
          accountInput(accountId(40)),
          linked(accountInput(accountId(41), { currency: 'USD' })),
          accountInput(accountId(42)),
          accountInput(A),
          accountInput(U, { code: 2 }),
        ]),
      ),
    );
  });

  it('no effects for a rejection (strict mode) nor for the expiry command', () => {
    const given = withCommands(accounts, createTransfers([pendingInput(T1, { timeout: 1 })]));
    assert.equal(
      applySameAsEvolve(given, createTransfers([transferInput(T6, { debitAccountId: D })], { strict: true })),
      false,
    );
    assert.equal(applySameAsEvolve(given, expirePendingTransfers(NOW + 2n * SECOND)), false);
  });

  it('effects are applied once only', () => {
    const state = stateOf(accounts);
    const { effects } = decideLedgerWithEffects(createTransfers([transferInput(T1)]), state);
    effects!.applyTo(state);
    assert.throws(() => effects!.applyTo(state), /twice/);
  });

  it('random batches of every kind of transfer, over a state built by earlier random batches', () => {
    const rng = new Prng(20_251_125);
    const ids = [A, B, C, U, D];
    const created: string[] = [];
    let given = accounts;
    let next = 100;
    let withEffects = 0;
    for (let round = 0; round < 60; round++) {
      const items: TransferInput[] = [];
      for (let i = rng.int(1, 12); i > 0; i--) {
        const id = rng.chance(0.1) && created.length > 0 ? rng.pick(created) : transferId(next++);
        const kind = rng.int(0, 5);
        const amount = BigInt(rng.int(1, 400));
        const pick = () => rng.pick(ids);
        let item: TransferInput;
        if (kind <= 1) item = transferInput(id, { debitAccountId: pick(), creditAccountId: pick(), amount });
        else if (kind === 2)
          item = pendingInput(id, {
            debitAccountId: pick(),
            creditAccountId: pick(),
            amount,
            timeout: rng.int(0, 2),
          });
        else if (kind === 3 && created.length > 0)
          item = postInput(id, rng.pick(created), rng.chance(0.5) ? { amount } : {});
        else if (kind === 4 && created.length > 0) item = voidInput(id, rng.pick(created));
        else item = transferInput(id, { amount: amount * 100n, debitAccountId: C });
        // The last item unlinked mostly: a chain left open fails at the end of the batch (no effects).
        items.push(rng.chance(0.25) && (i > 1 || rng.chance(0.2)) ? linked(item) : item);
        created.push(id);
      }
      const command = createTransfers(items, { now: NOW + BigInt(round) * SECOND });
      if (applySameAsEvolve(given, command)) withEffects++;
      given = withCommands(given, command);
    }
    assert.ok(withEffects > 30, `${withEffects} of 60 batches gave effects`);
  });
});
