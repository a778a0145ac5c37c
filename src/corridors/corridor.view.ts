import { isoFromNs } from '../platform/clock/clock.js';
import { amountView } from '../ledger/read-model/ledger.views.js';
import type { Corridor } from './domain/corridor.js';
import { outflowToday } from './domain/corridors.decider.js';
import type { CorridorsState } from './domain/corridors.state.js';

export function corridorView(corridor: Corridor, state: CorridorsState, now: bigint) {
  const money = (minor: bigint | null, currency: string) =>
    minor === null ? null : { currency, ...amountView(minor, currency) };
  return {
    id: corridor.id,
    open: corridor.sides.every((s) => s.suspension === null),
    openedAt: isoFromNs(corridor.openedAt),
    sides: corridor.sides.map((s) => ({
      jurisdiction: s.jurisdiction,
      currency: s.currency,
      timeZone: s.timeZone,
      hours: s.hours,
      maxPayment: money(s.maxPaymentMinor, s.currency),
      dailyOutboundQuota: money(s.dailyOutboundQuotaMinor, s.currency),
      outboundToday: money(outflowToday(state, corridor.id, s, now), s.currency),
      fee: { fixed: money(s.fee.fixedMinor, s.currency), bps: s.fee.bps },
      suspension:
        s.suspension === null
          ? null
          : { reason: s.suspension.reason, by: s.suspension.by, at: isoFromNs(s.suspension.at) },
    })),
  };
}
