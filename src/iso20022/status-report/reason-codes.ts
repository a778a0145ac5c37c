/**
 * Our payment codes (docs/payments.md) → ISO 20022 ExternalStatusReason1Code, for the
 * StsRsnInf of a pacs.002. Our own code always travels too (first AddtlInf), so nothing is lost
 * where the ISO list is coarser; a code with no ISO counterpart is NARR (narrative).
 * The table is docs/iso20022.md's "Reason codes"; keep the two in step.
 */
export const ISO_REASON: Readonly<Record<string, string>> = {
  // Recorded rejections (screening)
  sanctions_hit: 'RR04', // regulatory reason
  outbound_quota_exceeded: 'RR04', // a capital-flow quota is a regulatory limit
  corridor_not_found: 'AG01', // transaction forbidden
  corridor_suspended: 'AG01',
  corridor_closed: 'TM01', // outside the cut-off times
  payment_over_maximum: 'AM02', // not allowed amount
  single_payment_limit_exceeded: 'AM14', // amount exceeds agreed limit (the wallet's tier)
  daily_limit_exceeded: 'AM14',
  annual_limit_exceeded: 'AM14',
  balance_limit_exceeded: 'AM14',
  payer_wallet_missing: 'AC01', // incorrect account number
  payee_wallet_missing: 'AC03', // invalid creditor account number
  sender_frozen: 'AC06', // blocked account
  recipient_frozen: 'AC06',
  // Queued (PDNG)
  awaiting_funds: 'AM04', // insufficient funds
  // Refused, nothing written
  payee_unknown: 'RC04', // invalid creditor agent
  payee_wallet_unknown: 'AC03',
  not_cross_border: 'AG01',
  currency_mismatch: 'CURR', // incorrect currency
  idempotency_key_reused: 'DUPL',
  payment_exists: 'DUPL',
};

export function isoReasonOf(code: string): string {
  return ISO_REASON[code] ?? 'NARR';
}

/** ISO Max105Text pieces (AddtlInf), at most `max` of them. */
export function additionalInfo(text: string, max = 4): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length && pieces.length < max; i += 105) pieces.push(text.slice(i, i + 105));
  return pieces;
}
