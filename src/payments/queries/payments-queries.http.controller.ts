import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { QueryReader } from '../../platform/http/query-reader.js';
import { INSTITUTION_ID } from '../../institutions/domain/institution.js';
import { CORRIDOR_ID } from '../../corridors/domain/corridor.js';
import { GetPaymentQuery } from './get-payment.js';
import { ListPaymentsQuery } from './list-payments.js';

export const PAYMENT_STATUSES = ['queued', 'settled', 'rejected', 'expired', 'cancelled'] as const;

/**
 * Reads of payments, for any signed institution, each scoped to what it may see: a bank the
 * payments it is party to, a central bank or regulator those touching its jurisdiction, the
 * operator all of them.
 */
@Controller('v1/payments')
export class PaymentsQueriesController {
  constructor(private readonly queries: QueryBus) {}

  /** Newest first; `after` is the previous page's `nextCursor`. */
  @Get()
  list(@QueryParam() query: Record<string, unknown>, @AuthenticatedCaller() caller: Caller) {
    const r = new QueryReader(query, ['bank', 'corridor', 'status', 'from', 'to', 'limit', 'after']);
    const bank = r.text(
      'bank',
      (v) => INSTITUTION_ID.test(v),
      'institution_id_invalid',
      'must be an institution id such as BANKCN1',
    );
    const corridor = r.text(
      'corridor',
      (v) => CORRIDOR_ID.test(v),
      'corridor_id_invalid',
      'must be a corridor id such as CN-HK',
    );
    const status = r.text(
      'status',
      (v) => (PAYMENT_STATUSES as readonly string[]).includes(v),
      'status_invalid',
      `must be one of ${PAYMENT_STATUSES.join(', ')}`,
    );
    const from = r.time('from');
    const to = r.time('to');
    const limit = r.limit(100, 1000);
    const after = r.cursor();
    r.done();
    return this.queries.execute(
      new ListPaymentsQuery(
        {
          bank,
          corridor,
          status,
          from,
          to,
          limit,
          after,
        },
        caller.institution,
      ),
    );
  }

  /** The payment and its timeline (its events, in order). */
  @Get(':id')
  get(@Param('id') id: string, @AuthenticatedCaller() caller: Caller) {
    return this.queries.execute(new GetPaymentQuery(id, caller.institution, true));
  }
}
