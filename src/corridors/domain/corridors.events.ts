import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Corridor, Fee, OpeningHours } from './corridor.js';

export type CorridorOpened = DomainEvent<
  'CorridorOpened',
  { readonly corridor: Corridor; readonly by: string }
>;
export type CorridorFeesSet = DomainEvent<
  'CorridorFeesSet',
  { readonly corridorId: string; readonly fees: Readonly<Record<string, Fee>>; readonly by: string }
>;
export type CorridorSideRulesSet = DomainEvent<
  'CorridorSideRulesSet',
  {
    readonly corridorId: string;
    readonly jurisdiction: string;
    readonly hours: OpeningHours | null;
    readonly maxPaymentMinor: bigint | null;
    readonly dailyOutboundQuotaMinor: bigint | null;
    readonly by: string;
  }
>;
export type CorridorSuspended = DomainEvent<
  'CorridorSuspended' | 'CorridorResumed',
  {
    readonly corridorId: string;
    readonly jurisdiction: string;
    readonly reason: string;
    readonly by: string;
    readonly at: bigint;
  }
>;
/** A payment left one side: counts against that side's daily quota. Emitted by the payments decider. */
export type CorridorOutflowRecorded = DomainEvent<
  'CorridorOutflowRecorded',
  {
    readonly corridorId: string;
    readonly jurisdiction: string;
    readonly date: string;
    readonly amountMinor: bigint;
    readonly paymentId: string;
  }
>;

export type CorridorsEvent =
  CorridorOpened | CorridorFeesSet | CorridorSideRulesSet | CorridorSuspended | CorridorOutflowRecorded;
export const CORRIDORS_EVENT_TYPES = [
  'CorridorOpened',
  'CorridorFeesSet',
  'CorridorSideRulesSet',
  'CorridorSuspended',
  'CorridorResumed',
  'CorridorOutflowRecorded',
] as const;

export function corridorStreamId(id: string): string {
  return `corridor-${id}`;
}
