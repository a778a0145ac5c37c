/**
 * A freeze stops money. `all` blocks sending and receiving (the e-CNY default: a frozen wallet
 * receives nothing and sends nothing); `outgoing` blocks sending only, for a policy that lets
 * a frozen wallet keep receiving.
 */
export const FREEZE_SCOPES = ['all', 'outgoing'] as const;
export type FreezeScope = (typeof FREEZE_SCOPES)[number];

export interface Freeze {
  readonly scope: FreezeScope;
  readonly reason: string;
  /** The central bank or regulator that froze it. */
  readonly frozenBy: string;
  readonly frozenAt: bigint;
}
