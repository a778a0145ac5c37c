import { accepted, assertNever, rejected, type Decision } from '../../platform/decider/decider.js';
import { forbiddenRole, notFound } from '../../institutions/domain/authorization.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import type { Webhook } from './webhook.js';
import { webhookStreamId } from './webhook.js';
import type { RegisterWebhook, RemoveWebhook, WebhooksCommand } from './webhooks.commands.js';
import type { WebhooksEvent } from './webhooks.events.js';
import type { WebhooksState } from './webhooks.state.js';

export interface WebhooksWorld {
  readonly webhooks: WebhooksState;
  readonly institutions: InstitutionsState;
}

export type WebhooksReply = { readonly webhook: Webhook } | { readonly removed: Webhook };

const KINDS_WITH_WEBHOOKS = ['commercial_bank', 'central_bank', 'regulator'] as const;

export function decideWebhooks(
  command: WebhooksCommand,
  world: WebhooksWorld,
): Decision<WebhooksEvent, WebhooksReply> {
  switch (command.type) {
    case 'RegisterWebhook':
      return decideRegister(command, world);
    case 'RemoveWebhook':
      return decideRemove(command, world);
    default:
      return assertNever(command);
  }
}

function decideRegister(
  command: RegisterWebhook,
  world: WebhooksWorld,
): Decision<WebhooksEvent, WebhooksReply> {
  const actor = world.institutions.institutions.get(command.actor);
  // The operator sees every event on the stream; a webhook is for the institutions told of theirs.
  if (actor === undefined || !(KINDS_WITH_WEBHOOKS as readonly string[]).includes(actor.kind)) {
    return rejected(forbiddenRole(actor, 'register a webhook', [...KINDS_WITH_WEBHOOKS]));
  }
  const current = world.webhooks.byInstitution.get(actor.id);
  if (current !== undefined && current.url === command.url && sameTypes(current.types, command.types)) {
    return accepted([], { webhook: current });
  }
  const webhook: Webhook = {
    id: current?.id ?? command.webhookId,
    institutionId: actor.id,
    institutionKind: actor.kind,
    jurisdiction: actor.jurisdiction,
    url: command.url,
    types: command.types,
    registeredAt: current?.registeredAt ?? command.now,
    updatedAt: command.now,
  };
  return accepted(
    [
      {
        type: 'WebhookRegistered',
        streamId: webhookStreamId(webhook.id),
        data: { webhook, replaced: current !== undefined },
      },
    ],
    { webhook },
  );
}

function decideRemove(command: RemoveWebhook, world: WebhooksWorld): Decision<WebhooksEvent, WebhooksReply> {
  const current = world.webhooks.byInstitution.get(command.actor);
  if (current === undefined) {
    return rejected(notFound('webhook_not_found', `${command.actor} has no webhook registered.`));
  }
  return accepted(
    [
      {
        type: 'WebhookRemoved',
        streamId: webhookStreamId(current.id),
        data: { webhookId: current.id, institutionId: current.institutionId, at: command.now },
      },
    ],
    { removed: current },
  );
}

export function evolveWebhooks(state: WebhooksState, event: WebhooksEvent): void {
  switch (event.type) {
    case 'WebhookRegistered':
      state.byInstitution.set(event.data.webhook.institutionId, event.data.webhook);
      return;
    case 'WebhookRemoved':
      state.byInstitution.delete(event.data.institutionId);
      return;
    default:
      assertNever(event);
  }
}

function sameTypes(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((type, i) => type === b[i]);
}
