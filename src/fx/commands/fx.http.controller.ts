import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../platform/auth/caller.js';
import { evidenceOf } from '../../platform/auth/evidence.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { BodyReader } from '../../platform/http/body-reader.js';
import { idempotencyFrom } from '../../platform/http/idempotency.js';
import type { Quote } from '../domain/quote.js';
import type { RateSheet } from '../domain/rate-sheet.js';
import { quoteView, rateSheetView } from '../fx.views.js';
import { FxCommandMessage } from './fx.command.js';
import { parsePublishRateSheet, readPair } from './publish-rate-sheet/publish-rate-sheet.request.js';
import { parseRequestQuote } from './request-quote/request-quote.request.js';

@Controller('v1/fx')
@AllowKinds('commercial_bank')
export class FxController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A liquidity provider publishes (or replaces) its rate for selling `to` against `from`. The
   * signed request itself is kept with the sheet as evidence for every quote made from it.
   */
  @Put('rate-sheets/:from/:to')
  @HttpCode(200)
  async publish(
    @Param('from') from: string,
    @Param('to') to: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Req() request: Request,
  ) {
    const sheet = parsePublishRateSheet(body, from, to);
    const { reply } = await this.commands.execute(
      new FxCommandMessage(
        {
          type: 'PublishRateSheet',
          actor: caller.institution.id,
          from,
          to,
          ...sheet,
          evidence: evidenceOf(request, caller),
        },
        metadataOf(caller),
      ),
    );
    return rateSheetView((reply as { sheet: RateSheet }).sheet);
  }

  @Delete('rate-sheets/:from/:to')
  @HttpCode(200)
  async withdraw(
    @Param('from') from: string,
    @Param('to') to: string,
    @AuthenticatedCaller() caller: Caller,
  ) {
    const r = new BodyReader();
    readPair(r, from, to);
    r.throwIfInvalid();
    const { reply } = await this.commands.execute(
      new FxCommandMessage(
        { type: 'WithdrawRateSheet', actor: caller.institution.id, from, to },
        metadataOf(caller),
      ),
    );
    return reply as { withdrawn: boolean };
  }

  /** The best quote across providers that hold enough liquidity now (or from the one named). */
  @Post('quotes')
  @HttpCode(201)
  async quote(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const request = parseRequestQuote(body);
    const idempotency = idempotencyFrom(key, caller.institution.id, 'POST', '/v1/fx/quotes', body);
    const { reply, replayed } = await this.commands.execute(
      new FxCommandMessage(
        {
          type: 'RequestQuote',
          actor: caller.institution.id,
          quoteId: randomUUID(),
          ...request,
          ttlSeconds: this.config.quoteTtlSeconds,
        },
        metadataOf(caller, idempotency?.key),
        idempotency,
      ),
    );
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    const quote = (reply as { quote: Quote }).quote;
    response.setHeader('Location', `/v1/fx/quotes/${quote.id}`);
    return quoteView(quote);
  }
}
