import type { Route } from './routing.js';
import type { SignedRequestEvidence } from '../../platform/auth/evidence.js';

/**
 * A firm offer to convert one amount, for a short time: the route, the amounts, and the signed
 * rate sheets it was made from. A payment can name it (once) instead of asking for the best.
 */
export interface Quote {
  readonly id: string;
  readonly requestedBy: string;
  readonly fixed: 'source' | 'target';
  readonly route: Route;
  readonly createdAt: bigint;
  readonly expiresAt: bigint;
  /** One per leg: the provider's signed publication of the sheet the leg was priced from. */
  readonly evidence: ReadonlyArray<SignedRequestEvidence | null>;
  /** The payment that used it, once one has. */
  readonly usedBy: string | null;
}
