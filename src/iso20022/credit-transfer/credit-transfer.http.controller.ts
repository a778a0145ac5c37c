import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AllowKinds, AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { SubmitCreditTransfer, type XmlAnswer } from './submit-credit-transfer.js';

/** Sends an XML answer with its status (201 recorded, 4xx refused with a pacs.002 RJCT). */
export function sendXml(response: Response, answer: XmlAnswer): string {
  response.status(answer.status).type('application/xml');
  if (answer.location !== undefined) response.setHeader('Location', answer.location);
  if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return answer.xml;
}

/** Cross-border payments instructed in ISO 20022 (docs/iso20022.md): the answer is a pacs.002. */
@Controller('v1/iso20022')
export class CreditTransferController {
  constructor(private readonly submit: SubmitCreditTransfer) {}

  /** FIToFICustomerCreditTransfer: a customer (or the bank itself) pays across the border. */
  @Post('pacs.008')
  @HttpCode(201)
  @AllowKinds('commercial_bank')
  async customerCreditTransfer(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendXml(response, await this.submit.execute('pacs.008', body, caller));
  }

  /** FinancialInstitutionCreditTransfer: a bank pays a bank of another jurisdiction. */
  @Post('pacs.009')
  @HttpCode(201)
  @AllowKinds('commercial_bank')
  async financialInstitutionCreditTransfer(
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendXml(response, await this.submit.execute('pacs.009', body, caller));
  }
}
