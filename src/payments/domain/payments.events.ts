import type { DomainEvent } from '../../platform/decider/decider.js';
import type { PaymentInstruction, SettledBy, SettledLeg } from './payment.js';

/** Every payment event names who and which jurisdictions it concerns (notifications, audit scope). */
interface Scope {
  readonly paymentId: string;
  readonly parties: readonly string[];
  readonly jurisdictions: readonly string[];
  readonly at: bigint;
}

export type PaymentReceived = DomainEvent<
  'PaymentReceived',
  Scope & { readonly payment: PaymentInstruction }
>;
export type PaymentScreened = DomainEvent<'PaymentScreened', Scope & { readonly checks: readonly string[] }>;
export type PaymentQueued = DomainEvent<
  'PaymentQueued',
  Scope & { readonly reason: 'awaiting_funds' | 'awaiting_liquidity'; readonly detail: string }
>;
export type PaymentSettled = DomainEvent<
  'PaymentSettled',
  Scope & {
    readonly settledBy: SettledBy;
    /** The set a net settlement settled together (null when gross). */
    readonly setId: string | null;
    readonly sell: { readonly currency: string; readonly amountMinor: bigint };
    readonly buy: { readonly currency: string; readonly amountMinor: bigint };
    readonly fee: { readonly currency: string; readonly amountMinor: bigint };
    readonly rate: string;
    readonly providers: readonly string[];
    readonly legs: readonly SettledLeg[];
  }
>;
export type PaymentRejected = DomainEvent<
  'PaymentRejected',
  Scope & { readonly code: string; readonly detail: string }
>;
export type PaymentExpired = DomainEvent<'PaymentExpired', Scope>;
export type PaymentCancelled = DomainEvent<
  'PaymentCancelled',
  Scope & { readonly reason: string; readonly by: string }
>;

export type PaymentsEvent =
  | PaymentReceived
  | PaymentScreened
  | PaymentQueued
  | PaymentSettled
  | PaymentRejected
  | PaymentExpired
  | PaymentCancelled;
export const PAYMENTS_EVENT_TYPES = [
  'PaymentReceived',
  'PaymentScreened',
  'PaymentQueued',
  'PaymentSettled',
  'PaymentRejected',
  'PaymentExpired',
  'PaymentCancelled',
] as const;

export function paymentStreamId(paymentId: string): string {
  return `payment-${paymentId}`;
}
