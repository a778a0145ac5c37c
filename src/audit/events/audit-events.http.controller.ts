import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { INSTITUTION_ID } from '../../institutions/domain/institution.js';
import { CORRIDOR_ID } from '../../corridors/domain/corridor.js';
import { POSITION, QueryReader } from '../../platform/http/query-reader.js';
import { GetAuditEventQuery, ListAuditEventsQuery, type AuditEventsFilter } from './list-audit-events.js';

const EVENT_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const AUDIT_FILTER_PARAMS = [
  'institution',
  'type',
  'corridor',
  'paymentId',
  'from',
  'to',
  'fromPosition',
  'toPosition',
] as const;

/** Reads the filters shared by the event list and the exports. */
export function readAuditFilter(r: QueryReader): Omit<AuditEventsFilter, 'order' | 'after' | 'limit'> {
  const institution = r.text(
    'institution',
    (v) => INSTITUTION_ID.test(v),
    'institution_id_invalid',
    'must be an institution id such as BANKCN1',
  );
  const types = r.text(
    'type',
    (v) => v.split(',').every((t) => EVENT_TYPE.test(t)),
    'event_type_invalid',
    'must be an event type such as PaymentSettled, or several separated by commas',
  );
  const corridor = r.text(
    'corridor',
    (v) => CORRIDOR_ID.test(v),
    'corridor_id_invalid',
    'must be a corridor id such as CN-HK',
  );
  const paymentId = r.text(
    'paymentId',
    (v) => UUID.test(v),
    'payment_id_invalid',
    'must be a lowercase UUID',
  );
  return {
    institution,
    types: types === null ? null : types.split(','),
    corridor: corridor === null ? null : (corridor.split('-') as [string, string]),
    paymentId,
    from: r.time('from'),
    to: r.time('to'),
    fromPosition: r.position('fromPosition'),
    toPosition: r.position('toPosition'),
  };
}

/**
 * The audit trail as events: for regulators, central banks, banks and the operator, each reading
 * only what its scope allows (audit-access.ts), every event with its hash, its inclusion proof
 * against a signed checkpoint and the signature that authorised it.
 */
@Controller('v1/audit/events')
export class AuditEventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@QueryParam() query: Record<string, unknown>, @AuthenticatedCaller() caller: Caller) {
    const r = new QueryReader(query, [...AUDIT_FILTER_PARAMS, 'order', 'after', 'limit']);
    const filter = readAuditFilter(r);
    const order = r.text('order', (v) => v === 'asc' || v === 'desc', 'order_invalid', 'must be asc or desc');
    const after = r.cursor();
    const limit = r.limit(50, 500);
    r.done();
    return this.queries.execute(
      new ListAuditEventsQuery(
        {
          ...filter,
          order: (order ?? 'asc') as 'asc' | 'desc',
          after,
          limit,
        },
        caller.institution,
      ),
    );
  }

  @Get(':position')
  get(@Param('position') position: string, @AuthenticatedCaller() caller: Caller) {
    const r = new QueryReader({}, []);
    if (!POSITION.test(position))
      r.fail('/position', 'position_invalid', 'must be a log position (1 or more)');
    r.done();
    return this.queries.execute(new GetAuditEventQuery(BigInt(position), caller.institution));
  }
}
