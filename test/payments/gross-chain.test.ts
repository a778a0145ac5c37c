import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransferFlags } from '../../src/ledger/domain/model.js';
import {
  grossChain,
  grossTransfers,
  legTransferId,
  type PlannedLeg,
  type PlannedPayment,
} from '../../src/payments/domain/settlement.js';

const PAYMENT = '00000000-0000-4000-8000-0000000000aa';

function leg(kind: PlannedLeg['kind'], n: number): PlannedLeg {
  return {
    kind,
    from: `from${n}`,
    to: `to${n}`,
    debitAccountId: `aaaaaaaa-0000-4000-8000-00000000000${n}`,
    creditAccountId: `aaaaaaaa-0000-4000-8000-00000000001${n}`,
    currency: 'CNY',
    amountMinor: BigInt(100 * n),
  };
}

/** Only what the transfers are built from: the instruction's id, the legs and the id memo. */
function planned(legs: readonly PlannedLeg[]): PlannedPayment {
  return { instruction: { id: PAYMENT }, legs, legIds: [] } as unknown as PlannedPayment;
}

describe("grossChain (a payment's legs pre-linked for planChains)", () => {
  it('is grossTransfers with `linked` on every leg but the last, as planChains would set it', () => {
    for (const legs of [
      [leg('payer_to_provider', 1), leg('provider_to_payee', 2)],
      [
        leg('payer_to_provider', 1),
        leg('provider_to_provider', 2),
        leg('provider_to_payee', 3),
        leg('fee', 4),
      ],
    ]) {
      const plain = grossTransfers(planned(legs));
      const chain = grossChain(planned(legs));
      assert.deepEqual(
        chain,
        plain.map((t, i) => ({ ...t, flags: i < plain.length - 1 ? TransferFlags.linked : 0 })),
      );
      assert.deepEqual(
        chain.map((t) => t.id),
        legs.map((_, i) => legTransferId(PAYMENT, i)),
      );
      // Same fields in the same order: the events built from either serialise alike.
      assert.deepEqual(Object.keys(chain[0]!), Object.keys(plain[0]!));
    }
  });
});
