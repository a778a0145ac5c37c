import assert from 'node:assert/strict';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { nameBasedId } from '../../src/ledger/domain/id.js';
import { creditBalance, transferInput } from '../../src/ledger/domain/ledger-effects.js';
import {
  bankWalletAccountId,
  cbdcIssuanceAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import type { SubmitPayment } from '../../src/payments/domain/payments.commands.js';
import { spec } from '../support/decider-spec.js';
import { NOW, register } from '../support/institution-fixtures.js';
import { worldDecider, type AnyCommand, type World } from '../support/world.js';

export const SECOND = 1_000_000_000n;
const ISSUERS: Record<string, string> = { CNY: 'PBOC', HKD: 'HKMA', THB: 'BOT', AED: 'CBUAE' };

/**
 * Four jurisdictions; in each a paying bank (PAYxx) and, in three, a liquidity provider (LPxx).
 * Corridors CN–HK, HK–TH, TH–CN and TH–AE are open; no rate sheets, no money: each test adds
 * what it needs.
 */
export function network(): AnyCommand[] {
  return [
    register('system', 'OPERATOR', 'operator', null),
    register('OPERATOR', 'PBOC', 'central_bank', 'CN'),
    register('OPERATOR', 'HKMA', 'central_bank', 'HK'),
    register('OPERATOR', 'BOT', 'central_bank', 'TH'),
    register('OPERATOR', 'CBUAE', 'central_bank', 'AE'),
    register('PBOC', 'PAYCN', 'commercial_bank', 'CN'),
    register('PBOC', 'LPCN', 'commercial_bank', 'CN', { roles: ['liquidity_provider'] }),
    register('HKMA', 'PAYHK', 'commercial_bank', 'HK'),
    register('HKMA', 'LPHK', 'commercial_bank', 'HK', { roles: ['liquidity_provider'] }),
    register('BOT', 'PAYTH', 'commercial_bank', 'TH'),
    register('BOT', 'LPTH', 'commercial_bank', 'TH', { roles: ['liquidity_provider'] }),
    register('CBUAE', 'PAYAE', 'commercial_bank', 'AE'),
    register('PBOC', 'BADBANK', 'commercial_bank', 'CN'),
    ...[
      ['CN', 'HK'],
      ['HK', 'TH'],
      ['TH', 'CN'],
      ['TH', 'AE'],
    ].map(([a, b]) => ({
      type: 'OpenCorridor',
      actor: 'OPERATOR',
      jurisdictions: [a, b],
      fees: {},
      now: NOW,
    })),
  ];
}

export const openWallet = (actor: string, currency: string) => ({
  type: 'OpenWallet',
  actor,
  wallet: { kind: 'bank', currency },
  now: NOW,
});

let fundings = 0;
/** Money into a bank wallet straight from its issuer (the ledger's internal path, as issuance uses). */
export function fund(bank: string, currency: string, amount: bigint) {
  return {
    type: 'CreateTransfers',
    strict: false,
    now: NOW,
    transfers: [
      transferInput({
        id: nameBasedId(`payments-test-funding-${++fundings}`),
        debitAccountId: cbdcIssuanceAccountId(ISSUERS[currency]!, currency),
        creditAccountId: bankWalletAccountId(bank, currency),
        amount,
        currency,
        code: 110,
      }),
    ],
  };
}

export function sheet(provider: string, from: string, to: string, rate: string, spreadBps = 0) {
  return {
    type: 'PublishRateSheet',
    actor: provider,
    from,
    to,
    rate,
    spreadBps,
    maxAmount: 10n ** 14n,
    validForSeconds: 86_400,
    evidence: null,
    now: NOW,
  };
}

let payments = 0;
export function newPaymentId(): string {
  return nameBasedId(`payment-${++payments}`);
}

export function pay(
  payer: string,
  payee: string,
  amountMinor: bigint,
  currency: string,
  options: Partial<SubmitPayment> = {},
): SubmitPayment {
  return {
    type: 'SubmitPayment',
    actor: payer,
    paymentId: newPaymentId(),
    payer: { bank: payer, wallet: null, name: null },
    payee: { bank: payee, wallet: null, name: null },
    amountMinor,
    currency,
    quoteId: null,
    purpose: 'GDDS',
    remittanceInfo: null,
    priority: 5,
    expiresInSeconds: 3600,
    now: NOW + SECOND,
    ...options,
  };
}

export const cycle = (now = NOW + 2n * SECOND, liquiditySaving = true) => ({
  type: 'RunSettlementCycle',
  liquiditySaving,
  now,
});

/** Decides each command in turn on one world, failing on any rejection; returns all events. */
export function run(commands: readonly AnyCommand[], given: readonly DomainEvent[] = []): DomainEvent[] {
  const events = [...given];
  for (const command of commands) {
    const decision = spec(worldDecider)
      .given(events)
      .when(command as never).decision;
    if (decision.kind === 'rejected')
      assert.fail(`${command.type} was rejected: ${decision.rejection.code} ${decision.rejection.detail}`);
    events.push(...decision.events);
  }
  return events;
}

/** The world after the events. */
export function worldOf(events: readonly DomainEvent[]): World {
  return spec(worldDecider).given(events).state;
}

export function balanceOf(world: World, bank: string, currency: string): bigint {
  return creditBalance(world.ledger, bankWalletAccountId(bank, currency));
}

export const types = (events: readonly DomainEvent[]) => events.map((e) => e.type);
