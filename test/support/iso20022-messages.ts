import { randomUUID } from 'node:crypto';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { Signer, TestApp, TestResponse } from './test-app.js';

/**
 * ISO 20022 messages as a bank's back office would build them (with the XML library, never by
 * string concatenation), and their answers read back, for the integration tests.
 */
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true });
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Our answers use a default namespace (no prefixes); keeping xmlns lets a test check it.
  removeNSPrefix: false,
  parseTagValue: false,
  isArray: (name) => ['Ntry', 'Bal', 'StsRsnInf', 'AddtlInf'].includes(name),
});

const NS = 'urn:iso:std:iso:20022:tech:xsd:';

export function isoDocument(message: string, root: string, content: object): string {
  return builder.build({
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    Document: { '@xmlns': `${NS}${message}`, [root]: content },
  }) as string;
}

export const agent = (id: string) => ({ FinInstnId: { Othr: { Id: id } } });

export interface CreditTransferFields {
  from: string;
  to: string;
  amount?: string;
  currency?: string;
  uetr?: string;
  endToEndId?: string;
  msgId?: string;
  debtorName?: string;
  creditorName?: string;
  debtorWallet?: string;
  purpose?: string;
  remittance?: string;
}

/** A pacs.008.001.08 with one transaction (fields left undefined are left out). */
export function pacs008(f: CreditTransferFields): {
  xml: string;
  uetr: string;
  endToEndId: string;
  msgId: string;
} {
  const tx = customerTransaction(f);
  const msgId = f.msgId ?? `MSG-${tx.uetr.slice(0, 8)}`;
  return { xml: pacs008Document(msgId, [tx.content]), uetr: tx.uetr, endToEndId: tx.endToEndId, msgId };
}

/**
 * A pacs.008.001.08 with one CdtTrfTxInf per entry of `transactions`, in order; `count` overrides
 * GrpHdr/NbOfTxs (a message that miscounts).
 */
export function pacs008Many(
  msgId: string,
  transactions: readonly CreditTransferFields[],
  count?: string,
): { xml: string; transactions: Array<{ uetr: string; endToEndId: string }> } {
  const txs = transactions.map(customerTransaction);
  return {
    xml: pacs008Document(
      msgId,
      txs.map((t) => t.content),
      count,
    ),
    transactions: txs.map(({ uetr, endToEndId }) => ({ uetr, endToEndId })),
  };
}

function pacs008Document(msgId: string, transactions: object[], count?: string): string {
  return isoDocument('pacs.008.001.08', 'FIToFICstmrCdtTrf', {
    GrpHdr: {
      MsgId: msgId,
      CreDtTm: '2026-03-10T10:00:00+08:00',
      NbOfTxs: count ?? String(transactions.length),
      SttlmInf: { SttlmMtd: 'CLRG' },
    },
    CdtTrfTxInf: transactions.length === 1 ? transactions[0] : transactions,
  });
}

function customerTransaction(f: CreditTransferFields): { uetr: string; endToEndId: string; content: object } {
  const uetr = f.uetr ?? randomUUID();
  const endToEndId = f.endToEndId ?? `E2E-${uetr.slice(0, 8)}`;
  return {
    uetr,
    endToEndId,
    content: {
      PmtId: { InstrId: f.msgId ?? `MSG-${uetr.slice(0, 8)}`, EndToEndId: endToEndId, UETR: uetr },
      IntrBkSttlmAmt: { '@Ccy': f.currency ?? 'CNY', '#text': f.amount ?? '1000.00' },
      IntrBkSttlmDt: '2026-03-10',
      ChrgBr: 'DEBT',
      Dbtr: f.debtorName === undefined ? {} : { Nm: f.debtorName },
      DbtrAcct: f.debtorWallet === undefined ? undefined : { Id: { Othr: { Id: f.debtorWallet } } },
      DbtrAgt: agent(f.from),
      CdtrAgt: agent(f.to),
      Cdtr: f.creditorName === undefined ? {} : { Nm: f.creditorName },
      Purp: { Cd: f.purpose ?? 'GDDS' },
      RmtInf: f.remittance === undefined ? undefined : { Ustrd: f.remittance },
    },
  };
}

/** A pacs.009.001.08: bank to bank, the banks as debtor and creditor. */
export function pacs009(f: CreditTransferFields): {
  xml: string;
  uetr: string;
  endToEndId: string;
  msgId: string;
} {
  const uetr = f.uetr ?? randomUUID();
  const endToEndId = f.endToEndId ?? `E2E-${uetr.slice(0, 8)}`;
  const msgId = f.msgId ?? `MSG-${uetr.slice(0, 8)}`;
  const xml = isoDocument('pacs.009.001.08', 'FICdtTrf', {
    GrpHdr: {
      MsgId: msgId,
      CreDtTm: '2026-03-10T10:00:00+08:00',
      NbOfTxs: '1',
      SttlmInf: { SttlmMtd: 'CLRG' },
    },
    CdtTrfTxInf: {
      PmtId: { EndToEndId: endToEndId, UETR: uetr },
      PmtTpInf: { InstrPrty: 'HIGH' },
      IntrBkSttlmAmt: { '@Ccy': f.currency ?? 'CNY', '#text': f.amount ?? '100.00' },
      Dbtr: agent(f.from),
      Cdtr: agent(f.to),
      Purp: { Prtry: f.purpose ?? 'Liquidity transfer' },
    },
  });
  return { xml, uetr, endToEndId, msgId };
}

/** A camt.056.001.08 asking to cancel payment `uetr`. */
export function camt056(f: { from: string; uetr: string; assignmentId?: string; reason?: string }): string {
  return isoDocument('camt.056.001.08', 'FIToFIPmtCxlReq', {
    Assgnmt: {
      Id: f.assignmentId ?? `CXL-${randomUUID().slice(0, 8)}`,
      Assgnr: { Agt: agent(f.from) },
      Assgne: { Agt: agent('OPERATOR') },
      CreDtTm: '2026-03-10T10:05:00+08:00',
    },
    Undrlyg: {
      TxInf: {
        CxlId: 'CXL-1',
        OrgnlEndToEndId: 'E2E-1',
        OrgnlUETR: f.uetr,
        CxlRsnInf: { Rsn: { Cd: 'CUST' }, AddtlInf: f.reason ?? 'customer changed their mind' },
      },
    },
  });
}

export function postXml(app: TestApp, path: string, xml: string, as: Signer): Promise<TestResponse> {
  return app.request('POST', path, xml, { 'content-type': 'application/xml' }, { as });
}

/** An answer's Document: its namespace and its single message element. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readAnswer(response: TestResponse): { namespace: string; message: any } {
  const document = parser.parse(response.text).Document;
  const { '@xmlns': namespace, ...rest } = document;
  const [name] = Object.keys(rest);
  return { namespace, message: rest[name!] };
}
