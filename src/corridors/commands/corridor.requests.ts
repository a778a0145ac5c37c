import { BodyReader } from '../../platform/http/body-reader.js';
import { findCurrency } from '../../ledger/domain/currency.js';
import { readAmount } from '../../ledger/commands/read-amount.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import { CORRIDOR_ID, type Fee, type OpeningHours } from '../domain/corridor.js';

export function readCorridorId(r: BodyReader, id: string): [string, string] | null {
  const match = CORRIDOR_ID.exec(id);
  if (match === null || match[1] === match[2]) {
    r.fail(
      '{id}',
      'corridor_id_invalid',
      'must be two different jurisdiction codes joined by "-", e.g. CN-HK',
    );
    return null;
  }
  return [match[1]!, match[2]!];
}

/** PUT /v1/corridors/{id}: `{ fees?: { <jurisdiction>: { fixed | fixedMinor, bps } } }`. */
export function parseOpenCorridor(
  body: unknown,
  id: string,
  institutions: InstitutionsState,
): { jurisdictions: [string, string]; fees: Record<string, Fee> } {
  const r = new BodyReader();
  const jurisdictions = readCorridorId(r, id);
  const o = r.object(body ?? {}, '', ['fees']);
  const fees: Record<string, Fee> = {};
  if (o?.fees !== undefined) {
    const byJurisdiction = r.object(o.fees, '/fees', jurisdictions ?? []);
    for (const [code, value] of Object.entries(byJurisdiction ?? {})) {
      const pointer = `/fees/${code}`;
      const fee = r.object(value, pointer, ['fixed', 'fixedMinor', 'bps']);
      const currencyCode = institutions.jurisdictions.get(code)?.currency;
      if (fee === null) continue;
      if (currencyCode === undefined) {
        r.fail(pointer, 'jurisdiction_unknown', `no central bank has established ${code}`);
        continue;
      }
      const fixed =
        fee.fixed === undefined && fee.fixedMinor === undefined
          ? 0n
          : readAmount(r, fee, findCurrency(currencyCode)!, { name: 'fixed', pointer });
      const bps = r.integer(fee.bps ?? 0, `${pointer}/bps`, 0, 1_000);
      if (fixed !== null && bps !== null) fees[code] = { fixedMinor: fixed, bps };
    }
  }
  r.throwIfInvalid();
  return { jurisdictions: jurisdictions!, fees };
}

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

/** PUT /v1/corridors/{id}/sides/{jurisdiction}: `{ hours, maxPayment(Minor), dailyOutboundQuota(Minor) }`, each null or absent for none. */
export function parseSideRules(body: unknown, currency: string | undefined) {
  const r = new BodyReader();
  const o = r.object(body, '', [
    'hours',
    'maxPayment',
    'maxPaymentMinor',
    'dailyOutboundQuota',
    'dailyOutboundQuotaMinor',
  ]);
  if (o === null) r.throwIfInvalid();
  let hours: OpeningHours | null = null;
  if (o!.hours !== undefined && o!.hours !== null) {
    const h = r.object(o!.hours, '/hours', ['open', 'close', 'days']);
    if (h !== null) {
      const open = r.string(h.open, '/hours/open');
      const close = r.string(h.close, '/hours/close');
      for (const [field, value] of [
        ['open', open],
        ['close', close],
      ] as const) {
        if (value !== null && !HHMM.test(value))
          r.fail(`/hours/${field}`, 'time_invalid', 'must be HH:MM, 00:00 to 24:00');
      }
      if (open !== null && close !== null && HHMM.test(open) && HHMM.test(close) && open >= close)
        r.fail('/hours', 'hours_invalid', 'open must be before close (same day)');
      const days = h.days === undefined ? [1, 2, 3, 4, 5] : r.array(h.days, '/hours/days', 1, 7);
      const valid = (days ?? []).every(
        (d) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7,
      );
      if (!valid || new Set(days).size !== (days ?? []).length)
        r.fail('/hours/days', 'days_invalid', 'must be distinct ISO weekdays, 1 = Monday … 7 = Sunday');
      if (open !== null && close !== null && days !== null)
        hours = { open, close, days: [...(days as number[])].sort() };
    }
  }
  const amount = (name: string): bigint | null => {
    if (o![name] === null || o![`${name}Minor`] === null || currency === undefined) return null;
    return readAmount(r, o!, findCurrency(currency)!, { name, optional: true });
  };
  const maxPaymentMinor = amount('maxPayment');
  const dailyOutboundQuotaMinor = amount('dailyOutboundQuota');
  r.throwIfInvalid();
  return { hours, maxPaymentMinor, dailyOutboundQuotaMinor };
}

export function parseReason(body: unknown): string {
  const r = new BodyReader();
  const o = r.object(body, '', ['reason']);
  const reason = o === null ? null : r.string(o.reason, '/reason');
  if (reason !== null && (reason.trim().length === 0 || reason.length > 500))
    r.fail('/reason', 'reason_invalid', 'must be 1 to 500 characters');
  r.throwIfInvalid();
  return reason!;
}
