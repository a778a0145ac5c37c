import type { DomainEvent } from '../../platform/decider/decider.js';
import type { Webhook } from './webhook.js';

/** A webhook was registered, or its URL or types replaced (same id). */
export type WebhookRegistered = DomainEvent<
  'WebhookRegistered',
  { readonly webhook: Webhook; readonly replaced: boolean }
>;
export type WebhookRemoved = DomainEvent<
  'WebhookRemoved',
  { readonly webhookId: string; readonly institutionId: string; readonly at: bigint }
>;

export type WebhooksEvent = WebhookRegistered | WebhookRemoved;
export const WEBHOOKS_EVENT_TYPES = ['WebhookRegistered', 'WebhookRemoved'] as const;
export const WEBHOOK_BIGINT_FIELDS: ReadonlySet<string> = new Set(['registeredAt', 'updatedAt', 'at']);
