import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { maySeePayment } from '../payment-access.js';
import { paymentView, type PaymentRow } from '../payment.view.js';
import { PaymentsSequencedModule } from '../payments.sequenced-module.js';

/**
 * Payments by id (UUIDs), as `GET /v1/payments/{id}` shows each (without the timeline): what a
 * submission answers once its payment has committed. Each row is taken from the rows its batch's
 * commit wrote (WrittenPayments), so a submission's answer needs no read; only the others (a
 * replayed key's payment) are read from the table.
 */
export class GetPaymentsQuery {
  constructor(
    readonly ids: readonly string[],
    readonly caller: CallerInstitution,
  ) {}
}

export type PaymentView = ReturnType<typeof paymentView>;

interface Waiting {
  readonly ids: readonly string[];
  resolve(rows: Map<string, PaymentRow>): void;
  reject(error: unknown): void;
}

/**
 * The views of those the caller may see, by id; the others are simply absent.
 *
 * Rows not among those written (see GetPaymentsQuery) are read. The queries of one turn of the event loop are read together, in one statement: the sequencer
 * answers a whole committed batch at once, so the submissions it carried (tens under load) would
 * otherwise each take a pooled connection and a round trip, competing with the next commit for
 * the pool, just to read rows that were written together.
 */
@QueryHandler(GetPaymentsQuery)
export class GetPaymentsHandler implements IQueryHandler<GetPaymentsQuery> {
  private waiting: Waiting[] = [];

  constructor(
    private readonly database: Database,
    private readonly payments: PaymentsSequencedModule,
  ) {}

  async execute({ ids, caller }: GetPaymentsQuery): Promise<Map<string, PaymentView>> {
    const views = new Map<string, PaymentView>();
    if (ids.length === 0) return views;
    const rows = new Map<string, PaymentRow>();
    const missing: string[] = [];
    for (const id of ids) {
      if (rows.has(id)) continue;
      const row = this.payments.written.take(id);
      if (row === undefined) missing.push(id);
      else rows.set(id, row);
    }
    if (missing.length > 0) {
      const read = await new Promise<Map<string, PaymentRow>>((resolve, reject) => {
        this.waiting.push({ ids: missing, resolve, reject });
        if (this.waiting.length === 1) setImmediate(() => void this.read());
      });
      for (const id of missing) {
        const row = read.get(id);
        if (row !== undefined) rows.set(id, row);
      }
    }
    for (const id of ids) {
      const row = rows.get(id);
      if (row !== undefined && maySeePayment(caller, row)) views.set(id, paymentView(row));
    }
    return views;
  }

  private async read(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    try {
      const ids = [...new Set(waiting.flatMap((w) => w.ids))];
      const rows = (await this.database.dataSource.query(
        'select * from payments where id = any($1::uuid[])',
        [ids],
      )) as PaymentRow[];
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const w of waiting) w.resolve(byId);
    } catch (error) {
      for (const w of waiting) w.reject(error);
    }
  }
}
