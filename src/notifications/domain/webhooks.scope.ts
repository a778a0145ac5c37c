import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { WebhooksEvent } from './webhooks.events.js';

/** A webhook concerns the institution that registered it. */
export function webhooksScope(event: WebhooksEvent): EventScope {
  return {
    institutions: [
      event.type === 'WebhookRegistered' ? event.data.webhook.institutionId : event.data.institutionId,
    ],
  };
}
