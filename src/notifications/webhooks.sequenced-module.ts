import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { JsonStateModule, writesNothing } from '../platform/sequencer/json-state-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { WEBHOOKS_COMMAND_TYPES, type WebhooksCommand } from './domain/webhooks.commands.js';
import { decideWebhooks, evolveWebhooks } from './domain/webhooks.decider.js';
import { WEBHOOK_BIGINT_FIELDS, WEBHOOKS_EVENT_TYPES, type WebhooksEvent } from './domain/webhooks.events.js';
import { WebhooksState } from './domain/webhooks.state.js';
import type { EventScope } from '../platform/event-store/event-scope.js';
import { webhooksScope } from './domain/webhooks.scope.js';

/**
 * Webhook registrations, served from memory (one per institution at most). Registrations are
 * events in the log so that the delivery process manager, which reads the log, applies each one
 * at its exact position.
 */
@Injectable()
export class WebhooksSequencedModule extends JsonStateModule<WebhooksState> {
  readonly name = 'webhooks';
  readonly commandTypes = WEBHOOKS_COMMAND_TYPES;
  readonly eventTypes = WEBHOOKS_EVENT_TYPES;

  constructor(private readonly institutions: InstitutionsSequencedModule) {
    super(() => new WebhooksState(), WEBHOOK_BIGINT_FIELDS);
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideWebhooks(command as WebhooksCommand, {
      webhooks: this.state,
      institutions: this.institutions.state,
    });
  }

  scopeOf(event: DomainEvent): EventScope {
    return webhooksScope(event as WebhooksEvent);
  }

  evolve(event: DomainEvent): void {
    evolveWebhooks(this.state, event as WebhooksEvent);
  }

  /** No read model: the state is served from memory. */
  readonly projectionSql = writesNothing;
}
