/**
 * Where the summary views get their figures: the cross-border flows by corridor
 * (GET /v1/audit/flows), the supply of a currency now or as of a log position
 * (GET /v1/audit/supply), and the freezes and refusals (GET /v1/audit/events). The service
 * computes them over the log, scoped to the caller exactly as the events are; this module only
 * shapes the answers for the views. Amounts stay minor-unit strings or BigInt, never floats.
 */

/** The events that record a refusal or a restriction, and why. */
export const ACTION_TYPES = [
  'PaymentRejected',
  'PaymentExpired',
  'PaymentCancelled',
  'IssuanceDeclined',
  'WalletFrozen',
  'WalletUnfrozen',
  'InstitutionFrozen',
  'InstitutionUnfrozen',
  'CorridorSuspended',
  'CorridorResumed',
];

/**
 * Settled cross-border payments touching `home` (`{ code, currency }`), by corridor, from the
 * service's sums per corridor and currency pair. Outbound: `home`'s currency sold (paid out of
 * `home`); inbound: `home`'s currency bought (paid into it). Each side keeps what the other
 * currency amounted to. `range`: `{ from, to }` (ISO times), optional.
 *
 * Returns `[{ corridor, counterpart, outbound: side, inbound: side }]`, a side being
 * `{ payments, homeMinor, other: [{ currency, minor }] }` with BigInt amounts, sorted by corridor.
 */
export async function loadFlows(api, home, range = {}) {
  const { items } = await api.get('/v1/audit/flows', { from: range.from, to: range.to });
  const side = () => ({ payments: 0, homeMinor: 0n, other: new Map() });
  const add = (s, payments, homeMinor, currency, minor) => {
    s.payments += payments;
    s.homeMinor += BigInt(homeMinor);
    s.other.set(currency, (s.other.get(currency) ?? 0n) + BigInt(minor));
  };
  const byCorridor = new Map();
  for (const row of items) {
    // The corridor is the payment's jurisdictions, sorted (`CN-TH`); one alone is domestic.
    const codes = row.corridor.split('-');
    if (codes.length < 2 || !codes.includes(home.code)) continue;
    if (!byCorridor.has(row.corridor)) {
      byCorridor.set(row.corridor, {
        corridor: row.corridor,
        counterpart: codes.filter((c) => c !== home.code).join(', '),
        outbound: side(),
        inbound: side(),
      });
    }
    const flows = byCorridor.get(row.corridor);
    if (row.sellCurrency === home.currency) {
      add(flows.outbound, row.payments, row.sellMinor, row.buyCurrency, row.buyMinor);
    } else if (row.buyCurrency === home.currency) {
      add(flows.inbound, row.payments, row.buyMinor, row.sellCurrency, row.sellMinor);
    }
  }
  const shape = (s) => ({
    payments: s.payments,
    homeMinor: s.homeMinor,
    other: [...s.other].map(([currency, minor]) => ({ currency, minor })),
  });
  return [...byCorridor.values()]
    .map((c) => ({ ...c, outbound: shape(c.outbound), inbound: shape(c.inbound) }))
    .sort((a, b) => a.corridor.localeCompare(b.corridor));
}

/** What the platform's own accounts are, by ledger code (openapi.yaml, SupplyAsOf). */
export const ACCOUNT_CODES = {
  10: 'CBDC issuance',
  11: 'Reserve issuance',
  12: 'Settlement clearing',
  20: 'Bank reserves',
};

/**
 * The supply of `currency` and where it sat as of log position `asOf` (the head when absent),
 * recomputed by the service from the log. Returns the answer with BigInt amounts and the
 * holdings per bank: `{ currency, asOf, issued, redeemed, outstanding, ledgerSupply,
 * holdings: [{ bank, bankWallets, customerWallets, total, accounts }], byAccountCode:
 * [{ code, name, accounts, balance }] }`.
 */
export async function loadSupply(api, currency, asOf) {
  const answer = await api.get('/v1/audit/supply', { currency, asOf });
  const banks = new Map();
  for (const row of answer.holdings) {
    const bank = banks.get(row.bank) ?? {
      bank: row.bank,
      bankWallets: 0n,
      customerWallets: 0n,
      total: 0n,
      accounts: 0,
    };
    const balance = BigInt(row.balanceMinor);
    if (row.wallets === 'bank') bank.bankWallets += balance;
    else bank.customerWallets += balance;
    bank.total += balance;
    bank.accounts += row.accounts;
    banks.set(row.bank, bank);
  }
  return {
    currency: answer.currency,
    asOf: answer.asOf,
    issued: BigInt(answer.supply.issuedMinor),
    redeemed: BigInt(answer.supply.redeemedMinor),
    outstanding: BigInt(answer.supply.outstandingMinor),
    ledgerSupply: BigInt(answer.ledgerSupplyMinor),
    holdings: [...banks.values()].sort((a, b) => a.bank.localeCompare(b.bank)),
    byAccountCode: answer.byAccountCode.map((a) => ({
      code: a.code,
      name: ACCOUNT_CODES[a.code] ?? `code ${a.code}`,
      accounts: a.accounts,
      balance: BigInt(a.balanceMinor),
    })),
  };
}

/** Freezes, suspensions and refusals the caller may see, newest first, with their reasons. */
export async function loadActions(api) {
  const page = await api.get('/v1/audit/events', { type: ACTION_TYPES.join(','), order: 'desc', limit: 200 });
  return {
    truncated: page.nextCursor !== null,
    actions: page.items.map((event) => ({ event, ...describeAction(event) })),
  };
}

/** What an action was about, who did it and why, from its event's data. */
export function describeAction(event) {
  const d = event.data;
  switch (event.type) {
    case 'PaymentRejected':
      return { subject: `payment ${d.paymentId}`, by: 'the service', reason: `${d.code}: ${d.detail}` };
    case 'PaymentExpired':
      return {
        subject: `payment ${d.paymentId}`,
        by: 'the settlement cycle',
        reason: 'not settled before it expired',
      };
    case 'PaymentCancelled':
      return { subject: `payment ${d.paymentId}`, by: d.by, reason: d.reason };
    case 'IssuanceDeclined':
      return { subject: `issuance to ${d.bankId} (${d.currency})`, by: d.declinedBy, reason: d.reason };
    case 'WalletFrozen':
      return { subject: `wallet ${d.walletId}`, by: d.frozenBy, reason: `${d.reason} (scope: ${d.scope})` };
    case 'WalletUnfrozen':
      return { subject: `wallet ${d.walletId}`, by: d.unfrozenBy, reason: d.reason };
    case 'InstitutionFrozen':
      return {
        subject: `institution ${d.institutionId}`,
        by: d.frozenBy,
        reason: `${d.reason} (scope: ${d.scope})`,
      };
    case 'InstitutionUnfrozen':
      return { subject: `institution ${d.institutionId}`, by: d.unfrozenBy, reason: d.reason };
    case 'CorridorSuspended':
    case 'CorridorResumed':
      return { subject: `corridor ${d.corridorId} (${d.jurisdiction} side)`, by: d.by, reason: d.reason };
    default:
      return { subject: event.streamId, by: event.authorisedBy?.actor ?? '—', reason: '—' };
  }
}
