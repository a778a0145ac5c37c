/** Register or replace the caller's webhook. `webhookId` is used only if it has none yet. */
export interface RegisterWebhook {
  readonly type: 'RegisterWebhook';
  readonly actor: string;
  readonly webhookId: string;
  readonly url: string;
  readonly types: readonly string[] | null;
  readonly now: bigint;
}

export interface RemoveWebhook {
  readonly type: 'RemoveWebhook';
  readonly actor: string;
  readonly now: bigint;
}

export type WebhooksCommand = RegisterWebhook | RemoveWebhook;
export const WEBHOOKS_COMMAND_TYPES = ['RegisterWebhook', 'RemoveWebhook'] as const;
