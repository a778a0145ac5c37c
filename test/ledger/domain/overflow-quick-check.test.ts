import { describe, it } from 'node:test';
import { ledgerDecider } from '../../../src/ledger/domain/ledger.decider.js';
import { spec } from '../../support/decider-spec.js';
import {
  AMOUNT_MAX,
  T1,
  T2,
  T3,
  history,
  openAccounts,
  pendingInput,
  createTransfers,
  transferCreated,
  transferInput,
  transferResults,
} from '../../support/ledger-fixtures.js';

/**
 * The overflow checks are skipped when the amount and the balances involved are all at most
 * 2^61 (no sum of three such values reaches AMOUNT_MAX). These specs sit on both sides of that
 * line: the largest values the quick check lets through, and sums it must hand to the full checks.
 */
describe('overflow checks around the quick no-overflow check', () => {
  const Q = 2n ** 61n;

  it('balances and amount of exactly 2^61 each: no overflow, the transfer is created', () => {
    spec(ledgerDecider)
      .given(
        history(
          ...openAccounts(),
          transferCreated(pendingInput(T1, { amount: Q })),
          transferCreated(transferInput(T2, { amount: Q })),
        ),
      )
      .when(createTransfers([transferInput(T3, { amount: Q })]))
      .thenReply(transferResults('ok'));
  });

  it('pending and posted debits summing to AMOUNT_MAX: one more unit overflows the debits', () => {
    spec(ledgerDecider)
      .given(
        history(
          ...openAccounts(),
          transferCreated(pendingInput(T1, { amount: 2n ** 62n })),
          transferCreated(transferInput(T2, { amount: AMOUNT_MAX - 2n ** 62n })),
        ),
      )
      .when(createTransfers([transferInput(T3, { amount: 1n })]))
      .thenReply(transferResults('overflows_debits'));
  });

  it('an amount just above 2^61 on empty accounts is checked in full and created', () => {
    spec(ledgerDecider)
      .given(openAccounts())
      .when(createTransfers([transferInput(T1, { amount: Q + 1n })]))
      .thenReply(transferResults('ok'));
  });
});
