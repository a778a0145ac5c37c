import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { maySeePayment } from '../payment-access.js';
import { paymentView, type PaymentRow } from '../payment.view.js';

/** Several payments by id (UUIDs), as `GET /v1/payments/{id}` shows each, in one read. */
export class GetPaymentsQuery {
  constructor(
    readonly ids: readonly string[],
    readonly caller: CallerInstitution,
  ) {}
}

/** The views of those the caller may see, by id; the others are simply absent. */
@QueryHandler(GetPaymentsQuery)
export class GetPaymentsHandler implements IQueryHandler<GetPaymentsQuery> {
  constructor(private readonly database: Database) {}

  async execute({ ids, caller }: GetPaymentsQuery): Promise<Map<string, ReturnType<typeof paymentView>>> {
    const views = new Map<string, ReturnType<typeof paymentView>>();
    if (ids.length === 0) return views;
    const rows = (await this.database.dataSource.query('select * from payments where id = any($1::uuid[])', [
      ids,
    ])) as PaymentRow[];
    for (const row of rows) if (maySeePayment(caller, row)) views.set(row.id, paymentView(row));
    return views;
  }
}
