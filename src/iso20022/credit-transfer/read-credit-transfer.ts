import { findCurrency, parseAmount } from '../../ledger/index.js';
import {
  MAX_BATCH_PAYMENTS,
  type SubmitPaymentRequest,
} from '../../payments/commands/submit-payment.request.js';
import type { IsoDocument } from '../xml/iso-xml.js';
import { MessageReader, type MessageError } from '../xml/message-reader.js';
import type { XmlElement } from '../xml/xml-element.js';

/** The two credit transfers the platform accepts, and what differs between them. */
export const CREDIT_TRANSFERS = {
  /** FIToFICustomerCreditTransfer: customers (names, wallets) behind the two agents. */
  'pacs.008': { root: 'FIToFICstmrCdtTrf', expected: 'pacs.008.001.08' },
  /** FinancialInstitutionCreditTransfer: the debtor and creditor are the banks themselves. */
  'pacs.009': { root: 'FICdtTrf', expected: 'pacs.009.001.08' },
} as const;
export type CreditTransferKind = keyof typeof CREDIT_TRANSFERS;

/** A credit transfer read into the same request POST /v1/payments builds, plus its ISO identity. */
export interface CreditTransfer {
  readonly messageName: string;
  readonly msgId: string;
  readonly endToEndId: string;
  /** The payment id, and the message's idempotency key. */
  readonly uetr: string;
  /** The institution that instructs the payment: it must be the signer. */
  readonly debtorAgent: string;
  readonly request: Omit<SubmitPaymentRequest, 'payer'> & {
    readonly payer: { readonly wallet: string | null; readonly name: string | null };
  };
}

export type CreditTransferReading =
  | { readonly ok: true; readonly transfers: readonly CreditTransfer[] }
  | {
      readonly ok: false;
      readonly messageName: string;
      readonly msgId: string | null;
      readonly endToEndId: string | null;
      readonly uetr: string | null;
      readonly errors: readonly MessageError[];
    };

/** Transactions one message may carry: as many payments as POST /v1/payments/batch takes. */
export const MAX_TRANSACTIONS = MAX_BATCH_PAYMENTS;
const TEXT_MAX = 140; // Max140Text, and our own limit for names, purpose and remittance information
const ISO_AMOUNT = /^[0-9]{1,18}(\.[0-9]{1,5})?$/; // ActiveCurrencyAndAmount: 18 digits, 5 decimals at most

/**
 * pacs.008 / pacs.009 → SubmitPayment, field by field (docs/iso20022.md has the table), one per
 * CdtTrfTxInf (1 to MAX_TRANSACTIONS of them). Every problem is collected with its ISO reason
 * code; any problem in any transaction and the message is refused whole, nothing submitted.
 */
export function readCreditTransfer(kind: CreditTransferKind, xml: IsoDocument): CreditTransferReading {
  const { root: rootName, expected } = CREDIT_TRANSFERS[kind];
  const r = new MessageReader();
  const messageName = xml.messageName ?? expected;
  const refused = (ids: { msgId?: string | null; endToEndId?: string | null; uetr?: string | null } = {}) =>
    ({
      ok: false,
      messageName,
      msgId: ids.msgId ?? null,
      endToEndId: ids.endToEndId ?? null,
      uetr: ids.uetr ?? null,
      errors: r.errors,
    }) as const;

  if (xml.document.path !== '/Document' || !xml.messageName?.startsWith(`${kind}.001.`)) {
    r.fail(
      xml.document.path,
      'FF01',
      `must be a ${kind} Document in namespace urn:iso:std:iso:20022:tech:xsd:${kind}.001.NN (got ${xml.namespace ?? 'no namespace'})`,
    );
    return refused();
  }
  const root = r.one(xml.document, rootName);
  if (root === null) {
    r.errors.splice(0, r.errors.length, {
      path: `/Document/${rootName}`,
      reason: 'FF01',
      detail: 'is missing: not a ' + kind,
    });
    return refused();
  }
  const header = r.one(root, 'GrpHdr');
  const msgId = r.text(header, 'MsgId', 35);
  r.dateTime(header, 'CreDtTm');
  const transactions = root.children('CdtTrfTxInf');
  const count = r.one(header, 'NbOfTxs');
  if (count !== null && count.text() !== String(transactions.length))
    r.fail(count.path, 'CH16', `must be the number of CdtTrfTxInf in the message (${transactions.length})`);
  if (transactions.length === 0 || transactions.length > MAX_TRANSACTIONS) {
    r.fail(
      `${root.path}/CdtTrfTxInf`,
      transactions.length === 0 ? 'CH21' : 'CH16',
      `must appear 1 to ${MAX_TRANSACTIONS} times`,
    );
    return refused({ msgId });
  }
  const read = transactions.map((tx) => readTransaction(r, kind, tx));
  // One UETR, one payment: a message that names a UETR twice is refused whole (the second
  // instruction could only be a duplicate of the first).
  const seen = new Set<string>();
  read.forEach((t, i) => {
    if (t.uetr === null) return;
    if (seen.has(t.uetr))
      r.fail(
        `${transactions[i]!.path}/PmtId/UETR`,
        'DUPL',
        'names a UETR an earlier transaction of this message names',
      );
    seen.add(t.uetr);
  });
  // A refusal of a one-transaction message names its transaction, as before multi-transaction
  // messages were taken.
  const only = read.length === 1 ? read[0]! : null;
  if (r.errors.length > 0) return refused({ msgId, endToEndId: only?.endToEndId, uetr: only?.uetr });
  return {
    ok: true,
    transfers: read.map((t) => ({
      messageName,
      msgId: msgId!,
      endToEndId: t.endToEndId!,
      uetr: t.uetr!,
      debtorAgent: t.debtorAgent!,
      request: {
        payer: t.payer,
        payee: { bank: t.creditorAgent!, ...t.payee },
        amountMinor: t.amount!.minor,
        currency: t.amount!.currency,
        quoteId: null, // the best route at settlement, as `quote: "best"`
        purpose: t.purpose!,
        remittanceInfo: t.remittanceInfo,
        priority: t.priority!,
        expiresInSeconds: 3_600, // POST /v1/payments' default
      },
    })),
  };
}

/** One CdtTrfTxInf, each field null where it could not be read (the reader holds why). */
function readTransaction(r: MessageReader, kind: CreditTransferKind, tx: XmlElement) {
  const paymentId = r.one(tx, 'PmtId');
  const endToEndId = r.text(paymentId, 'EndToEndId', 35);
  const uetr = r.uetr(paymentId, 'UETR');

  const amount = readAmount(r, tx);
  const priority = readPriority(r, tx);
  const purpose = readPurpose(r, tx);
  const remittanceInfo = readRemittance(r, tx);

  let debtorAgent: string | null;
  let creditorAgent: string | null;
  let payer: { wallet: string | null; name: string | null } = { wallet: null, name: null };
  let payee: { wallet: string | null; name: string | null } = { wallet: null, name: null };
  if (kind === 'pacs.008') {
    debtorAgent = r.institution(tx, 'DbtrAgt');
    creditorAgent = r.institution(tx, 'CdtrAgt');
    payer = { name: readName(r, r.one(tx, 'Dbtr')), wallet: r.wallet(tx, 'DbtrAcct', 'AC01') };
    payee = { name: readName(r, r.one(tx, 'Cdtr')), wallet: r.wallet(tx, 'CdtrAcct', 'AC03') };
  } else {
    // Bank to bank: the debtor and creditor are the banks. Their agents, when named, must be them:
    // the platform's participants settle directly, with no correspondent in between.
    debtorAgent = r.institution(tx, 'Dbtr');
    creditorAgent = r.institution(tx, 'Cdtr');
    const viaDebtor = r.institution(tx, 'DbtrAgt', true);
    const viaCreditor = r.institution(tx, 'CdtrAgt', true);
    if (viaDebtor !== null && debtorAgent !== null && viaDebtor !== debtorAgent)
      r.fail(`${tx.path}/DbtrAgt`, 'RC03', `must be the debtor itself (${debtorAgent}) or left out`);
    if (viaCreditor !== null && creditorAgent !== null && viaCreditor !== creditorAgent)
      r.fail(`${tx.path}/CdtrAgt`, 'RC04', `must be the creditor itself (${creditorAgent}) or left out`);
  }
  return {
    endToEndId,
    uetr,
    amount,
    priority,
    purpose,
    remittanceInfo,
    debtorAgent,
    creditorAgent,
    payer,
    payee,
  };
}

/** IntrBkSttlmAmt: decimal text in the currency of `@Ccy`, to minor units exactly (never a float). */
function readAmount(r: MessageReader, tx: XmlElement): { minor: bigint; currency: string } | null {
  const element = r.one(tx, 'IntrBkSttlmAmt');
  if (element === null) return null;
  const code = element.attribute('Ccy');
  if (code === null || !/^[A-Z]{3}$/.test(code)) {
    r.fail(`${element.path}/@Ccy`, code === null ? 'CH21' : 'CH16', 'must be an ISO 4217 currency code');
    return null;
  }
  const currency = findCurrency(code);
  if (currency === undefined) {
    r.fail(`${element.path}/@Ccy`, 'AM03', `${code} is not a currency on the platform`);
    return null;
  }
  const text = element.text();
  if (!ISO_AMOUNT.test(text)) {
    r.fail(element.path, 'AM12', 'must be a decimal amount such as 1000.00');
    return null;
  }
  // xs:decimal allows leading zeros and trailing fraction zeros; dropping them changes nothing.
  const normal = text
    .replace(/^0+(?=\d)/, '')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
  const parsed = parseAmount(normal, currency, false);
  if (!parsed.ok) {
    const why: Record<string, string> = {
      amount_must_be_positive: 'must be more than zero',
      amount_too_precise: `has more decimals than ${code} has (${currency.exponent})`,
      amount_exceeds_maximum: 'is larger than the ledger holds',
      amount_malformed: 'must be a decimal amount such as 1000.00',
    };
    r.fail(element.path, parsed.error === 'amount_must_be_positive' ? 'AM01' : 'AM12', why[parsed.error]!);
    return null;
  }
  return { minor: parsed.value, currency: code };
}

/** PmtTpInf/InstrPrty: HIGH is our top priority (9), NORM or none our default (5). */
function readPriority(r: MessageReader, tx: XmlElement): number | null {
  const type = r.one(tx, 'PmtTpInf', true);
  const priority = r.code(type, 'InstrPrty', ['HIGH', 'NORM'], true);
  return priority === 'HIGH' ? 9 : 5;
}

/**
 * Purp/Cd (ExternalPurpose1Code, e.g. GDDS) or Purp/Prtry, else PmtTpInf/CtgyPurp. Required:
 * the platform records a purpose for every cross-border payment, as POST /v1/payments does.
 */
function readPurpose(r: MessageReader, tx: XmlElement): string | null {
  const purpose = r.one(tx, 'Purp', true) ?? r.one(r.one(tx, 'PmtTpInf', true), 'CtgyPurp', true);
  if (purpose === null) {
    r.fail(
      `${tx.path}/Purp`,
      'CH21',
      'is required (Cd or Prtry): every cross-border payment states its purpose',
    );
    return null;
  }
  if (purpose.child('Cd') !== null) return r.text(purpose, 'Cd', 4);
  if (purpose.child('Prtry') !== null) return r.text(purpose, 'Prtry', 35);
  r.fail(`${purpose.path}/Cd`, 'CH21', 'is required (or Prtry)');
  return null;
}

/** RmtInf/Ustrd: the unstructured lines, joined; 140 characters in all, as our remittanceInfo. */
function readRemittance(r: MessageReader, tx: XmlElement): string | null {
  const info = r.one(tx, 'RmtInf', true);
  if (info === null) return null;
  const lines = info.children('Ustrd').map((u) => u.text());
  if (lines.length === 0) return null;
  const text = lines.join(' ');
  if (text.trim().length === 0 || text.length > TEXT_MAX) {
    r.fail(`${info.path}/Ustrd`, 'CH16', `must hold 1 to ${TEXT_MAX} characters in all`);
    return null;
  }
  return text;
}

function readName(r: MessageReader, party: XmlElement | null): string | null {
  return r.text(party, 'Nm', TEXT_MAX, true);
}
