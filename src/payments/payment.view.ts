import { amountView } from '../ledger/read-model/ledger.views.js';

/** A row of the payments table as node-postgres returns it (bigints as strings, times as Dates). */
export interface PaymentRow {
  id: string;
  payer_bank: string;
  payer_jurisdiction: string;
  payer_currency: string;
  payer_wallet: string | null;
  payer_name: string | null;
  payee_bank: string;
  payee_jurisdiction: string;
  payee_currency: string;
  payee_wallet: string | null;
  payee_name: string | null;
  corridor_id: string;
  fixed: 'source' | 'target';
  instructed_amount: string;
  instructed_currency: string;
  quote_id: string | null;
  purpose: string;
  remittance_info: string | null;
  priority: number;
  sell_currency: string;
  sell_amount: string | null;
  buy_currency: string;
  buy_amount: string | null;
  fee_currency: string;
  fee_amount: string | null;
  rate: string | null;
  providers: string[];
  parties: string[];
  jurisdictions: string[];
  status: string;
  reason_code: string | null;
  reason_detail: string | null;
  settled_by: string | null;
  set_id: string | null;
  received_at: Date;
  expires_at: Date;
  settled_at: Date | null;
  updated_at: Date;
  received_position: string;
  last_position: string;
}

const money = (minor: string | null, currency: string) =>
  minor === null ? null : { currency, ...amountView(minor, currency) };

/** A payment as the API shows it. Amounts not known yet (the other side of a queued payment) are null. */
export function paymentView(row: PaymentRow) {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason_code === null ? null : { code: row.reason_code, detail: row.reason_detail },
    corridor: row.corridor_id,
    payer: {
      bank: row.payer_bank,
      jurisdiction: row.payer_jurisdiction,
      currency: row.payer_currency,
      wallet: row.payer_wallet,
      name: row.payer_name,
    },
    payee: {
      bank: row.payee_bank,
      jurisdiction: row.payee_jurisdiction,
      currency: row.payee_currency,
      wallet: row.payee_wallet,
      name: row.payee_name,
    },
    fixed: row.fixed,
    instructed: money(row.instructed_amount, row.instructed_currency)!,
    sell: money(row.sell_amount, row.sell_currency),
    buy: money(row.buy_amount, row.buy_currency),
    fee: money(row.fee_amount, row.fee_currency),
    rate: row.rate,
    providers: row.providers,
    quote: row.quote_id,
    settledBy: row.settled_by,
    setId: row.set_id,
    purpose: row.purpose,
    remittanceInfo: row.remittance_info,
    priority: row.priority,
    receivedAt: row.received_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    settledAt: row.settled_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    position: row.last_position,
  };
}
