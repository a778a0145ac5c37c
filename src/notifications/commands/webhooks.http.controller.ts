import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query as QueryParam,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../platform/auth/caller.js';
import { ProblemException } from '../../platform/http/problem.js';
import { POSITION, QueryReader } from '../../platform/http/query-reader.js';
import { DELIVERY_STATUSES, ListWebhookDeliveriesQuery } from '../queries/list-webhook-deliveries.js';
import { RetryWebhookDeliveryCommand } from './retry-webhook-delivery.js';
import type { Webhook } from '../domain/webhook.js';
import { webhookView } from '../webhook.view.js';
import { WebhooksSequencedModule } from '../webhooks.sequenced-module.js';
import { parseRegisterWebhook } from './register-webhook.request.js';
import { WebhooksCommandMessage } from './webhooks.command.js';

/** Each institution's own webhook: register or replace it, read it, remove it, read and retry its deliveries. */
@Controller('v1/webhooks')
@AllowKinds('commercial_bank', 'central_bank', 'regulator')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly webhooks: WebhooksSequencedModule,
  ) {}

  @Put()
  @HttpCode(200)
  async register(@Body() body: unknown, @AuthenticatedCaller() caller: Caller) {
    const { url, types } = parseRegisterWebhook(body);
    const reply: { webhook: Webhook } = await this.commands.execute(
      new WebhooksCommandMessage(
        { type: 'RegisterWebhook', actor: caller.institution.id, webhookId: randomUUID(), url, types },
        metadataOf(caller),
      ),
    );
    return webhookView(reply.webhook);
  }

  @Get()
  get(@AuthenticatedCaller() caller: Caller) {
    const webhook = this.webhooks.state.byInstitution.get(caller.institution.id);
    if (webhook === undefined) {
      throw ProblemException.notFound(
        'webhook_not_found',
        `${caller.institution.id} has no webhook registered.`,
      );
    }
    return webhookView(webhook);
  }

  @Delete()
  @HttpCode(204)
  async remove(@AuthenticatedCaller() caller: Caller): Promise<void> {
    await this.commands.execute(
      new WebhooksCommandMessage({ type: 'RemoveWebhook', actor: caller.institution.id }, metadataOf(caller)),
    );
  }

  /** Oldest first; `after` is the previous page's `nextCursor`. */
  @Get('deliveries')
  deliveries(@QueryParam() query: Record<string, unknown>, @AuthenticatedCaller() caller: Caller) {
    const r = new QueryReader(query, ['status', 'after', 'limit']);
    const status = r.text(
      'status',
      (v) => (DELIVERY_STATUSES as readonly string[]).includes(v),
      'status_invalid',
      `must be one of ${DELIVERY_STATUSES.join(', ')}`,
    );
    const after = r.cursor();
    const limit = r.limit(100, 1000);
    r.done();
    return this.queries.execute(new ListWebhookDeliveriesQuery(caller.institution.id, status, after, limit));
  }

  @Post('deliveries/:position/retry')
  @HttpCode(200)
  retry(@Param('position') position: string, @AuthenticatedCaller() caller: Caller) {
    if (!POSITION.test(position)) {
      throw ProblemException.badRequest(
        'position_invalid',
        'The position must be a log position (0 or more).',
      );
    }
    return this.commands.execute(new RetryWebhookDeliveryCommand(caller.institution.id, BigInt(position)));
  }
}
