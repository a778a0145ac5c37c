import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { metadataOf, type Caller } from '../../platform/auth/caller.js';
import { CLOCK, isoFromNs, type Clock } from '../../platform/clock/clock.js';
import { Database } from '../../platform/database/database.js';
import { ProblemException } from '../../platform/http/problem.js';
import { forbiddenScope } from '../../institutions/index.js';
import {
  PaymentsCommandMessage,
  type PaymentsCommandResult,
} from '../../payments/commands/payments.command.js';
import { GetPaymentQuery } from '../../payments/queries/get-payment.js';
import type { PaymentOutcome } from '../../payments/index.js';
import { isoMetadata, readPaymentOrigin } from '../status-report/message-origin.js';
import { isoReasonOf } from '../status-report/reason-codes.js';
import {
  paymentStatusReport,
  rejectionReport,
  type OriginalMessage,
  type PaymentView,
} from '../status-report/payment-status-report.js';
import { readIsoDocument } from '../xml/iso-xml.js';
import { readCreditTransfer, type CreditTransfer, type CreditTransferKind } from './read-credit-transfer.js';

/** What the HTTP layer sends back: a status and an XML body (pacs.002). */
export interface XmlAnswer {
  readonly status: number;
  readonly xml: string;
  readonly location?: string;
  readonly replayed?: boolean;
}

/** One key space for every UETR: a UETR is unique across the platform, not per bank. */
export const UETR_SCOPE = 'iso20022:uetr';

/**
 * A pacs.008 or pacs.009 becomes the SubmitPayment that POST /v1/payments would send: the same
 * command, decider and screening. Only the envelope differs: the payment id is the UETR (the
 * idempotency key too), the answer is a pacs.002, and a refusal is a pacs.002 RJCT.
 */
@Injectable()
export class SubmitCreditTransfer {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(kind: CreditTransferKind, body: unknown, caller: Caller): Promise<XmlAnswer> {
    const now = isoFromNs(this.clock.nowNs());
    const reading = readCreditTransfer(kind, readIsoDocument(body));
    if (!reading.ok) {
      const reasons = reading.errors.map((e) => ({ iso: e.reason, detail: `${e.path} ${e.detail}` }));
      return { status: 400, xml: rejectionReport(reading, reasons, 'group', now) };
    }
    const transfer = reading.transfer;
    // The signer instructs as itself only. Authorization refusals stay problem details, as the
    // signature guard's are: they are about the caller, not about the message.
    if (transfer.debtorAgent !== caller.institution.id) {
      throw new ProblemException(
        forbiddenScope(
          caller.institution,
          `a bank instructs as its own debtor agent only, not as ${transfer.debtorAgent}`,
        ),
      );
    }
    const original: OriginalMessage = { ...transfer };
    const refuse = (status: number, code: string, detail: string): XmlAnswer => ({
      status,
      xml: rejectionReport(original, [{ iso: isoReasonOf(code), code, detail }], 'transaction', now),
    });
    // A payment with this id that this very message did not create (another bank's UETR, or a
    // payment made through the JSON API): a duplicate. Its own earlier success goes on to the
    // sequencer, which replays it, or refuses a different message under the same UETR.
    const origin = await readPaymentOrigin(this.database, transfer.uetr);
    if (
      origin !== null &&
      (origin.actor !== caller.institution.id || origin.idempotencyKey !== transfer.uetr)
    )
      return refuse(409, 'payment_exists', `A payment with UETR ${transfer.uetr} exists already.`);
    let result: PaymentsCommandResult;
    try {
      result = await this.commands.execute(this.command(kind, transfer, body as string, caller));
    } catch (error) {
      if (!(error instanceof ProblemException) || error.problem.status === 403 || error.problem.status >= 500)
        throw error;
      return refuse(error.problem.status, error.problem.code, error.problem.detail);
    }
    const outcome = result.reply as PaymentOutcome;
    const payment: PaymentView = await this.queries.execute(
      new GetPaymentQuery(outcome.id, caller.institution, false),
    );
    return {
      status: 201,
      xml: paymentStatusReport(payment, transfer, now),
      location: `/v1/iso20022/payments/${payment.id}/pacs.002`,
      replayed: result.replayed,
    };
  }

  private command(kind: CreditTransferKind, transfer: CreditTransfer, body: string, caller: Caller) {
    const bank = caller.institution.id;
    // The same message again replays; another message (or another bank) under the UETR is refused.
    const requestHash = createHash('sha256')
      .update(`POST /v1/iso20022/${kind}\n${bank}\n${body}`)
      .digest('hex');
    const idempotency = { scope: UETR_SCOPE, key: transfer.uetr, requestHash };
    return new PaymentsCommandMessage(
      {
        type: 'SubmitPayment',
        actor: bank,
        paymentId: transfer.uetr,
        ...transfer.request,
        payer: { bank, ...transfer.request.payer },
      },
      isoMetadata(metadataOf(caller, transfer.uetr), transfer),
      idempotency,
    );
  }
}
