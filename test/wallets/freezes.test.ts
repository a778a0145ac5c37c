import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bankWalletAccountId } from '../../src/institutions/domain/chart-of-accounts.js';
import { bankWalletId } from '../../src/wallets/domain/wallet.js';
import { spec } from '../support/decider-spec.js';
import { worldDecider } from '../support/world.js';
import {
  NOW,
  W,
  acceptedEvents,
  cny,
  fund,
  fundCustomer,
  freezeInstitution,
  freezeWallet,
  given,
  network,
  openCustomer,
  pay,
  unfreezeInstitution,
  unfreezeWallet,
} from './wallet-fixtures.js';

const CN1 = bankWalletId('BANKCN1', 'CNY');

/** W1 at BANKCN1 and W2 at BANKCN2 (tier 1), 100 CNY each; BANKCN1's own wallet holds 100. */
const base = () => [
  ...network(),
  openCustomer('BANKCN1', W(1), 1),
  openCustomer('BANKCN2', W(2), 1),
  openCustomer('BANKCN1', W(3), 1),
  fundCustomer(W(1), cny('100')),
  fundCustomer(W(2), cny('100')),
  fund('PBOC', 'CNY', bankWalletAccountId('BANKCN1', 'CNY'), cny('100')),
];

describe('a wallet frozen (scope all)', () => {
  const frozen = () => [...base(), freezeWallet('PBOC', W(1), 'all', 'court order 17')];

  it('records WalletFrozen with the scope, the reason and who froze it', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeWallet('PBOC', W(1), 'all', 'court order 17'))
      .then([
        {
          type: 'WalletFrozen',
          streamId: `wallet-${W(1)}`,
          data: { walletId: W(1), scope: 'all', reason: 'court order 17', frozenBy: 'PBOC', frozenAt: NOW },
        },
      ]);
  });

  it('cannot send (sender_frozen) and cannot receive (recipient_frozen)', () => {
    spec(worldDecider)
      .given(given(...frozen()))
      .when(pay('BANKCN1', W(1), W(2), 1n))
      .thenRejects('sender_frozen', (r) => assert.match(r.detail, /PBOC: court order 17/));
    spec(worldDecider)
      .given(given(...frozen()))
      .when(pay('BANKCN2', W(2), W(1), 1n))
      .thenRejects('recipient_frozen');
  });

  it('is free again once unfrozen (WalletUnfrozen with the reason)', () => {
    spec(worldDecider)
      .given(given(...frozen()))
      .when(unfreezeWallet('REG-CN', W(1), 'order lifted'))
      .then([
        {
          type: 'WalletUnfrozen',
          streamId: `wallet-${W(1)}`,
          data: { walletId: W(1), reason: 'order lifted', unfrozenBy: 'REG-CN' },
        },
      ]);
    acceptedEvents(
      spec(worldDecider)
        .given(given(...frozen(), unfreezeWallet('PBOC', W(1))))
        .when(pay('BANKCN1', W(1), W(2), 1n)).decision,
    );
  });

  it('unfreezing a wallet that is not frozen is a conflict', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(unfreezeWallet('PBOC', W(1)))
      .thenRejects('wallet_not_frozen');
  });
});

describe('a wallet frozen for outgoing payments only', () => {
  const frozen = () => [...base(), freezeWallet('REG-CN', W(1), 'outgoing')];
  it('cannot send but can receive', () => {
    spec(worldDecider)
      .given(given(...frozen()))
      .when(pay('BANKCN1', W(1), W(2), 1n))
      .thenRejects('sender_frozen');
    acceptedEvents(
      spec(worldDecider)
        .given(given(...frozen()))
        .when(pay('BANKCN2', W(2), W(1), 1n)).decision,
    );
  });

  it('can be tightened to all', () => {
    const tightened = [...frozen(), freezeWallet('PBOC', W(1), 'all')];
    spec(worldDecider)
      .given(given(...tightened))
      .when(pay('BANKCN2', W(2), W(1), 1n))
      .thenRejects('recipient_frozen');
  });
});

describe('who may freeze a wallet', () => {
  it('the central bank and a regulator of its jurisdiction may', () => {
    acceptedEvents(
      spec(worldDecider)
        .given(given(...base()))
        .when(freezeWallet('PBOC', W(1))).decision,
    );
    acceptedEvents(
      spec(worldDecider)
        .given(given(...base()))
        .when(freezeWallet('REG-CN', W(1))).decision,
    );
  });

  it('another jurisdiction’s central bank or regulator may not (forbidden_scope), existing or not', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeWallet('REG-HK', W(1)))
      .thenRejects('forbidden_scope');
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeWallet('HKMA', W(1)))
      .thenRejects('forbidden_scope');
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeWallet('HKMA', W(50)))
      .thenRejects('forbidden_scope');
  });

  it('banks and the operator may not at all (forbidden_role)', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeWallet('BANKCN1', W(1)))
      .thenRejects('forbidden_role');
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeWallet('OPERATOR', W(1)))
      .thenRejects('forbidden_role');
    spec(worldDecider)
      .given(given(...base()))
      .when(unfreezeWallet('BANKCN1', W(1)))
      .thenRejects('forbidden_role');
  });
});

describe('an institution frozen', () => {
  const frozen = (scope: 'all' | 'outgoing' = 'all') => [
    ...base(),
    freezeInstitution('PBOC', 'BANKCN1', scope, 'resolution'),
  ];

  it('records InstitutionFrozen', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeInstitution('REG-CN', 'BANKCN1', 'all', 'resolution'))
      .then([
        {
          type: 'InstitutionFrozen',
          streamId: 'institution-freeze-BANKCN1',
          data: {
            institutionId: 'BANKCN1',
            scope: 'all',
            reason: 'resolution',
            frozenBy: 'REG-CN',
            frozenAt: NOW,
          },
        },
      ]);
  });

  it('stops its own wallet and every customer wallet it operates, sending and receiving', () => {
    spec(worldDecider)
      .given(given(...frozen()))
      .when(pay('BANKCN1', CN1, W(2), 1n))
      .thenRejects('sender_frozen');
    spec(worldDecider)
      .given(given(...frozen()))
      .when(pay('BANKCN1', W(1), W(3), 1n))
      .thenRejects('sender_frozen');
    spec(worldDecider)
      .given(given(...frozen()))
      .when(pay('BANKCN2', W(2), W(1), 1n))
      .thenRejects('recipient_frozen');
    spec(worldDecider)
      .given(given(...frozen()))
      .when(pay('BANKCN2', W(2), CN1, 1n))
      .thenRejects('recipient_frozen');
  });

  it('leaves other banks’ wallets alone', () => {
    acceptedEvents(
      spec(worldDecider)
        .given(given(...frozen(), openCustomer('BANKCN2', W(4), 1)))
        .when(pay('BANKCN2', W(2), W(4), 1n)).decision,
    );
  });

  it('outgoing only: its customers can still be paid', () => {
    spec(worldDecider)
      .given(given(...frozen('outgoing')))
      .when(pay('BANKCN1', W(1), W(2), 1n))
      .thenRejects('sender_frozen');
    acceptedEvents(
      spec(worldDecider)
        .given(given(...frozen('outgoing')))
        .when(pay('BANKCN2', W(2), W(1), 1n)).decision,
    );
  });

  it('the stronger of the wallet’s and the bank’s freeze applies', () => {
    const both = [...frozen('outgoing'), freezeWallet('PBOC', W(1), 'all')];
    spec(worldDecider)
      .given(given(...both))
      .when(pay('BANKCN2', W(2), W(1), 1n))
      .thenRejects('recipient_frozen');
    const lifted = [...both, unfreezeWallet('PBOC', W(1))];
    acceptedEvents(
      spec(worldDecider)
        .given(given(...lifted))
        .when(pay('BANKCN2', W(2), W(1), 1n)).decision,
    );
    spec(worldDecider)
      .given(given(...lifted))
      .when(pay('BANKCN1', W(1), W(2), 1n))
      .thenRejects('sender_frozen');
  });

  it('unfrozen, it moves money again', () => {
    const lifted = [...frozen(), unfreezeInstitution('REG-CN', 'BANKCN1')];
    acceptedEvents(
      spec(worldDecider)
        .given(given(...lifted))
        .when(pay('BANKCN1', W(1), W(2), 1n)).decision,
    );
    spec(worldDecider)
      .given(given(...lifted))
      .when(unfreezeInstitution('PBOC', 'BANKCN1'))
      .thenRejects('institution_not_frozen');
  });

  it('only a commercial bank, only by its own jurisdiction’s central bank or regulator', () => {
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeInstitution('HKMA', 'BANKCN1'))
      .thenRejects('forbidden_scope');
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeInstitution('REG-HK', 'BANKCN1'))
      .thenRejects('forbidden_scope');
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeInstitution('BANKCN2', 'BANKCN1'))
      .thenRejects('forbidden_role');
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeInstitution('PBOC', 'REG-CN'))
      .thenRejects('not_a_commercial_bank');
    spec(worldDecider)
      .given(given(...base()))
      .when(freezeInstitution('PBOC', 'NOBANK'))
      .thenRejects('institution_unknown');
  });
});
