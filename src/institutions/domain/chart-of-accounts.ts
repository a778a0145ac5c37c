import { nameBasedId, type Id } from '../../ledger/domain/id.js';
import { AccountFlags } from '../../ledger/domain/model.js';

/**
 * Where each institution's money sits on the shared ledger. Account ids follow from what an
 * account is (institution, purpose, currency), so no module has to store them to find them.
 *
 * Per currency (one ledger each):
 * - the central bank's CBDC issuance account: its debit balance is the CBDC outstanding;
 * - the central bank's reserve issuance account: its debit balance is the reserves it owes banks;
 * - a commercial bank's reserve account at its central bank (cannot be overdrawn);
 * - a bank's CBDC wallet (own or foreign currency; cannot be overdrawn);
 * - customer wallets under a commercial bank (cannot be overdrawn).
 *
 * Issuance turns reserves into CBDC: reserve account → reserve issuance, and CBDC issuance → bank
 * wallet, as one linked chain. So per currency, CBDC held in wallets = CBDC issued − redeemed.
 */
export const AccountCodes = {
  cbdcIssuance: 10,
  reserveIssuance: 11,
  settlementClearing: 12,
  bankReserves: 20,
  bankWallet: 30,
  customerWallet: 31,
} as const;
export type AccountPurpose = keyof typeof AccountCodes;

/** Codes of the accounts that hold CBDC (what supply is made of). */
export const CBDC_HOLDING_CODES: readonly number[] = [AccountCodes.bankWallet, AccountCodes.customerWallet];

/** Transfer codes: why money moved. */
export const TransferCodes = {
  reserveCredit: 100,
  issuance: 110,
  redemption: 111,
  domesticTransfer: 200,
  crossBorderLeg: 300,
  fee: 310,
  netSettlement: 320,
} as const;

/**
 * Account ids are name-based (a SHA-256 of the name): the same few hundred accounts are named on
 * every payment, so their ids are remembered. The map is bounded; a name evicted is recomputed,
 * to the same id.
 */
const ACCOUNT_IDS = new Map<string, Id>();
const ACCOUNT_IDS_MAX = 100_000;

function accountId(name: string): Id {
  let id = ACCOUNT_IDS.get(name);
  if (id === undefined) {
    if (ACCOUNT_IDS.size >= ACCOUNT_IDS_MAX) ACCOUNT_IDS.clear();
    id = nameBasedId(name);
    ACCOUNT_IDS.set(name, id);
  }
  return id;
}

export function cbdcIssuanceAccountId(centralBankId: string, currency: string): Id {
  return accountId(`account:cbdc-issuance:${centralBankId}:${currency}`);
}

export function reserveIssuanceAccountId(centralBankId: string, currency: string): Id {
  return accountId(`account:reserve-issuance:${centralBankId}:${currency}`);
}

/**
 * Where a set of queued payments settles net (liquidity-saving): net payers pay in, net payees
 * are paid out, in one linked chain; it ends every settlement at zero.
 */
export function settlementClearingAccountId(currency: string): Id {
  return accountId(`account:settlement-clearing:${currency}`);
}

export function bankReserveAccountId(bankId: string, currency: string): Id {
  return accountId(`account:reserves:${bankId}:${currency}`);
}

export function bankWalletAccountId(bankId: string, currency: string): Id {
  return accountId(`account:wallet:${bankId}:${currency}`);
}

/** Customer wallets have client-chosen ids; their ledger account id follows from the wallet id. */
export function customerWalletAccountId(walletId: Id): Id {
  return accountId(`account:customer-wallet:${walletId}`);
}

/** Flags per purpose: holders can never be overdrawn; issuers can (that is their liability). */
export function flagsFor(purpose: AccountPurpose): number {
  return purpose === 'cbdcIssuance' || purpose === 'reserveIssuance'
    ? 0
    : AccountFlags.debitsMustNotExceedCredits;
}
