import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { paymentScope } from '../payment-access.js';
import { paymentView, type PaymentRow } from '../payment.view.js';

export interface PaymentsFilter {
  /** Payments this bank is party to (payer, payee or provider). */
  readonly bank: string | null;
  readonly corridor: string | null;
  readonly status: string | null;
  /** Received at or after / before (exclusive), ms since the epoch. */
  readonly from: Date | null;
  readonly to: Date | null;
  readonly limit: number;
  /** Exclusive: the previous page's nextCursor (a received position); newest first. */
  readonly after: bigint | null;
}

export class ListPaymentsQuery {
  constructor(
    readonly filter: PaymentsFilter,
    readonly caller: CallerInstitution,
  ) {}
}

/** Payments within the caller's reach, newest first, a page at a time. */
@QueryHandler(ListPaymentsQuery)
export class ListPaymentsHandler implements IQueryHandler<ListPaymentsQuery> {
  constructor(private readonly database: Database) {}

  async execute({ filter, caller }: ListPaymentsQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    const scope = paymentScope(caller);
    if (scope !== null) add((n) => `p.${scope.column} @> array[${n}::text]`, scope.value);
    if (filter.bank !== null) add((n) => `p.parties @> array[${n}::text]`, filter.bank);
    if (filter.corridor !== null) add((n) => `p.corridor_id = ${n}`, filter.corridor);
    if (filter.status !== null) add((n) => `p.status = ${n}`, filter.status);
    if (filter.from !== null) add((n) => `p.received_at >= ${n}`, filter.from);
    if (filter.to !== null) add((n) => `p.received_at < ${n}`, filter.to);
    if (filter.after !== null) add((n) => `p.received_position < ${n}`, filter.after.toString());
    params.push(filter.limit + 1);
    const rows = (await this.database.dataSource.query(
      `select * from payments p ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
       order by p.received_position desc limit $${params.length}`,
      params,
    )) as PaymentRow[];
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map(paymentView),
      nextCursor: rows.length > filter.limit ? page.at(-1)!.received_position : null,
    };
  }
}
