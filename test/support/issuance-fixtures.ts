import type { Id } from '../../src/ledger/domain/id.js';
import { creditBalance } from '../../src/ledger/domain/ledger-effects.js';
import {
  bankReserveAccountId,
  bankWalletAccountId,
  cbdcIssuanceAccountId,
  reserveIssuanceAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import type { IssuanceKind, SignatureRecord } from '../../src/issuance/domain/issuance.js';
import type {
  ApproveIssuance,
  CreditReserves,
  DeclineIssuance,
  IssueDirectly,
  RequestIssuance,
  SetSupplyCap,
} from '../../src/issuance/domain/issuance.commands.js';
import type { World } from './world.js';
import { NOW, register } from './institution-fixtures.js';

/** Builders for issuance specs. Amounts are minor units; each command is signed by its actor. */

/** A recognisable stand-in for an RFC 9421 signature by `who`. */
export function signatureBy(who: string, n = 1): SignatureRecord {
  return {
    keyId: `${who}-key-1`,
    input: `sig1=("@method" "@target-uri" "content-digest");created=${1767225600 + n};keyid="${who}-key-1";alg="ed25519"`,
    value: `sig1=:${Buffer.from(`${who}/${n}`).toString('base64')}:`,
  };
}

/** Readable request and credit ids: r(1) = 00000000-0000-4000-8000-000000000001. */
export function r(n: number): Id {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
export function c(n: number): Id {
  return `cccccccc-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

let nextCredit = 1000;

export function creditReserves(
  actor: string,
  bankId: string,
  amount: bigint,
  options: { creditId?: Id; currency?: string; now?: bigint } = {},
): CreditReserves {
  return {
    type: 'CreditReserves',
    actor,
    creditId: options.creditId ?? c(nextCredit++),
    bankId,
    currency: options.currency ?? null,
    amount,
    signature: signatureBy(actor),
    now: options.now ?? NOW,
  };
}

export function requestIssuance(
  actor: string,
  requestId: Id,
  kind: IssuanceKind,
  amount: bigint,
  options: { currency?: string; reference?: string; now?: bigint } = {},
): RequestIssuance {
  return {
    type: 'RequestIssuance',
    actor,
    requestId,
    kind,
    currency: options.currency ?? null,
    amount,
    reference: options.reference ?? null,
    signature: signatureBy(actor),
    now: options.now ?? NOW,
  };
}

export function approve(actor: string, requestId: Id, now: bigint = NOW): ApproveIssuance {
  return { type: 'ApproveIssuance', actor, requestId, signature: signatureBy(actor, 2), now };
}

export function decline(actor: string, requestId: Id, reason: string, now: bigint = NOW): DeclineIssuance {
  return { type: 'DeclineIssuance', actor, requestId, reason, signature: signatureBy(actor, 3), now };
}

export function issueDirectly(
  actor: string,
  requestId: Id,
  bankId: string,
  kind: IssuanceKind,
  amount: bigint,
  options: { currency?: string; now?: bigint } = {},
): IssueDirectly {
  return {
    type: 'IssueDirectly',
    actor,
    requestId,
    bankId,
    kind,
    currency: options.currency ?? null,
    amount,
    reference: null,
    signature: signatureBy(actor, 4),
    now: options.now ?? NOW,
  };
}

export function setCap(actor: string, currency: string, cap: bigint | null, now: bigint = NOW): SetSupplyCap {
  return { type: 'SetSupplyCap', actor, currency, cap, signature: signatureBy(actor, 5), now };
}

/** A jurisdiction with a 0-decimal (JPY) or 3-decimal (KWD) currency: its central bank and one bank. */
export function exoticJurisdiction(code: 'JP' | 'KW'): ReturnType<typeof register>[] {
  const [cbId, bankId, currency, zone] =
    code === 'JP' ? ['BOJ', 'BANKJP1', 'JPY', 'Asia/Tokyo'] : ['CBK', 'BANKKW1', 'KWD', 'Asia/Kuwait'];
  return [
    {
      ...register('OPERATOR', cbId, 'central_bank', code),
      establishes: { name: `Jurisdiction ${code}`, currency, timeZone: zone },
    },
    register(cbId, bankId, 'commercial_bank', code),
  ];
}

/** Balances that matter to issuance, as holders see them (credits − debits). */
export function holdings(world: World, bankId: string, centralBankId: string, currency: string) {
  return {
    reserves: creditBalance(world.ledger, bankReserveAccountId(bankId, currency)),
    wallet: creditBalance(world.ledger, bankWalletAccountId(bankId, currency)),
    /** The central bank's liabilities: what it owes as reserves and as CBDC. */
    reservesOwed: -creditBalance(world.ledger, reserveIssuanceAccountId(centralBankId, currency)),
    cbdcOutstanding: -creditBalance(world.ledger, cbdcIssuanceAccountId(centralBankId, currency)),
  };
}
