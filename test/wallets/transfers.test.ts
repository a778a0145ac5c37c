import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bankWalletAccountId,
  customerWalletAccountId,
  TransferCodes,
} from '../../src/institutions/domain/chart-of-accounts.js';
import { creditBalance } from '../../src/ledger/domain/ledger-effects.js';
import { bankWalletId } from '../../src/wallets/domain/wallet.js';
import { domesticTransferLegId } from '../../src/wallets/domain/wallets.decider.js';
import { spec } from '../support/decider-spec.js';
import { worldDecider } from '../support/world.js';
import {
  NOW,
  W,
  acceptedEvents,
  cny,
  fund,
  fundCustomer,
  given,
  network,
  openBank,
  openCustomer,
  pay,
} from './wallet-fixtures.js';

const CN1 = bankWalletId('BANKCN1', 'CNY');
const CN2 = bankWalletId('BANKCN2', 'CNY');

/** W1 (tier 1) at BANKCN1 with 100 CNY, W2 (tier 1) at BANKCN2. */
const base = () => [
  ...network(),
  openCustomer('BANKCN1', W(1), 1),
  openCustomer('BANKCN2', W(2), 1),
  fundCustomer(W(1), cny('100')),
];

describe('a domestic transfer', () => {
  it('is one ledger transfer (code 200, tied to the payment by user data) and DomesticTransferSettled', () => {
    const transferId = '30000000-0000-4000-8000-000000000001';
    const command = { ...pay('BANKCN1', W(1), W(2), cny('40'), NOW, transferId), reference: 'invoice 7' };
    const then = spec(worldDecider)
      .given(given(...base()))
      .when(command);
    const events = acceptedEvents(then.decision);
    assert.deepEqual(
      events.map((e) => e.type),
      ['TransferCreated', 'DomesticTransferSettled'],
    );
    const leg = (events[0]!.data as { transfer: Record<string, unknown> }).transfer;
    assert.equal(leg.id, domesticTransferLegId(transferId));
    assert.equal(leg.debitAccountId, customerWalletAccountId(W(1)));
    assert.equal(leg.creditAccountId, customerWalletAccountId(W(2)));
    assert.equal(leg.amount, 4000n);
    assert.equal(leg.code, TransferCodes.domesticTransfer);
    assert.equal(leg.userData128, transferId);
    assert.deepEqual(events[1], {
      type: 'DomesticTransferSettled',
      streamId: `wallet-${W(1)}`,
      data: {
        transferId,
        ledgerTransferId: domesticTransferLegId(transferId),
        from: W(1),
        to: W(2),
        currency: 'CNY',
        amount: 4000n,
        reference: 'invoice 7',
        senderLocalDate: '2026-01-01',
        settledBy: 'BANKCN1',
        settledAt: NOW,
      },
    });
    const after = then.stateAfter();
    assert.equal(creditBalance(after.ledger, customerWalletAccountId(W(1))), 6000n);
    assert.equal(creditBalance(after.ledger, customerWalletAccountId(W(2))), 4000n);
    assert.deepEqual(after.wallets.spending.get(W(1)), {
      localDate: '2026-01-01',
      today: 4000n,
      thisYear: 4000n,
    });
  });

  it('deciding leaves the state unchanged', () => {
    const world = worldDecider.initialState();
    for (const event of given(...base())) worldDecider.evolve(world, event);
    const before = creditBalance(world.ledger, customerWalletAccountId(W(1)));
    acceptedEvents(worldDecider.decide(pay('BANKCN1', W(1), W(2), cny('40')), world));
    assert.equal(creditBalance(world.ledger, customerWalletAccountId(W(1))), before);
    assert.equal(world.wallets.spending.get(W(1)), undefined);
  });

  it('can spend exactly what the wallet holds; one minor unit more is insufficient_funds', () => {
    acceptedEvents(
      spec(worldDecider)
        .given(given(...base()))
        .when(pay('BANKCN1', W(1), W(2), cny('100'))).decision,
    );
    spec(worldDecider)
      .given(given(...base()))
      .when(pay('BANKCN1', W(1), W(2), cny('100.01')))
      .thenRejects('insufficient_funds', (r) => assert.equal(r.status, 422));
  });

  it('between bank wallets and customer wallets of different banks', () => {
    const funded = [...base(), fund('PBOC', 'CNY', bankWalletAccountId('BANKCN1', 'CNY'), cny('1000'))];
    acceptedEvents(
      spec(worldDecider)
        .given(given(...funded))
        .when(pay('BANKCN1', CN1, CN2, cny('1000'))).decision,
    );
    acceptedEvents(
      spec(worldDecider)
        .given(given(...funded))
        .when(pay('BANKCN1', CN1, W(2), cny('1000'))).decision,
    );
    acceptedEvents(
      spec(worldDecider)
        .given(given(...funded))
        .when(pay('BANKCN1', W(1), CN2, cny('1'))).decision,
    );
  });
});

describe('who may move money out of a wallet', () => {
  it('another bank may not move a customer’s money (forbidden_scope), and learns nothing of the wallet', () => {
    const other = spec(worldDecider)
      .given(given(...base()))
      .when(pay('BANKCN2', W(1), W(2), 1n));
    other.thenRejects('forbidden_scope');
    const missing = spec(worldDecider)
      .given(given(...base()))
      .when(pay('BANKCN2', W(99), W(2), 1n));
    missing.thenRejects('forbidden_scope');
    const detail = (d: typeof other.decision) =>
      d.kind === 'rejected' ? d.rejection.detail.replace(W(99), W(1)) : '';
    assert.equal(detail(missing.decision), detail(other.decision));
  });

  it('nor another bank’s own wallet', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(pay('BANKCN2', CN1, CN2, 1n))
      .thenRejects('forbidden_scope');
  });

  it('central banks, regulators and the operator move no wallet money (forbidden_role)', () => {
    for (const actor of ['PBOC', 'REG-CN', 'OPERATOR']) {
      spec(worldDecider)
        .given(given(...base()))
        .when(pay(actor, W(1), W(2), 1n))
        .thenRejects('forbidden_role');
    }
  });
});

describe('what a transfer may connect', () => {
  it('one currency only (currency_mismatch)', () => {
    const hkd = [
      ...base(),
      openBank('BANKCN1', 'HKD'),
      fund('HKMA', 'HKD', bankWalletAccountId('BANKCN1', 'HKD'), 500n),
    ];
    spec(worldDecider)
      .given(given(...hkd))
      .when(pay('BANKCN1', bankWalletId('BANKCN1', 'HKD'), W(2), 1n))
      .thenRejects('currency_mismatch', (r) => assert.match(r.detail, /HKD.*CNY/));
  });

  it('a bank sends from its foreign-currency wallet to a bank of that currency', () => {
    const hkd = [
      ...base(),
      openBank('BANKCN1', 'HKD'),
      fund('HKMA', 'HKD', bankWalletAccountId('BANKCN1', 'HKD'), 500n),
    ];
    const then = spec(worldDecider)
      .given(given(...hkd))
      .when(pay('BANKCN1', bankWalletId('BANKCN1', 'HKD'), bankWalletId('BANKHK1', 'HKD'), 500n));
    acceptedEvents(then.decision);
    assert.equal(creditBalance(then.stateAfter().ledger, bankWalletAccountId('BANKHK1', 'HKD')), 500n);
  });

  it('not to itself, and not to a wallet that does not exist', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(pay('BANKCN1', W(1), W(1), 1n))
      .thenRejects('same_wallet');
    spec(worldDecider)
      .given(given(...base()))
      .when(pay('BANKCN1', W(1), W(77), 1n))
      .thenRejects('recipient_unknown');
  });
});
