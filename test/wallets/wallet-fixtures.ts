import assert from 'node:assert/strict';
import type { Decision, DomainEvent } from '../../src/platform/decider/decider.js';
import { transferInput } from '../../src/ledger/domain/ledger-effects.js';
import {
  cbdcIssuanceAccountId,
  customerWalletAccountId,
  TransferCodes,
} from '../../src/institutions/domain/chart-of-accounts.js';
import type { FreezeScope } from '../../src/wallets/domain/freeze.js';
import type { WalletTier } from '../../src/wallets/domain/wallet.js';
import { NOW, register, smallNetwork } from '../support/institution-fixtures.js';
import { history } from '../support/world.js';

/**
 * Commands for the wallets specifications. The network is institution-fixtures' small one
 * (OPERATOR; PBOC/CN/CNY with BANKCN1, BANKCN2, REG-CN; HKMA/HK/HKD with BANKHK1) plus REG-HK,
 * and a JP jurisdiction whose currency (JPY) has no decimals, with BOJ and BANKJP1.
 */
export { NOW };

export const network = () => [
  ...smallNetwork(),
  register('HKMA', 'REG-HK', 'regulator', 'HK'),
  register('OPERATOR', 'BOJ', 'central_bank', 'JP'),
  register('BOJ', 'BANKJP1', 'commercial_bank', 'JP'),
];

/** Customer wallet ids: W1, W2, … as UUIDs. */
export const W = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Instants as ns from an ISO time. */
export const at = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

export const openCustomer = (bank: string, id: string, tier: WalletTier, now = NOW) => ({
  type: 'OpenWallet' as const,
  actor: bank,
  wallet: { kind: 'customer' as const, id, tier, holderReference: `holder-${id.slice(-4)}` },
  now,
});

export const openBank = (bank: string, currency: string, now = NOW) => ({
  type: 'OpenWallet' as const,
  actor: bank,
  wallet: { kind: 'bank' as const, currency },
  now,
});

let fundings = 0;
/** Issuance-like funding straight on the ledger: the central bank's CBDC issuance account → an account. */
export const fund = (
  centralBank: string,
  currency: string,
  accountId: string,
  amountMinor: bigint,
  now = NOW,
) => ({
  type: 'CreateTransfers' as const,
  // The ledger's internal path (as issuance uses it): the REST path refuses platform accounts.
  strict: false,
  transfers: [
    transferInput({
      id: `10000000-0000-4000-8000-${(++fundings).toString(16).padStart(12, '0')}`,
      debitAccountId: cbdcIssuanceAccountId(centralBank, currency),
      creditAccountId: accountId,
      amount: amountMinor,
      currency,
      code: TransferCodes.issuance,
    }),
  ],
  now,
});

export const fundCustomer = (id: string, amountMinor: bigint, now = NOW) =>
  fund('PBOC', 'CNY', customerWalletAccountId(id), amountMinor, now);

let transfers = 0;
export const nextTransferId = () => `20000000-0000-4000-8000-${(++transfers).toString(16).padStart(12, '0')}`;

/** A transfer of `amount` minor units (or `{ text }` in major units). */
export const pay = (
  actor: string,
  from: string,
  to: string,
  amount: bigint | { major: string },
  now = NOW,
  transferId = nextTransferId(),
) => ({
  type: 'TransferBetweenWallets' as const,
  actor,
  transferId,
  from,
  to,
  amount:
    typeof amount === 'bigint'
      ? { text: amount.toString(), minor: true }
      : { text: amount.major, minor: false },
  reference: null,
  now,
});

export const setLimits = (
  actor: string,
  currency: string,
  tier: WalletTier,
  limits: {
    singlePayment?: bigint | null;
    daily?: bigint | null;
    balance?: bigint | null;
    annual?: bigint | null;
  },
  now = NOW,
) => ({
  type: 'SetWalletTierLimits' as const,
  actor,
  currency,
  tier,
  limits: { singlePayment: null, daily: null, balance: null, annual: null, ...limits },
  now,
});

export const freezeWallet = (
  actor: string,
  walletId: string,
  scope: FreezeScope = 'all',
  reason = 'court order 17',
) => ({
  type: 'FreezeWallet' as const,
  actor,
  walletId,
  scope,
  reason,
  now: NOW,
});

export const unfreezeWallet = (actor: string, walletId: string, reason = 'order lifted') => ({
  type: 'UnfreezeWallet' as const,
  actor,
  walletId,
  reason,
  now: NOW,
});

export const freezeInstitution = (
  actor: string,
  institutionId: string,
  scope: FreezeScope = 'all',
  reason = 'resolution',
) => ({
  type: 'FreezeInstitution' as const,
  actor,
  institutionId,
  scope,
  reason,
  now: NOW,
});

export const unfreezeInstitution = (actor: string, institutionId: string, reason = 'resolved') => ({
  type: 'UnfreezeInstitution' as const,
  actor,
  institutionId,
  reason,
  now: NOW,
});

/** CNY: yuan → fen. */
export const cny = (yuan: string): bigint => {
  const [whole, fraction = ''] = yuan.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
};

/** Any command the test world decides. */
export type Command = Parameters<typeof history>[0][number];

/** The events of a history of commands (each must be accepted). */
export const given = (...commands: Parameters<typeof history>[0]) => history(commands);

/** The decision was an acceptance; returns its events. */
export function acceptedEvents(decision: Decision<DomainEvent, unknown>): readonly DomainEvent[] {
  assert.equal(
    decision.kind,
    'accepted',
    decision.kind === 'rejected' ? `rejected: ${decision.rejection.code} ${decision.rejection.detail}` : '',
  );
  return decision.kind === 'accepted' ? decision.events : [];
}
