import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { isoFromNs } from '../../platform/clock/clock.js';
import { Database } from '../../platform/database/database.js';
import { ProblemException } from '../../platform/http/problem.js';
import { parseId } from '../../ledger/domain/id.js';
import { paymentStreamId } from '../domain/payments.events.js';
import { maySeePayment } from '../payment-access.js';
import { paymentView, type PaymentRow } from '../payment.view.js';

export class GetPaymentQuery {
  constructor(
    /** As given (a path segment): anything but a UUID is simply not found. */
    readonly id: string,
    readonly caller: CallerInstitution,
    /** With the payment's events, oldest first. */
    readonly withTimeline: boolean,
  ) {}
}

export function paymentNotFound(id: string): ProblemException {
  return ProblemException.notFound('payment_not_found', `No payment ${id} within the caller's reach.`);
}

/** A payment and its timeline, to whoever may see it; to anyone else, the same 404 as for none. */
@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery> {
  constructor(private readonly database: Database) {}

  async execute({ id: given, caller, withTimeline }: GetPaymentQuery) {
    const id = parseId(given);
    if (id === null) throw paymentNotFound(given);
    const [row] = (await this.database.dataSource.query('select * from payments where id = $1', [
      id,
    ])) as PaymentRow[];
    if (row === undefined || !maySeePayment(caller, row)) throw paymentNotFound(id);
    const view = paymentView(row);
    if (!withTimeline) return view;
    const events = (await this.database.dataSource.query(
      `select global_position::text as position, type, data, metadata->>'actor' as actor, recorded_at
       from events where stream_id = $1 order by global_position`,
      [paymentStreamId(id)],
    )) as Array<{
      position: string;
      type: string;
      data: Record<string, unknown>;
      actor: string;
      recorded_at: Date;
    }>;
    return {
      ...view,
      timeline: events.map((e) => ({
        type: e.type,
        at: typeof e.data.at === 'string' ? isoFromNs(BigInt(e.data.at)) : e.recorded_at.toISOString(),
        position: e.position,
        actor: e.actor,
        data: e.data,
      })),
    };
  }
}
