import type { Webhook } from './domain/webhook.js';

/** A webhook as the API shows it (times as ISO 8601). */
export function webhookView(webhook: Webhook) {
  return {
    id: webhook.id,
    institutionId: webhook.institutionId,
    url: webhook.url,
    types: webhook.types,
    registeredAt: isoOf(webhook.registeredAt),
    updatedAt: isoOf(webhook.updatedAt),
  };
}

function isoOf(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}
