import assert from 'node:assert/strict';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { AccountFlags, type Transfer } from '../../src/ledger/domain/model.js';
import { AccountCodes } from '../../src/institutions/domain/chart-of-accounts.js';
import type { World } from './world.js';

/** Checks every invariant from the events alone, against the deciders' state. */
export function auditPayments(
  world: World,
  log: readonly DomainEvent[],
  submitted: ReadonlySet<string>,
  say: (m: string) => string,
): void {
  // 1. Replay the ledger from TransferCreated events: per account and per currency.
  const balances = new Map<string, { debits: bigint; credits: bigint; currency: string }>();
  const perCurrency = new Map<string, { debits: bigint; credits: bigint }>();
  for (const event of log) {
    if (event.type !== 'TransferCreated') continue;
    const t = (event.data as { transfer: Transfer }).transfer;
    for (const [id, side] of [
      [t.debitAccountId, 'debits'],
      [t.creditAccountId, 'credits'],
    ] as const) {
      const b = balances.get(id) ?? { debits: 0n, credits: 0n, currency: t.currency };
      b[side] += t.amount;
      balances.set(id, b);
    }
    const c = perCurrency.get(t.currency) ?? { debits: 0n, credits: 0n };
    c.debits += t.amount;
    c.credits += t.amount;
    perCurrency.set(t.currency, c);
  }
  for (const [id, b] of balances) {
    const account = world.ledger.accounts.get(id);
    assert.ok(account, say(`a transfer names account ${id}, which exists`));
    assert.equal(
      account.debitsPosted,
      b.debits,
      say(`debits of ${id} (${b.currency}) replay to the ledger's`),
    );
    assert.equal(
      account.creditsPosted,
      b.credits,
      say(`credits of ${id} (${b.currency}) replay to the ledger's`),
    );
    if (account.flags & AccountFlags.debitsMustNotExceedCredits)
      assert.ok(b.debits <= b.credits, say(`${id} is never overdrawn`));
    if (account.code === AccountCodes.settlementClearing)
      assert.equal(
        b.debits,
        b.credits,
        say(`the ${b.currency} clearing account ends every decision at zero`),
      );
  }
  // 2. Per currency, money held = money issued: CBDC outside the issuance accounts sums to what they issued.
  for (const currency of perCurrency.keys()) {
    let issued = 0n;
    let held = 0n;
    for (const [id, b] of balances) {
      if (b.currency !== currency) continue;
      const code = world.ledger.accounts.get(id)!.code;
      if (code === AccountCodes.cbdcIssuance) issued += b.debits - b.credits;
      else held += b.credits - b.debits;
    }
    assert.equal(held, issued, say(`${currency}: held = issued`));
  }
  // 3. Every payment: received once, at most one end, and queued exactly when it has no end.
  const received = new Map<string, number>();
  const ended = new Map<string, number>();
  for (const event of log) {
    const id = (event.data as { paymentId?: string }).paymentId;
    if (id === undefined) continue;
    if (event.type === 'PaymentReceived') received.set(id, (received.get(id) ?? 0) + 1);
    if (['PaymentSettled', 'PaymentRejected', 'PaymentExpired', 'PaymentCancelled'].includes(event.type))
      ended.set(id, (ended.get(id) ?? 0) + 1);
  }
  for (const id of submitted) {
    assert.equal(received.get(id), 1, say(`payment ${id} received once`));
    const ends = ended.get(id) ?? 0;
    assert.ok(ends <= 1, say(`payment ${id} ended at most once (${ends})`));
    assert.equal(
      world.payments.queue.has(id),
      ends === 0,
      say(`payment ${id} is queued exactly when it has not ended`),
    );
  }
}
