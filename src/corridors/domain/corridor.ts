/**
 * A corridor joins two jurisdictions for cross-border payments. Each side's central bank governs
 * its side: opening hours in its time zone, the largest payment out of it, a daily outbound quota
 * in its currency (capital-flow management), and whether it suspends the corridor. The operator
 * opens corridors and sets the fees payers on each side pay.
 */
export interface OpeningHours {
  /** `HH:MM`, local. */
  readonly open: string;
  /** `HH:MM`, local; a payment at exactly this minute is outside the hours. */
  readonly close: string;
  /** ISO weekdays it is open, 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
}

export interface Fee {
  /** Fixed part, minor units of the side's currency. */
  readonly fixedMinor: bigint;
  /** Proportional part in basis points of the payment, rounded down to the minor unit. */
  readonly bps: number;
}

export interface CorridorSide {
  readonly jurisdiction: string;
  readonly currency: string;
  readonly timeZone: string;
  /** Null: always open. */
  readonly hours: OpeningHours | null;
  /** Largest payment out of this side, in its currency's minor units; null: no maximum. */
  readonly maxPaymentMinor: bigint | null;
  /** Most that may leave this side per local day, minor units; null: no quota. */
  readonly dailyOutboundQuotaMinor: bigint | null;
  /** Charged to payers on this side, in its currency. */
  readonly fee: Fee;
  readonly suspension: { readonly reason: string; readonly by: string; readonly at: bigint } | null;
}

export interface Corridor {
  /** `<A>-<B>`, the two jurisdiction codes in alphabetical order, e.g. CN-HK. */
  readonly id: string;
  readonly sides: readonly [CorridorSide, CorridorSide];
  readonly openedAt: bigint;
}

export function corridorId(a: string, b: string): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

export const CORRIDOR_ID = /^([A-Z]{2})-([A-Z]{2})$/;

export function sideOf(corridor: Corridor, jurisdiction: string): CorridorSide | undefined {
  return corridor.sides.find((s) => s.jurisdiction === jurisdiction);
}

export const NO_FEE: Fee = { fixedMinor: 0n, bps: 0 };

/** fixed + floor(amount × bps / 10,000): exact in integers, rounded down. */
export function feeFor(fee: Fee, amountMinor: bigint): bigint {
  return fee.fixedMinor + (amountMinor * BigInt(fee.bps)) / 10_000n;
}

export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
