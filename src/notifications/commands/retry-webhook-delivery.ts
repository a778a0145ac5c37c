import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException } from '../../platform/http/problem.js';
import { webhookDeliveryView } from '../queries/webhook-delivery.view.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { WebhooksSequencedModule } from '../webhooks.sequenced-module.js';

/** The institution asks for one of its failed deliveries to be tried again. */
export class RetryWebhookDeliveryCommand {
  constructor(
    readonly institutionId: string,
    readonly position: bigint,
  ) {}
}

/**
 * Puts a failed delivery of the institution's current webhook back in its queue, with a fresh
 * retry budget, after the receiver was fixed. Deliveries go out one at a time per webhook in
 * position order, so a retried delivery is sent before the later events still pending. A
 * delivery of a removed webhook was cancelled with it and cannot be retried.
 */
@CommandHandler(RetryWebhookDeliveryCommand)
export class RetryWebhookDeliveryHandler implements ICommandHandler<RetryWebhookDeliveryCommand> {
  constructor(
    private readonly webhooks: WebhooksSequencedModule,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async execute({ institutionId, position }: RetryWebhookDeliveryCommand) {
    const webhook = this.webhooks.state.byInstitution.get(institutionId);
    if (webhook === undefined) {
      throw ProblemException.notFound('webhook_not_found', `${institutionId} has no webhook registered.`);
    }
    const outcome = await this.dispatcher.retry(webhook.id, position);
    if (outcome.kind === 'not_found') {
      throw ProblemException.notFound(
        'delivery_not_found',
        `The webhook ${webhook.id} has no delivery of the event at position ${position}.`,
      );
    }
    if (outcome.kind === 'not_failed') {
      throw new ProblemException({
        code: 'delivery_not_failed',
        status: 409,
        title: 'The delivery has not failed',
        detail: `The delivery of the event at position ${position} is ${outcome.status}; only a failed delivery can be retried.`,
      });
    }
    return webhookDeliveryView(outcome.row);
  }
}
