import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AccountCodes,
  bankWalletAccountId,
  customerWalletAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import { spec } from '../support/decider-spec.js';
import { worldDecider } from '../support/world.js';
import { NOW, W, acceptedEvents, given, network, openBank, openCustomer } from './wallet-fixtures.js';

describe('opening a customer wallet', () => {
  it('opens its ledger account and records WalletOpened, in the bank’s home currency and jurisdiction', () => {
    const then = spec(worldDecider)
      .given(given(...network()))
      .when(openCustomer('BANKCN1', W(1), 4));
    const events = acceptedEvents(then.decision);
    assert.deepEqual(
      events.map((e) => e.type),
      ['AccountCreated', 'WalletOpened'],
    );
    const account = (events[0]!.data as { account: { id: string; code: number; currency: string } }).account;
    assert.equal(account.id, customerWalletAccountId(W(1)));
    assert.equal(account.code, AccountCodes.customerWallet);
    assert.deepEqual(events[1]!.data, {
      wallet: {
        id: W(1),
        kind: 'customer',
        bankId: 'BANKCN1',
        jurisdiction: 'CN',
        currency: 'CNY',
        accountId: customerWalletAccountId(W(1)),
        tier: 4,
        holderReference: openCustomer('BANKCN1', W(1), 4).wallet.holderReference,
        openedAt: NOW,
      },
      openedBy: 'BANKCN1',
    });
    assert.equal(then.stateAfter().wallets.wallets.get(W(1))?.currency, 'CNY');
  });

  it('an id in use is a conflict (wallet_exists)', () => {
    spec(worldDecider)
      .given(given(...network(), openCustomer('BANKCN1', W(1), 4)))
      .when(openCustomer('BANKCN2', W(1), 2))
      .thenRejects('wallet_exists', (r) => assert.equal(r.status, 409));
  });

  it('only commercial banks open wallets', () => {
    for (const actor of ['PBOC', 'REG-CN', 'OPERATOR']) {
      spec(worldDecider)
        .given(given(...network()))
        .when(openCustomer(actor, W(1), 4))
        .thenRejects('forbidden_role');
    }
  });
});

describe('opening a bank wallet in a foreign CBDC', () => {
  it('a CN bank opens an HKD wallet (HKD is issued by HKMA)', () => {
    const then = spec(worldDecider)
      .given(given(...network()))
      .when(openBank('BANKCN1', 'HKD'));
    const events = acceptedEvents(then.decision);
    const wallet = (events[1]!.data as { wallet: Record<string, unknown> }).wallet;
    assert.equal(wallet.id, 'BANKCN1.HKD');
    assert.equal(wallet.kind, 'bank');
    assert.equal(wallet.currency, 'HKD');
    assert.equal(wallet.jurisdiction, 'CN');
    assert.equal(wallet.accountId, bankWalletAccountId('BANKCN1', 'HKD'));
  });

  it('its home wallet exists from registration; a second one is a conflict', () => {
    spec(worldDecider)
      .given(given(...network()))
      .when(openBank('BANKCN1', 'CNY'))
      .thenRejects('wallet_exists');
    spec(worldDecider)
      .given(given(...network(), openBank('BANKCN1', 'HKD')))
      .when(openBank('BANKCN1', 'HKD'))
      .thenRejects('wallet_exists');
  });

  it('a currency no registered central bank issues is refused', () => {
    spec(worldDecider)
      .given(given(...network()))
      .when(openBank('BANKCN1', 'USD'))
      .thenRejects('currency_not_issued', (r) => assert.equal(r.status, 422));
  });
});
