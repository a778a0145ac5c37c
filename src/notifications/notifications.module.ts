import { Module, type OnModuleInit } from '@nestjs/common';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { RetryWebhookDeliveryHandler } from './commands/retry-webhook-delivery.js';
import { WebhooksCommandHandler } from './commands/webhooks.command.js';
import { ListWebhookDeliveriesHandler } from './queries/list-webhook-deliveries.js';
import { WebhooksController } from './commands/webhooks.http.controller.js';
import { NodeKeyController } from './node-key/node-key.http.controller.js';
import { CommittedEventsFeed } from './stream/committed-events.feed.js';
import { EventLogReader } from './stream/event-log.reader.js';
import { EventStreamController } from './stream/event-stream.http.controller.js';
import { EventStreams } from './stream/event-streams.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { WebhookSender } from './webhooks/webhook-sender.js';
import { WebhooksSequencedModule } from './webhooks.sequenced-module.js';

/**
 * The receiving side is told (issue 4): a server-sent-events stream of the payment events that
 * concern each institution, and signed webhooks with retries for those that register one.
 */
@Module({
  imports: [InstitutionsModule],
  controllers: [EventStreamController, WebhooksController, NodeKeyController],
  providers: [
    WebhooksSequencedModule,
    WebhooksCommandHandler,
    ListWebhookDeliveriesHandler,
    RetryWebhookDeliveryHandler,
    CommittedEventsFeed,
    EventLogReader,
    EventStreams,
    WebhookSender,
    WebhookDispatcher,
  ],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly webhooks: WebhooksSequencedModule,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.webhooks);
  }
}
