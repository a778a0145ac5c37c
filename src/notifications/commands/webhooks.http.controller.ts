import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../platform/auth/caller.js';
import { ProblemException } from '../../platform/http/problem.js';
import type { Webhook } from '../domain/webhook.js';
import { webhookView } from '../webhook.view.js';
import { WebhooksSequencedModule } from '../webhooks.sequenced-module.js';
import { parseRegisterWebhook } from './register-webhook.request.js';
import { WebhooksCommandMessage } from './webhooks.command.js';

/** Each institution's own webhook: register or replace it, read it, remove it. */
@Controller('v1/webhooks')
@AllowKinds('commercial_bank', 'central_bank', 'regulator')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
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
}
