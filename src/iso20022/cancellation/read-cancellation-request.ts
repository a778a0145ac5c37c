import type { IsoDocument } from '../xml/iso-xml.js';
import { MessageReader, type MessageError } from '../xml/message-reader.js';

/** A camt.056 read into what POST /v1/payments/{id}/cancel takes, plus what the camt.029 echoes. */
export interface CancellationRequest {
  readonly messageName: string;
  /** Assgnmt/Id: the case's assignment, unique per assigner; the idempotency key. */
  readonly assignmentId: string;
  /** Assgnmt/Assgnr/Agt: the bank asking; it must be the signer. */
  readonly assigner: string;
  readonly cancellationId: string | null;
  readonly originalMsgId: string | null;
  readonly originalMessageName: string | null;
  readonly endToEndId: string | null;
  /** OrgnlUETR: the payment to cancel. */
  readonly paymentId: string;
  /** Our cancel reason: `<reason code>: <AddtlInf>`, or the assignment id when none is given. */
  readonly reason: string;
}

export type CancellationReading =
  | { readonly ok: true; readonly request: CancellationRequest }
  | {
      readonly ok: false;
      readonly messageName: string;
      readonly msgId: string | null;
      readonly endToEndId: string | null;
      readonly uetr: string | null;
      readonly errors: readonly MessageError[];
    };

export const CAMT_056 = 'camt.056.001.08';

/** FIToFIPaymentCancellationRequest with one underlying transaction (docs/iso20022.md). */
export function readCancellationRequest(xml: IsoDocument): CancellationReading {
  const r = new MessageReader();
  const messageName = xml.messageName ?? CAMT_056;
  const refused = (
    msgId: string | null = null,
    uetr: string | null = null,
    endToEndId: string | null = null,
  ) => ({ ok: false, messageName, msgId, uetr, endToEndId, errors: r.errors }) as const;
  if (xml.document.path !== '/Document' || !xml.messageName?.startsWith('camt.056.001.')) {
    r.fail(xml.document.path, 'FF01', `must be a camt.056 Document (got ${xml.namespace ?? 'no namespace'})`);
    return refused();
  }
  const root = r.one(xml.document, 'FIToFIPmtCxlReq');
  if (root === null) return refused();
  const assignment = r.one(root, 'Assgnmt');
  const assignmentId = r.text(assignment, 'Id', 35);
  const assigner = r.institution(r.one(assignment, 'Assgnr'), 'Agt');
  r.dateTime(assignment, 'CreDtTm');
  const underlying = root.children('Undrlyg');
  const transactions = underlying.flatMap((u) => u.children('TxInf'));
  if (underlying.length !== 1 || transactions.length !== 1) {
    r.fail(
      `${root.path}/Undrlyg/TxInf`,
      transactions.length === 0 ? 'CH21' : 'CH16',
      'must appear exactly once',
    );
    return refused(assignmentId);
  }
  const tx = transactions[0]!;
  const cancellationId = r.text(tx, 'CxlId', 35, true);
  const group = r.one(tx, 'OrgnlGrpInf', true);
  const originalMsgId = r.text(group, 'OrgnlMsgId', 35);
  const originalMessageName = r.text(group, 'OrgnlMsgNmId', 35);
  const endToEndId = r.text(tx, 'OrgnlEndToEndId', 35, true);
  const paymentId = r.uetr(tx, 'OrgnlUETR');
  const reasonInfo = r.one(tx, 'CxlRsnInf', true);
  let reason: string | null = null;
  if (reasonInfo !== null) {
    const why = r.one(reasonInfo, 'Rsn', true);
    const code = why === null ? null : (r.text(why, 'Cd', 4, true) ?? r.text(why, 'Prtry', 35, true));
    const text = reasonInfo
      .children('AddtlInf')
      .map((a) => a.text())
      .filter((t) => t.length > 0)
      .join(' ');
    reason = [code, text].filter((p) => p !== null && p !== '').join(': ') || null;
  }
  reason ??= `camt.056 ${assignmentId ?? ''}`.trim();
  if (reason.length > 140)
    r.fail(`${tx.path}/CxlRsnInf`, 'CH16', 'the reason and its AddtlInf must fit in 140 characters');
  if (r.errors.length > 0) return refused(assignmentId, paymentId, endToEndId);
  return {
    ok: true,
    request: {
      messageName,
      assignmentId: assignmentId!,
      assigner: assigner!,
      cancellationId,
      originalMsgId,
      originalMessageName,
      endToEndId,
      paymentId: paymentId!,
      reason,
    },
  };
}
