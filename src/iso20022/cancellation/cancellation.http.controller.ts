import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AllowKinds, AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { sendXml } from '../credit-transfer/credit-transfer.http.controller.js';
import { RequestCancellation } from './request-cancellation.js';

/** A bank takes back a queued payment with a camt.056; the answer is a camt.029. */
@Controller('v1/iso20022')
export class CancellationController {
  constructor(private readonly cancellation: RequestCancellation) {}

  @Post('camt.056')
  @HttpCode(200)
  @AllowKinds('commercial_bank')
  async paymentCancellationRequest(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendXml(response, await this.cancellation.execute(body, caller));
  }
}
