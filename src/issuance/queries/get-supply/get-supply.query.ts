import type { CallerInstitution } from '../../../platform/auth/caller.js';
import type { AmountView } from '../../../ledger/read-model/ledger.views.js';

/** The supply of a currency and where it sits, as one consistent read. */
export class GetSupplyQuery {
  constructor(
    readonly currency: string,
    readonly caller: CallerInstitution,
  ) {}
}

export interface HoldingView {
  /** CBDC in the bank's own wallet. */
  readonly bankWallets: AmountView;
  /** CBDC in the customer wallets the bank operates. */
  readonly customerWallets: AmountView;
  readonly total: AmountView;
}

export interface SupplyView {
  readonly currency: string;
  readonly centralBank: string;
  readonly jurisdiction: string;
  readonly issued: AmountView;
  readonly redeemed: AmountView;
  /** issued − redeemed; always equals holdings.total. */
  readonly outstanding: AmountView;
  readonly cap: AmountView | null;
  readonly reservesCredited: AmountView;
  readonly holdings: {
    readonly total: AmountView;
    readonly byInstitution: ReadonlyArray<HoldingView & { institution: string; jurisdiction: string }>;
    readonly byJurisdiction: ReadonlyArray<HoldingView & { jurisdiction: string }>;
  };
  /** The log position the figures are as of. */
  readonly asOfPosition: string;
}
