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

/** Ids by their two codes, in either order: every payment asks several times (a few dozen pairs). */
const IDS = new Map<string, Map<string, string>>();
const IDS_MAX = 10_000;
let idsHeld = 0;

export function corridorId(a: string, b: string): string {
  let id = IDS.get(a)?.get(b);
  if (id === undefined) {
    if (idsHeld >= IDS_MAX) {
      IDS.clear();
      idsHeld = 0;
    }
    id = a < b ? `${a}-${b}` : `${b}-${a}`;
    let byB = IDS.get(a);
    if (byB === undefined) {
      byB = new Map();
      IDS.set(a, byB);
    }
    byB.set(b, id);
    idsHeld++;
  }
  return id;
}

export const CORRIDOR_ID = /^([A-Z]{2})-([A-Z]{2})$/;

export function sideOf(corridor: Corridor, jurisdiction: string): CorridorSide | undefined {
  const a = corridor.sides[0];
  const b = corridor.sides[1];
  return a.jurisdiction === jurisdiction ? a : b.jurisdiction === jurisdiction ? b : undefined;
}

export const NO_FEE: Fee = { fixedMinor: 0n, bps: 0 };

/** fixed + floor(amount × bps / 10,000): exact in integers, rounded down. */
export function feeFor(fee: Fee, amountMinor: bigint): bigint {
  return fee.fixedMinor + (amountMinor * BigInt(fee.bps)) / 10_000n;
}

export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
