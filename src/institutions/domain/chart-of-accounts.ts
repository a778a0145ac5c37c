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
 * every payment, so their ids are remembered, per purpose by its one or two parts (no name is
 * built to look one up). The memory is bounded; an id forgotten is recomputed, to the same id.
 */
const ACCOUNT_IDS_MAX = 100_000;
let remembered = 0;
const MEMOS: Array<Map<string, Id | Map<string, Id>>> = [];

function memo(): Map<string, Id | Map<string, Id>> {
  const map = new Map<string, Id | Map<string, Id>>();
  MEMOS.push(map);
  return map;
}

function remember(): void {
  if (++remembered <= ACCOUNT_IDS_MAX) return;
  for (const map of MEMOS) map.clear();
  remembered = 1;
}

/** The id named `<prefix><part>`, remembered by `part`. */
function accountId1(map: Map<string, Id | Map<string, Id>>, prefix: string, part: string): Id {
  let id = map.get(part) as Id | undefined;
  if (id === undefined) {
    remember();
    id = nameBasedId(`${prefix}${part}`);
    map.set(part, id);
  }
  return id;
}

/** The id named `<prefix><first>:<second>`, remembered by both parts. */
function accountId2(
  map: Map<string, Id | Map<string, Id>>,
  prefix: string,
  first: string,
  second: string,
): Id {
  let inner = map.get(first) as Map<string, Id> | undefined;
  if (inner === undefined) {
    inner = new Map();
    map.set(first, inner);
  }
  let id = inner.get(second);
  if (id === undefined) {
    remember();
    id = nameBasedId(`${prefix}${first}:${second}`);
    inner.set(second, id);
  }
  return id;
}

const CBDC_ISSUANCE = memo();
const RESERVE_ISSUANCE = memo();
const SETTLEMENT_CLEARING = memo();
const RESERVES = memo();
const WALLETS = memo();
const CUSTOMER_WALLETS = memo();

export function cbdcIssuanceAccountId(centralBankId: string, currency: string): Id {
  return accountId2(CBDC_ISSUANCE, 'account:cbdc-issuance:', centralBankId, currency);
}

export function reserveIssuanceAccountId(centralBankId: string, currency: string): Id {
  return accountId2(RESERVE_ISSUANCE, 'account:reserve-issuance:', centralBankId, currency);
}

/**
 * Where a set of queued payments settles net (liquidity-saving): net payers pay in, net payees
 * are paid out, in one linked chain; it ends every settlement at zero.
 */
export function settlementClearingAccountId(currency: string): Id {
  return accountId1(SETTLEMENT_CLEARING, 'account:settlement-clearing:', currency);
}

export function bankReserveAccountId(bankId: string, currency: string): Id {
  return accountId2(RESERVES, 'account:reserves:', bankId, currency);
}

export function bankWalletAccountId(bankId: string, currency: string): Id {
  return accountId2(WALLETS, 'account:wallet:', bankId, currency);
}

/** Customer wallets have client-chosen ids; their ledger account id follows from the wallet id. */
export function customerWalletAccountId(walletId: Id): Id {
  return accountId1(CUSTOMER_WALLETS, 'account:customer-wallet:', walletId);
}

/** Flags per purpose: holders can never be overdrawn; issuers can (that is their liability). */
export function flagsFor(purpose: AccountPurpose): number {
  return purpose === 'cbdcIssuance' || purpose === 'reserveIssuance'
    ? 0
    : AccountFlags.debitsMustNotExceedCredits;
}
