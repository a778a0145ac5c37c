import type { AudienceMember } from './audience.js';

/**
 * An institution's webhook: one URL per institution, to which the node POSTs every payment
 * event that concerns it (of the listed types, or all), signed with the node's key.
 */
export interface Webhook {
  /** Chosen when first registered; kept when the URL or types are replaced, new after a removal. */
  readonly id: string;
  readonly institutionId: string;
  /** The institution's kind and jurisdiction: they decide which events concern it. */
  readonly institutionKind: AudienceMember['kind'];
  readonly jurisdiction: string | null;
  readonly url: string;
  /** Event types delivered; null: every payment event. */
  readonly types: readonly string[] | null;
  readonly registeredAt: bigint;
  readonly updatedAt: bigint;
}

export function webhookStreamId(webhookId: string): string {
  return `webhook-${webhookId}`;
}
