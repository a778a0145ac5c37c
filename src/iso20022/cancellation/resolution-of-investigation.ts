import { agentOf, newMessageId } from '../status-report/payment-status-report.js';
import { writeIsoDocument } from '../xml/iso-xml.js';
import { additionalInfo } from '../status-report/reason-codes.js';
import type { CancellationRequest } from './read-cancellation-request.js';

export const CAMT_029 = 'camt.029.001.09';

/**
 * The answer to a camt.056 (ResolutionOfInvestigation): CNCL, the payment is cancelled; RJCR,
 * it is not (our code as the proprietary reason: there is no ISO code for "already settled").
 * The platform is the assigner (it resolved the case), the requesting bank the assignee.
 */
export function resolutionOfInvestigation(
  request: CancellationRequest,
  platform: string,
  outcome:
    | { readonly cancelled: true }
    | { readonly cancelled: false; readonly code: string; readonly detail: string },
  createdAt: string,
): string {
  const status = outcome.cancelled ? 'CNCL' : 'RJCR';
  return writeIsoDocument(CAMT_029, 'RsltnOfInvstgtn', {
    Assgnmt: {
      Id: newMessageId(),
      Assgnr: { Agt: agentOf(platform) },
      Assgne: { Agt: agentOf(request.assigner) },
      CreDtTm: createdAt,
    },
    RslvdCase: { Id: request.assignmentId, Cretr: { Agt: agentOf(request.assigner) } },
    Sts: { Conf: status },
    CxlDtls: {
      TxInfAndSts: {
        CxlStsId: request.cancellationId ?? undefined,
        OrgnlGrpInf:
          request.originalMsgId === null || request.originalMessageName === null
            ? undefined
            : { OrgnlMsgId: request.originalMsgId, OrgnlMsgNmId: request.originalMessageName },
        OrgnlEndToEndId: request.endToEndId ?? undefined,
        OrgnlUETR: request.paymentId,
        TxCxlSts: status,
        CxlStsRsnInf: outcome.cancelled
          ? undefined
          : { Rsn: { Prtry: outcome.code }, AddtlInf: additionalInfo(outcome.detail) },
      },
    },
  });
}
