import { randomUUID } from 'node:crypto';
import type { paymentView } from '../../payments/payment.view.js';
import { writeIsoDocument, type XmlContent } from '../xml/iso-xml.js';
import { additionalInfo, isoReasonOf } from './reason-codes.js';

export const PACS_002 = 'pacs.002.001.10';

export type PaymentView = ReturnType<typeof paymentView>;

/** The message a status report answers (what of it could be read). */
export interface OriginalMessage {
  /** `pacs.008.001.08` as received, or the message expected at that route. */
  readonly messageName: string;
  readonly msgId: string | null;
  readonly endToEndId: string | null;
  readonly uetr: string | null;
}

/** Why: an ISO reason code, our own code when there is one, and a sentence. */
export interface StatusReason {
  readonly iso: string;
  readonly code?: string;
  readonly detail: string;
}

const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** An institution as an ISO agent: its id is a BIC when it looks like one, else `Othr/Id`. */
export function agentOf(institutionId: string): XmlContent {
  return { FinInstnId: BIC.test(institutionId) ? { BICFI: institutionId } : { Othr: { Id: institutionId } } };
}

/** A message id (Max35Text): a fresh UUID's 32 hex digits. */
export function newMessageId(): string {
  return randomUUID().replace(/-/g, '');
}

const TX_STATUS: Readonly<Record<string, string>> = {
  settled: 'ACSC', // accepted, settlement completed
  queued: 'PDNG', // pending: waiting in the queue for funds or liquidity
  rejected: 'RJCT',
  expired: 'RJCT',
  cancelled: 'CANC',
};

function reasonInfo(reasons: readonly StatusReason[]): XmlContent[] {
  return reasons.slice(0, 20).map((r) => ({
    Rsn: { Cd: r.iso },
    AddtlInf: additionalInfo(r.code === undefined ? r.detail : `${r.code}: ${r.detail}`),
  }));
}

function originalGroup(original: OriginalMessage): XmlContent {
  return { OrgnlMsgId: original.msgId ?? 'NOTPROVIDED', OrgnlMsgNmId: original.messageName };
}

/**
 * The status of a recorded payment (pacs.002): TxSts from its status, the reason (ISO code, our
 * code and detail), the fee as charges, the instructed amount and both agents as the original
 * transaction's reference. `original` is null for a payment made through the JSON API.
 */
export function paymentStatusReport(
  payment: PaymentView,
  original: Omit<OriginalMessage, 'uetr'> | null,
  createdAt: string,
): string {
  const content: XmlContent = {
    GrpHdr: { MsgId: newMessageId(), CreDtTm: createdAt },
    OrgnlGrpInfAndSts: original === null ? undefined : originalGroup({ ...original, uetr: payment.id }),
    TxInfAndSts: transactionStatus(payment, original?.endToEndId ?? null),
  };
  return writeIsoDocument(PACS_002, 'FIToFIPmtStsRpt', content);
}

/** One transaction's TxInfAndSts for a recorded payment. */
function transactionStatus(payment: PaymentView, endToEndId: string | null): XmlContent {
  const reason = payment.reason;
  return {
    OrgnlEndToEndId: endToEndId ?? 'NOTPROVIDED',
    OrgnlUETR: payment.id,
    TxSts: TX_STATUS[payment.status] ?? 'PDNG',
    StsRsnInf:
      reason === null
        ? undefined
        : reasonInfo([{ iso: isoReasonOf(reason.code), code: reason.code, detail: reason.detail ?? '' }]),
    ChrgsInf:
      payment.fee === null
        ? undefined
        : {
            Amt: { '@Ccy': payment.fee.currency, '#text': payment.fee.amount },
            Agt: agentOf(payment.payer.bank),
          },
    AccptncDtTm: payment.receivedAt,
    FctvIntrBkSttlmDt: payment.settledAt === null ? undefined : { DtTm: payment.settledAt },
    // Where the payment is in the event log (GET /v1/audit/events?paymentId=…).
    ClrSysRef: payment.position,
    OrgnlTxRef: {
      IntrBkSttlmAmt: { '@Ccy': payment.instructed.currency, '#text': payment.instructed.amount },
      Dbtr: payment.payer.name === null ? undefined : { Pty: { Nm: payment.payer.name } },
      DbtrAcct: payment.payer.wallet === null ? undefined : { Id: { Othr: { Id: payment.payer.wallet } } },
      DbtrAgt: agentOf(payment.payer.bank),
      CdtrAgt: agentOf(payment.payee.bank),
      Cdtr: payment.payee.name === null ? undefined : { Pty: { Nm: payment.payee.name } },
      CdtrAcct: payment.payee.wallet === null ? undefined : { Id: { Othr: { Id: payment.payee.wallet } } },
    },
  };
}

/** What became of one transaction of a message: a recorded payment, or refused with reasons. */
export type TransactionOutcome =
  | { readonly payment: PaymentView; readonly endToEndId: string }
  | { readonly refused: readonly StatusReason[]; readonly endToEndId: string; readonly uetr: string };

/**
 * The answer to a message of several transactions: one TxInfAndSts per transaction, in the
 * message's order, and the group's status summing them up: every transaction the same status,
 * that status; some refused and some not, PART; none refused, some still pending, ACSP
 * (accepted, settlement in process).
 */
export function messageStatusReport(
  original: Omit<OriginalMessage, 'uetr' | 'endToEndId'>,
  outcomes: readonly TransactionOutcome[],
  createdAt: string,
): string {
  const transactions = outcomes.map((o) =>
    'payment' in o
      ? transactionStatus(o.payment, o.endToEndId)
      : {
          OrgnlEndToEndId: o.endToEndId,
          OrgnlUETR: o.uetr,
          TxSts: 'RJCT',
          StsRsnInf: reasonInfo(o.refused),
        },
  );
  const statuses = new Set(transactions.map((t) => t.TxSts as string));
  const groupStatus = statuses.size === 1 ? [...statuses][0]! : statuses.has('RJCT') ? 'PART' : 'ACSP';
  const content: XmlContent = {
    GrpHdr: { MsgId: newMessageId(), CreDtTm: createdAt },
    OrgnlGrpInfAndSts: {
      ...originalGroup({ ...original, endToEndId: null, uetr: null }),
      OrgnlNbOfTxs: String(outcomes.length),
      GrpSts: groupStatus,
    },
    TxInfAndSts: transactions,
  };
  return writeIsoDocument(PACS_002, 'FIToFIPmtStsRpt', content);
}

/**
 * A message refused with nothing written. `group`: the message as a whole could not be used
 * (invalid content): GrpSts RJCT with every reason. `transaction`: a readable instruction the
 * platform refuses (unknown creditor agent, duplicate…): TxSts RJCT.
 */
export function rejectionReport(
  original: OriginalMessage,
  reasons: readonly StatusReason[],
  level: 'group' | 'transaction',
  createdAt: string,
): string {
  const transaction =
    original.uetr === null && original.endToEndId === null
      ? undefined
      : {
          OrgnlEndToEndId: original.endToEndId ?? 'NOTPROVIDED',
          OrgnlUETR: original.uetr ?? undefined,
          TxSts: 'RJCT',
          StsRsnInf: level === 'transaction' ? reasonInfo(reasons) : undefined,
        };
  const content: XmlContent = {
    GrpHdr: { MsgId: newMessageId(), CreDtTm: createdAt },
    OrgnlGrpInfAndSts: {
      ...originalGroup(original),
      GrpSts: level === 'group' ? 'RJCT' : undefined,
      StsRsnInf: level === 'group' ? reasonInfo(reasons) : undefined,
    },
    TxInfAndSts: transaction,
  };
  return writeIsoDocument(PACS_002, 'FIToFIPmtStsRpt', content);
}
