/**
 * Where the summary views get their figures: the cross-border flows by corridor, the supply of
 * the jurisdiction's currency, and the freezes and refusals. All of it is computed here from the
 * audit events the caller may read (GET /v1/audit/events), so it is scoped exactly as the log
 * is. When the service offers the figures itself (GET /v1/audit/flows, GET /v1/audit/supply), only
 * this module changes: the views take the shapes returned here.
 */
import { sumMinor } from './money.mjs';

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

/** A corridor's id (`CN-HK`) for a pair of jurisdictions, from the corridors the service lists. */
async function corridorNames(api) {
  const names = new Map();
  try {
    const { corridors } = await api.get('/v1/corridors');
    for (const corridor of corridors) names.set(corridor.id.split('-').sort().join('-'), corridor.id);
  } catch {
    // Not fatal: the pair itself names the corridor.
  }
  return (a, b) => names.get([a, b].sort().join('-')) ?? [a, b].sort().join('-');
}

/**
 * Settled cross-border payments touching `home` (a jurisdiction), by corridor: outbound (paid
 * from `home`, in the currency sold) and inbound (paid into `home`, in the currency bought).
 * `range`: `{ fromPosition, toPosition }`, optional.
 *
 * Returns `{ corridors: [{ corridor, counterpart, outbound: { count, byCurrency }, inbound: ... }],
 * truncated }` with amounts as BigInt minor units per currency.
 */
export async function loadFlows(api, home, range = {}) {
  const [{ items, truncated }, nameOf] = await Promise.all([
    api.all('/v1/audit/events', { type: 'PaymentSettled', ...range }),
    corridorNames(api),
  ]);
  const byCorridor = new Map();
  const side = () => ({ count: 0, byCurrency: new Map() });
  const add = (flow, currency, amountMinor) => {
    flow.count += 1;
    flow.byCurrency.set(currency, (flow.byCurrency.get(currency) ?? 0n) + BigInt(amountMinor));
  };
  for (const event of items) {
    // The payment's own jurisdictions, payer's first (PaymentSettled data.jurisdictions).
    const [payer, payee = payer] = event.data.jurisdictions ?? [];
    if (payer === payee) continue; // domestic: not a flow across a border
    const counterpart = payer === home ? payee : payer;
    const corridor = nameOf(payer, payee);
    if (!byCorridor.has(corridor)) {
      byCorridor.set(corridor, { corridor, counterpart, outbound: side(), inbound: side() });
    }
    const flows = byCorridor.get(corridor);
    if (payer === home) add(flows.outbound, event.data.sell.currency, event.data.sell.amountMinor);
    if (payee === home) add(flows.inbound, event.data.buy.currency, event.data.buy.amountMinor);
  }
  const corridors = [...byCorridor.values()].sort((a, b) => a.corridor.localeCompare(b.corridor));
  return { corridors, truncated };
}

/**
 * The supply of `currency` as the log records it up to `toPosition` (all of it when absent):
 * every issuance and redemption (CbdcIssued, CbdcRedeemed), in total and by bank.
 *
 * Returns `{ issued, redeemed, outstanding, byBank: [{ bank, issued, redeemed, outstanding }],
 * events, truncated }`, amounts as BigInt minor units.
 */
export async function loadSupply(api, currency, toPosition) {
  const { items, truncated } = await api.all('/v1/audit/events', {
    type: 'CbdcIssued,CbdcRedeemed',
    toPosition,
  });
  const mine = items.filter((e) => e.data.currency === currency);
  const banks = new Map();
  for (const event of mine) {
    const bank = banks.get(event.data.bankId) ?? { bank: event.data.bankId, issued: [], redeemed: [] };
    (event.type === 'CbdcIssued' ? bank.issued : bank.redeemed).push(event.data.amount);
    banks.set(event.data.bankId, bank);
  }
  const byBank = [...banks.values()]
    .map((b) => {
      const issued = sumMinor(b.issued);
      const redeemed = sumMinor(b.redeemed);
      return { bank: b.bank, issued, redeemed, outstanding: issued - redeemed };
    })
    .sort((a, b) => a.bank.localeCompare(b.bank));
  const issued = byBank.reduce((t, b) => t + b.issued, 0n);
  const redeemed = byBank.reduce((t, b) => t + b.redeemed, 0n);
  return { issued, redeemed, outstanding: issued - redeemed, byBank, events: mine.length, truncated };
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
