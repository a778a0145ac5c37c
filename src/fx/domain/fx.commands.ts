import type { SignedRequestEvidence } from '../../platform/auth/evidence.js';

export interface PublishRateSheet {
  readonly type: 'PublishRateSheet';
  readonly actor: string;
  readonly from: string;
  readonly to: string;
  readonly rate: string;
  readonly spreadBps: number;
  readonly maxAmount: bigint;
  readonly validForSeconds: number;
  readonly evidence: SignedRequestEvidence | null;
  readonly now: bigint;
}

export interface WithdrawRateSheet {
  readonly type: 'WithdrawRateSheet';
  readonly actor: string;
  readonly from: string;
  readonly to: string;
  readonly now: bigint;
}

export interface RequestQuote {
  readonly type: 'RequestQuote';
  readonly actor: string;
  /** Chosen by the edge (a fresh UUID) so that the decision stays pure. */
  readonly quoteId: string;
  readonly from: string;
  readonly to: string;
  readonly fixed: 'source' | 'target';
  readonly amount: bigint;
  readonly provider: string | null;
  readonly ttlSeconds: number;
  readonly now: bigint;
}

export type FxCommand = PublishRateSheet | WithdrawRateSheet | RequestQuote;
export const FX_COMMAND_TYPES = ['PublishRateSheet', 'WithdrawRateSheet', 'RequestQuote'] as const;
