import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameBasedId } from '../../src/ledger/domain/id.js';
import {
  bankReserveAccountId,
  bankWalletAccountId,
  cbdcIssuanceAccountId,
  customerWalletAccountId,
  reserveIssuanceAccountId,
  settlementClearingAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import { corridorId } from '../../src/corridors/domain/corridor.js';
import { bankWalletId } from '../../src/wallets/domain/wallet.js';

describe('remembered names (account ids, corridor ids, bank wallet ids)', () => {
  it('are the names they stand for, however often and in whatever order asked', () => {
    for (let round = 0; round < 3; round++) {
      for (const [bank, currency] of [
        ['JADECNSH', 'CNY'],
        ['JADECNSH', 'HKD'],
        ['HKB01', 'CNY'],
        ['A:B', 'C'],
        ['A', 'B:C'],
      ] as const) {
        assert.equal(bankWalletAccountId(bank, currency), nameBasedId(`account:wallet:${bank}:${currency}`));
        assert.equal(
          bankReserveAccountId(bank, currency),
          nameBasedId(`account:reserves:${bank}:${currency}`),
        );
        assert.equal(
          cbdcIssuanceAccountId(bank, currency),
          nameBasedId(`account:cbdc-issuance:${bank}:${currency}`),
        );
        assert.equal(
          reserveIssuanceAccountId(bank, currency),
          nameBasedId(`account:reserve-issuance:${bank}:${currency}`),
        );
        assert.equal(bankWalletId(bank, currency), `${bank}.${currency}`);
      }
      assert.equal(settlementClearingAccountId('THB'), nameBasedId('account:settlement-clearing:THB'));
      const wallet = '0b5e7c1a-3f0e-4c1e-9a51-6c1f1b2d9e01';
      assert.equal(customerWalletAccountId(wallet), nameBasedId(`account:customer-wallet:${wallet}`));
      assert.equal(corridorId('HK', 'CN'), 'CN-HK');
      assert.equal(corridorId('CN', 'HK'), 'CN-HK');
    }
    // Accounts of the same bank and currency under different purposes never share an id.
    assert.notEqual(bankWalletAccountId('X', 'CNY'), bankReserveAccountId('X', 'CNY'));
  });
});
