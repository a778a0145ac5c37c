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
  SubmitPaymentsMessage,
  type PaymentsCommandResult,
  type SubmitPaymentsResult,
} from '../../payments/commands/payments.command.js';
import { GetPaymentQuery } from '../../payments/queries/get-payment.js';
import { GetPaymentsQuery } from '../../payments/queries/get-payments.js';
import type { SubmitPayment } from '../../payments/domain/payments.commands.js';
import { classifyError } from '../../platform/http/problem.filter.js';
import type { PaymentOutcome } from '../../payments/index.js';
import { isoMetadata, readPaymentOrigins } from '../status-report/message-origin.js';
import { isoReasonOf } from '../status-report/reason-codes.js';
import {
  messageStatusReport,
  paymentStatusReport,
  rejectionReport,
  type TransactionOutcome,
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
 * A pacs.008 or pacs.009 becomes the SubmitPayment that POST /v1/payments would send, one per
 * transaction: the same command, decider and screening. Only the envelope differs: the payment id
 * is the UETR (the idempotency key too), the answer is a pacs.002, and a refusal is a pacs.002
 * RJCT. A message of several transactions is taken as POST /v1/payments/batch takes payments.
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
    const transfers = reading.transfers;
    // The signer instructs as itself only. Authorization refusals stay problem details, as the
    // signature guard's are: they are about the caller, not about the message.
    for (const transfer of transfers) {
      if (transfer.debtorAgent !== caller.institution.id) {
        throw new ProblemException(
          forbiddenScope(
            caller.institution,
            `a bank instructs as its own debtor agent only, not as ${transfer.debtorAgent}`,
          ),
        );
      }
    }
    const origins = await readPaymentOrigins(
      this.database,
      transfers.map((t) => t.uetr),
    );
    // A payment with this id that this very message did not create (another bank's UETR, or a
    // payment made through the JSON API): a duplicate. Its own earlier success goes on to the
    // sequencer, which replays it, or refuses a different message under the same UETR.
    const taken = (transfer: CreditTransfer) => {
      const origin = origins.get(transfer.uetr);
      return (
        origin !== undefined &&
        (origin.actor !== caller.institution.id || origin.idempotencyKey !== transfer.uetr)
      );
    };
    const requestHash = this.requestHash(kind, body as string, caller);
    if (transfers.length === 1)
      return this.single(transfers[0]!, taken(transfers[0]!), requestHash, caller, now);
    return this.several(transfers, taken, requestHash, caller, now);
  }

  /** A message of one transaction: 201 with its payment's status, or a 4xx RJCT, nothing written. */
  private async single(
    transfer: CreditTransfer,
    taken: boolean,
    requestHash: string,
    caller: Caller,
    now: string,
  ): Promise<XmlAnswer> {
    const refuse = (status: number, code: string, detail: string): XmlAnswer => ({
      status,
      xml: rejectionReport(transfer, [{ iso: isoReasonOf(code), code, detail }], 'transaction', now),
    });
    if (taken) return refuse(409, 'payment_exists', `A payment with UETR ${transfer.uetr} exists already.`);
    let result: PaymentsCommandResult;
    try {
      const { command, metadata, idempotency } = this.submission(transfer, requestHash, caller);
      result = await this.commands.execute(new PaymentsCommandMessage(command, metadata, idempotency));
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

  /**
   * A message of several transactions, as POST /v1/payments/batch takes payments: each its own
   * payment (decided in order, committed together as far as they fit in one sequencer batch),
   * refused or recorded on its own. 200 with one TxInfAndSts per transaction. A failure of the
   * platform (5xx) on any of them fails the whole answer: the bank sends the same message again,
   * and what did land replays.
   */
  private async several(
    transfers: readonly CreditTransfer[],
    taken: (transfer: CreditTransfer) => boolean,
    requestHash: string,
    caller: Caller,
    now: string,
  ): Promise<XmlAnswer> {
    const submitted = transfers.filter((t) => !taken(t));
    const results: SubmitPaymentsResult =
      submitted.length === 0
        ? []
        : await this.commands.execute(
            new SubmitPaymentsMessage(submitted.map((t) => this.submission(t, requestHash, caller))),
          );
    const byUetr = new Map(submitted.map((t, i) => [t.uetr, results[i]!]));
    for (const result of results)
      if (!result.ok && classifyError(result.error).rejection.status >= 500) throw result.error;
    const ids = results.flatMap((r) => (r.ok ? [r.outcome.id] : []));
    const views: Map<string, PaymentView> = await this.queries.execute(
      new GetPaymentsQuery(ids, caller.institution),
    );
    const outcomes: TransactionOutcome[] = transfers.map((t) => {
      const result = byUetr.get(t.uetr);
      const refused = (code: string, detail: string): TransactionOutcome => ({
        endToEndId: t.endToEndId,
        uetr: t.uetr,
        refused: [{ iso: isoReasonOf(code), code, detail }],
      });
      if (result === undefined)
        return refused('payment_exists', `A payment with UETR ${t.uetr} exists already.`);
      if (!result.ok) {
        const { rejection } = classifyError(result.error);
        return refused(rejection.code, rejection.detail);
      }
      const payment = views.get(result.outcome.id);
      if (payment === undefined) throw new Error(`payment ${result.outcome.id} has no row after its commit`);
      return { payment, endToEndId: t.endToEndId };
    });
    return {
      status: 200,
      xml: messageStatusReport(transfers[0]!, outcomes, now),
      replayed: results.length === transfers.length && results.every((r) => r.ok && r.replayed),
    };
  }

  /**
   * Each transaction's idempotency key is its UETR, hashed with the whole message: the same
   * message again replays; another message (or another bank) under the UETR is refused.
   */
  private requestHash(kind: CreditTransferKind, body: string, caller: Caller): string {
    return createHash('sha256')
      .update(`POST /v1/iso20022/${kind}\n${caller.institution.id}\n${body}`)
      .digest('hex');
  }

  /** The SubmitPayment of one transaction, as POST /v1/payments would send it. */
  private submission(transfer: CreditTransfer, requestHash: string, caller: Caller) {
    const bank = caller.institution.id;
    const command: Omit<SubmitPayment, 'now'> = {
      type: 'SubmitPayment',
      actor: bank,
      paymentId: transfer.uetr,
      ...transfer.request,
      payer: { bank, ...transfer.request.payer },
    };
    return {
      command,
      metadata: isoMetadata(metadataOf(caller, transfer.uetr), transfer),
      idempotency: { scope: UETR_SCOPE, key: transfer.uetr, requestHash },
    };
  }
}
