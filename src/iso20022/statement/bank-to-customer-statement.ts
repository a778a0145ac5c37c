import { createHash } from 'node:crypto';
import { findCurrency, formatMajor } from '../../ledger/index.js';
import { agentOf, newMessageId } from '../status-report/payment-status-report.js';
import { writeIsoDocument, type XmlContent } from '../xml/iso-xml.js';
import type { AccountStatement, StatementEntry } from './account-statement.js';
import { localIso } from './local-day.js';

export const CAMT_053 = 'camt.053.001.08';

/**
 * Bank transaction codes: payments as ISO domain PMNT (issued / received credit transfers,
 * cross-border or domestic); everything else (fees, net settlement, issuance) under our own
 * proprietary code, its TransferCodes name.
 */
function transactionCode(entry: StatementEntry): XmlContent {
  const family = entry.direction === 'debit' ? 'ICDT' : 'RCDT';
  if (entry.kind === 'crossBorderLeg')
    return { Domn: { Cd: 'PMNT', Fmly: { Cd: family, SubFmlyCd: 'XBCT' } } };
  if (entry.kind === 'domesticTransfer')
    return { Domn: { Cd: 'PMNT', Fmly: { Cd: family, SubFmlyCd: 'DMCT' } } };
  return { Prtry: { Cd: entry.kind, Issr: 'yuanbridge' } };
}

/** What an entry belongs to: a payment by its UETR (= payment id), anything else by a proprietary reference. */
function references(entry: StatementEntry): XmlContent | undefined {
  if (entry.reference === null) return undefined;
  if (entry.kind === 'crossBorderLeg' || entry.kind === 'fee') return { UETR: entry.reference };
  const type = entry.kind === 'netSettlement' ? 'settlement-set' : entry.kind;
  return { Prtry: { Tp: type, Ref: entry.reference } };
}

/**
 * camt.053 BankToCustomerStatement for one wallet and one local day: booked opening (OPBD) and
 * closing (CLBD) balances, a summary, and one entry per ledger transfer in or out, in booking order.
 */
export function bankToCustomerStatement(statement: AccountStatement, createdAt: string): string {
  const currency = findCurrency(statement.wallet.currency)!;
  const ccy = statement.wallet.currency;
  const money = (minor: bigint) => formatMajor(minor < 0n ? -minor : minor, currency);
  const indicator = (minor: bigint) => (minor < 0n ? 'DBIT' : 'CRDT');
  const balance = (code: string, minor: bigint): XmlContent => ({
    Tp: { CdOrPrtry: { Cd: code } },
    Amt: { '@Ccy': ccy, '#text': money(minor) },
    CdtDbtInd: indicator(minor),
    Dt: { Dt: statement.date },
  });
  const credits = statement.entries.filter((e) => e.direction === 'credit');
  const debits = statement.entries.filter((e) => e.direction === 'debit');
  const sum = (entries: readonly StatementEntry[]) => entries.reduce((s, e) => s + e.amountMinor, 0n);
  const net = sum(credits) - sum(debits);
  // The same wallet and day always get the same statement id (Max35Text).
  const statementId = `${statement.date.replace(/-/g, '')}${createHash('sha256').update(statement.wallet.id).digest('hex').slice(0, 24)}`;
  return writeIsoDocument(CAMT_053, 'BkToCstmrStmt', {
    GrpHdr: { MsgId: newMessageId(), CreDtTm: createdAt },
    Stmt: {
      Id: statementId,
      CreDtTm: createdAt,
      FrToDt: {
        FrDtTm: localIso(statement.day, statement.day.startMs),
        ToDtTm: localIso(statement.day, statement.day.endMs - 1),
      },
      Acct: {
        Id: { Othr: { Id: statement.wallet.id } },
        Ccy: ccy,
        Ownr:
          statement.wallet.kind === 'customer' && statement.wallet.holderReference !== null
            ? { Id: { PrvtId: { Othr: { Id: statement.wallet.holderReference } } } }
            : { Id: { OrgId: { Othr: { Id: statement.wallet.bank } } } },
        Svcr: agentOf(statement.wallet.bank),
      },
      Bal: [balance('OPBD', statement.openingMinor), balance('CLBD', statement.closingMinor)],
      TxsSummry: {
        TtlNtries: {
          NbOfNtries: String(statement.entries.length),
          Sum: formatMajor(sum(statement.entries), currency),
          TtlNetNtry: { Amt: money(net), CdtDbtInd: indicator(net) },
        },
        TtlCdtNtries: { NbOfNtries: String(credits.length), Sum: formatMajor(sum(credits), currency) },
        TtlDbtNtries: { NbOfNtries: String(debits.length), Sum: formatMajor(sum(debits), currency) },
      },
      Ntry: statement.entries.map((entry): XmlContent => ({
        // The event-log position of the transfer (the ledger transfer id, a UUID, is longer than Max35Text).
        NtryRef: entry.position,
        Amt: { '@Ccy': ccy, '#text': money(entry.amountMinor) },
        CdtDbtInd: entry.direction === 'credit' ? 'CRDT' : 'DBIT',
        Sts: { Cd: 'BOOK' },
        BookgDt: { DtTm: localIso(statement.day, entry.bookedAtMs) },
        ValDt: { Dt: statement.date },
        // The ledger transfer id, hex without hyphens (32 characters).
        AcctSvcrRef: entry.ledgerTransferId.replace(/-/g, ''),
        BkTxCd: transactionCode(entry),
        NtryDtls: { TxDtls: { Refs: references(entry), AddtlTxInf: entry.kind } },
      })),
    },
  });
}
