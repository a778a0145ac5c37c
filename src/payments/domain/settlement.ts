import { nameBasedId, NameBasedIdFamily, type Id } from '../../ledger/domain/id.js';
import { transferInput } from '../../ledger/domain/ledger-effects.js';
import { TransferFlags, type TransferInput } from '../../ledger/domain/model.js';
import {
  TransferCodes,
  bankWalletAccountId,
  customerWalletAccountId,
  settlementClearingAccountId,
} from '../../institutions/domain/chart-of-accounts.js';
import type { Route } from '../../fx/domain/routing.js';
import { bankWalletId } from '../../wallets/domain/wallet.js';
import type { PaymentInstruction, PaymentParty, SettledLeg } from './payment.js';

/**
 * The money movements of a payment, before anything moves: its gross legs along a route (payer →
 * provider in the payer's currency, provider → provider in a bridge currency, provider → payee in
 * the payee's), and the fee to the operator. Gross settlement books these as one linked chain; net
 * settlement books only each account's net position, through the currency's clearing account.
 */
export interface PlannedLeg {
  readonly kind: SettledLeg['kind'];
  /** Holders, for people: a wallet id or `<bank>.<currency>`. */
  readonly from: string;
  readonly to: string;
  readonly debitAccountId: Id;
  readonly creditAccountId: Id;
  readonly currency: string;
  readonly amountMinor: bigint;
}

export interface PlannedPayment {
  readonly instruction: PaymentInstruction;
  readonly route: Route;
  readonly feeMinor: bigint;
  readonly legs: readonly PlannedLeg[];
  /**
   * The legs' transfer ids once derived (legTransferIds): the chain that books a payment and the
   * event that records it both name them. Not part of the plan; a memo that lives as long as it.
   */
  legIds?: Id[];
}

export function accountOf(party: PaymentParty): { holder: string; accountId: Id } {
  return party.wallet !== null
    ? { holder: party.wallet, accountId: customerWalletAccountId(party.wallet) }
    : {
        holder: bankWalletId(party.bank, party.currency),
        accountId: bankWalletAccountId(party.bank, party.currency),
      };
}

export function planPayment(
  instruction: PaymentInstruction,
  route: Route,
  feeMinor: bigint,
  operator: string,
  /**
   * True when the instruction was made by this decision (a payment being submitted): no earlier
   * cycle can have remembered ids for it, so its ids start empty without a weak-map lookup (which
   * gave every new instruction an identity hash, for nothing).
   */
  fresh = false,
): PlannedPayment {
  const payer = accountOf(instruction.payer);
  const payee = accountOf(instruction.payee);
  // Made at its final length (one leg per route leg, the payee's, the fee if any) and filled in
  // a loop: pushing onto an empty array gave it room for sixteen legs, and `forEach` a closure.
  const legs = new Array<PlannedLeg>(route.legs.length + (feeMinor > 0n ? 2 : 1));
  for (let index = 0; index < route.legs.length; index++) {
    const leg = route.legs[index]!;
    const providerFrom = bankWalletAccountId(leg.provider, leg.from);
    if (index === 0) {
      legs[index] = {
        kind: 'payer_to_provider',
        from: payer.holder,
        to: bankWalletId(leg.provider, leg.from),
        debitAccountId: payer.accountId,
        creditAccountId: providerFrom,
        currency: leg.from,
        amountMinor: leg.sellMinor,
      };
    } else {
      const previous = route.legs[index - 1]!;
      legs[index] = {
        kind: 'provider_to_provider',
        from: bankWalletId(previous.provider, leg.from),
        to: bankWalletId(leg.provider, leg.from),
        debitAccountId: bankWalletAccountId(previous.provider, leg.from),
        creditAccountId: providerFrom,
        currency: leg.from,
        amountMinor: leg.sellMinor,
      };
    }
  }
  const last = route.legs[route.legs.length - 1]!;
  legs[route.legs.length] = {
    kind: 'provider_to_payee',
    from: bankWalletId(last.provider, last.to),
    to: payee.holder,
    debitAccountId: bankWalletAccountId(last.provider, last.to),
    creditAccountId: payee.accountId,
    currency: last.to,
    amountMinor: last.buyMinor,
  };
  if (feeMinor > 0n) {
    const currency = instruction.payer.currency;
    legs[route.legs.length + 1] = {
      kind: 'fee',
      from: payer.holder,
      to: bankWalletId(operator, currency),
      debitAccountId: payer.accountId,
      creditAccountId: bankWalletAccountId(operator, currency),
      currency,
      amountMinor: feeMinor,
    };
  }
  // legIds always present (undefined until derived): one object shape for every plan.
  return { instruction, route, feeMinor, legs, legIds: fresh ? [] : undefined };
}

/**
 * Leg i of payment P: a name-based id, so the ledger itself refuses to move a payment's money
 * twice, whenever and by whichever process it is decided again. Kept a hash of the same name
 * (not a cheaper derivation): a new scheme would give payments settled under the old one fresh
 * ids, and a resubmitted payment id would then settle a second time.
 */
export function legTransferId(paymentId: Id, index: number): Id {
  return nameBasedId(`payment:${paymentId}:leg:${index}`);
}

/** The same ids as legTransferId, a payment's legs at once (NameBasedIdFamily: one hash for four). */
const LEG_NAMES = new NameBasedIdFamily('payment:', ':leg:');

/**
 * Leg ids of queued payments, by instruction: a queued payment is planned again every cycle (a
 * cycle even plans its chains twice), and its ids depend on the payment id and the index only.
 * Only what waits goes in here (rememberLegTransferIds): a payment that settles when submitted,
 * the common case, keeps its ids on its plan alone and costs the weak map nothing.
 */
const LEG_IDS = new WeakMap<PaymentInstruction, Id[]>();

function legTransferIds(planned: PlannedPayment): readonly Id[] {
  let ids = planned.legIds;
  if (ids === undefined) {
    ids = LEG_IDS.get(planned.instruction) ?? [];
    planned.legIds = ids;
  }
  if (ids.length < planned.legs.length)
    LEG_NAMES.append(planned.instruction.id, ids.length, planned.legs.length, ids);
  return ids;
}

/** Keeps the ids derived for a payment that stays queued, for the cycles that plan it again. */
export function rememberLegTransferIds(planned: PlannedPayment): void {
  if (planned.legIds !== undefined) LEG_IDS.set(planned.instruction, planned.legIds);
}

/** The payment's legs as ledger transfers (one chain: the caller links them). */
export function grossTransfers(planned: PlannedPayment): TransferInput[] {
  return legTransfers(planned, false);
}

/**
 * The payment's legs as one linked chain, as planChains books it (`linked` on every leg but the
 * last): the same transfers planChains would make of grossTransfers, but planChains no longer
 * copies every leg but the last to set the flag (two object spreads per payment).
 */
export function grossChain(planned: PlannedPayment): TransferInput[] {
  return legTransfers(planned, true);
}

function legTransfers(planned: PlannedPayment, linked: boolean): TransferInput[] {
  const ids = legTransferIds(planned);
  const legs = planned.legs;
  const last = legs.length - 1;
  // A loop into an array of its final length: `map` allocated a closure per payment.
  const transfers = new Array<TransferInput>(legs.length);
  for (let index = 0; index < legs.length; index++) {
    const leg = legs[index]!;
    transfers[index] = transferInput({
      id: ids[index]!,
      debitAccountId: leg.debitAccountId,
      creditAccountId: leg.creditAccountId,
      amount: leg.amountMinor,
      currency: leg.currency,
      code: leg.kind === 'fee' ? TransferCodes.fee : TransferCodes.crossBorderLeg,
      userData128: planned.instruction.id,
      flags: linked && index < last ? TransferFlags.linked : 0,
    });
  }
  return transfers;
}

/** Each account's net position over a set of payments: credits minus debits, per account. */
export function netPositions(set: readonly PlannedPayment[]): Map<Id, { currency: string; net: bigint }> {
  const positions = new Map<Id, { currency: string; net: bigint }>();
  const add = (account: Id, currency: string, delta: bigint) => {
    const position = positions.get(account);
    if (position === undefined) positions.set(account, { currency, net: delta });
    else position.net += delta;
  };
  for (const planned of set) {
    for (const leg of planned.legs) {
      add(leg.debitAccountId, leg.currency, -leg.amountMinor);
      add(leg.creditAccountId, leg.currency, leg.amountMinor);
    }
  }
  return positions;
}

/**
 * The transfers that settle a set net: every net payer pays its net debit into its currency's
 * clearing account first, then the clearing account pays every net payee. The clearing account
 * ends at zero; nobody's balance ever dips below what it would hold after the set.
 */
export function netTransfers(setId: Id, set: readonly PlannedPayment[]): TransferInput[] {
  const positions = [...netPositions(set)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const payIn = positions.filter(([, p]) => p.net < 0n);
  const payOut = positions.filter(([, p]) => p.net > 0n);
  let n = 0;
  const transfer = (debit: Id, credit: Id, currency: string, amount: bigint) =>
    transferInput({
      id: nameBasedId(`settlement-set:${setId}:${n++}`),
      debitAccountId: debit,
      creditAccountId: credit,
      amount,
      currency,
      code: TransferCodes.netSettlement,
      userData128: setId,
    });
  return [
    ...payIn.map(([account, p]) =>
      transfer(account, settlementClearingAccountId(p.currency), p.currency, -p.net),
    ),
    ...payOut.map(([account, p]) =>
      transfer(settlementClearingAccountId(p.currency), account, p.currency, p.net),
    ),
  ];
}

export function settledLegs(planned: PlannedPayment, gross: boolean): SettledLeg[] {
  const ids = gross ? legTransferIds(planned) : null;
  const legs = planned.legs;
  // A loop, as in legTransfers: `map` allocated a closure per payment.
  const settled = new Array<SettledLeg>(legs.length);
  for (let index = 0; index < legs.length; index++) {
    const leg = legs[index]!;
    settled[index] = {
      transferId: ids === null ? null : ids[index]!,
      kind: leg.kind,
      from: leg.from,
      to: leg.to,
      currency: leg.currency,
      amountMinor: leg.amountMinor,
    };
  }
  return settled;
}
