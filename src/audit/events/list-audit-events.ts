import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { ProblemException } from '../../platform/http/problem.js';
import { addScope } from '../audit-access.js';
import { AUDIT_EVENT_COLUMNS, auditEventView, type AuditEventRow } from './audit-event.view.js';
import { EventProofs } from './event-proofs.js';

export interface AuditEventsFilter {
  readonly institution: string | null;
  readonly types: readonly string[] | null;
  /** Both jurisdictions of a corridor id such as CN-HK. */
  readonly corridor: readonly [string, string] | null;
  readonly paymentId: string | null;
  /** Recorded at or after / before (exclusive). */
  readonly from: Date | null;
  readonly to: Date | null;
  /** Inclusive position bounds. */
  readonly fromPosition: bigint | null;
  readonly toPosition: bigint | null;
  readonly order: 'asc' | 'desc';
  /** Exclusive: the previous page's nextCursor. */
  readonly after: bigint | null;
  readonly limit: number;
}

export class ListAuditEventsQuery {
  constructor(
    readonly filter: AuditEventsFilter,
    readonly caller: CallerInstitution,
  ) {}
}

export class GetAuditEventQuery {
  constructor(
    readonly position: bigint,
    readonly caller: CallerInstitution,
  ) {}
}

/** The WHERE clause of a filtered, scoped read of the log (shared by the list and the exports). */
export function auditEventsWhere(
  filter: Omit<AuditEventsFilter, 'order' | 'after' | 'limit'>,
  caller: CallerInstitution,
  params: unknown[],
): string[] {
  const where: string[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  addScope(caller, where, params);
  if (filter.institution !== null) add((n) => `e.institutions @> array[${n}::text]`, filter.institution);
  if (filter.types !== null) add((n) => `e.type = any(${n}::text[])`, filter.types);
  if (filter.corridor !== null) add((n) => `e.jurisdictions @> ${n}::text[]`, filter.corridor);
  if (filter.paymentId !== null) {
    params.push(`payment-${filter.paymentId}`, filter.paymentId);
    where.push(`(e.stream_id = $${params.length - 1} or e.data->>'paymentId' = $${params.length})`);
  }
  if (filter.from !== null) add((n) => `e.recorded_at >= ${n}`, filter.from);
  if (filter.to !== null) add((n) => `e.recorded_at < ${n}`, filter.to);
  if (filter.fromPosition !== null) add((n) => `e.global_position >= ${n}`, filter.fromPosition.toString());
  if (filter.toPosition !== null) add((n) => `e.global_position <= ${n}`, filter.toPosition.toString());
  return where;
}

/** The events of the log the caller may see, filtered, a page at a time, each with its proof. */
@QueryHandler(ListAuditEventsQuery)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEventsQuery> {
  constructor(
    private readonly database: Database,
    private readonly proofs: EventProofs,
  ) {}

  async execute({ filter, caller }: ListAuditEventsQuery) {
    const params: unknown[] = [];
    const where = auditEventsWhere(filter, caller, params);
    if (filter.after !== null) {
      params.push(filter.after.toString());
      where.push(`e.global_position ${filter.order === 'asc' ? '>' : '<'} $${params.length}`);
    }
    params.push(filter.limit + 1);
    const rows = (await this.database.dataSource.query(
      `select ${AUDIT_EVENT_COLUMNS} from events e ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
        order by e.global_position ${filter.order} limit $${params.length}`,
      params,
    )) as AuditEventRow[];
    const page = rows.slice(0, filter.limit);
    const proofs = await this.proofs.proofsFor(page);
    return {
      items: page.map((row) => auditEventView(row, proofs.get(row.global_position) ?? null)),
      nextCursor: rows.length > filter.limit ? page.at(-1)!.global_position : null,
    };
  }
}

/** One event, if the caller may see it; otherwise 404, as for a position that does not exist. */
@QueryHandler(GetAuditEventQuery)
export class GetAuditEventHandler implements IQueryHandler<GetAuditEventQuery> {
  constructor(
    private readonly database: Database,
    private readonly proofs: EventProofs,
  ) {}

  async execute({ position, caller }: GetAuditEventQuery) {
    const params: unknown[] = [position.toString()];
    const where = ['e.global_position = $1'];
    addScope(caller, where, params);
    const rows = (await this.database.dataSource.query(
      `select ${AUDIT_EVENT_COLUMNS} from events e where ${where.join(' and ')}`,
      params,
    )) as AuditEventRow[];
    if (rows.length === 0) {
      throw new ProblemException({
        code: 'event_not_found',
        status: 404,
        title: 'No such event',
        detail: `There is no event at position ${position} that you may read.`,
      });
    }
    const proofs = await this.proofs.proofsFor(rows);
    return auditEventView(rows[0]!, proofs.get(rows[0]!.global_position) ?? null);
  }
}
