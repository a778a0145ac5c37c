import type { Fee, OpeningHours } from './corridor.js';

/** The operator opens a corridor (idempotent) and sets each side's fees. */
export interface OpenCorridor {
  readonly type: 'OpenCorridor';
  readonly actor: string;
  readonly jurisdictions: readonly [string, string];
  /** Per jurisdiction; sides not named keep their fee (no fee for a new corridor). */
  readonly fees: Readonly<Record<string, Fee>>;
  readonly now: bigint;
}

/** A central bank governs its side of a corridor. */
export interface SetCorridorSideRules {
  readonly type: 'SetCorridorSideRules';
  readonly actor: string;
  readonly corridorId: string;
  readonly jurisdiction: string;
  readonly hours: OpeningHours | null;
  readonly maxPaymentMinor: bigint | null;
  readonly dailyOutboundQuotaMinor: bigint | null;
  readonly now: bigint;
}

/** Either side's central bank suspends the corridor for its side, or lifts its suspension. */
export interface SuspendCorridor {
  readonly type: 'SuspendCorridor' | 'ResumeCorridor';
  readonly actor: string;
  readonly corridorId: string;
  readonly reason: string;
  readonly now: bigint;
}

export type CorridorsCommand = OpenCorridor | SetCorridorSideRules | SuspendCorridor;
export const CORRIDORS_COMMAND_TYPES = [
  'OpenCorridor',
  'SetCorridorSideRules',
  'SuspendCorridor',
  'ResumeCorridor',
] as const;
