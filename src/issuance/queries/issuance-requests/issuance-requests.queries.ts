import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../../platform/database/database.js';
import type { CallerInstitution } from '../../../platform/auth/caller.js';
import { ProblemException } from '../../../platform/http/problem.js';
import { forbiddenScope } from '../../../institutions/domain/authorization.js';
import type { IssuanceKind, IssuanceRequest, IssuanceStatus } from '../../domain/issuance.js';
import { IssuanceRequestRecord } from '../../read-model/issuance-request.record.js';
import { issuanceRequestView, type IssuanceRequestView } from '../../issuance.views.js';

/**
 * Who sees which request: the bank that asked, the central bank it asked, the regulators of that
 * jurisdiction, and the operator.
 */
function mayRead(
  caller: CallerInstitution,
  r: { bankId: string; centralBankId: string; jurisdiction: string },
) {
  switch (caller.kind) {
    case 'operator':
      return true;
    case 'central_bank':
      return caller.id === r.centralBankId;
    case 'commercial_bank':
      return caller.id === r.bankId;
    case 'regulator':
      return caller.jurisdiction === r.jurisdiction;
  }
}

export class GetIssuanceRequestQuery {
  constructor(
    readonly id: string,
    readonly caller: CallerInstitution,
  ) {}
}

export interface IssuanceRequestFilter {
  readonly currency?: string;
  readonly status?: IssuanceStatus;
  readonly bank?: string;
  readonly limit: number;
}

export class ListIssuanceRequestsQuery {
  constructor(
    readonly filter: IssuanceRequestFilter,
    readonly caller: CallerInstitution,
  ) {}
}

@QueryHandler(GetIssuanceRequestQuery)
export class GetIssuanceRequestHandler implements IQueryHandler<GetIssuanceRequestQuery> {
  constructor(private readonly database: Database) {}

  async execute({ id, caller }: GetIssuanceRequestQuery): Promise<IssuanceRequestView> {
    const record = await this.database.dataSource.getRepository(IssuanceRequestRecord).findOneBy({ id });
    if (record === null) {
      throw ProblemException.notFound('issuance_request_unknown', `No issuance request ${id} exists.`);
    }
    if (!mayRead(caller, record)) {
      throw new ProblemException(
        forbiddenScope(caller, `request ${id} is ${record.bankId}'s, made to ${record.centralBankId}`),
      );
    }
    return issuanceRequestView(fromRecord(record));
  }
}

@QueryHandler(ListIssuanceRequestsQuery)
export class ListIssuanceRequestsHandler implements IQueryHandler<ListIssuanceRequestsQuery> {
  constructor(private readonly database: Database) {}

  /** Newest first, within what the caller may see. */
  async execute({ filter, caller }: ListIssuanceRequestsQuery): Promise<IssuanceRequestView[]> {
    const query = this.database.dataSource
      .getRepository(IssuanceRequestRecord)
      .createQueryBuilder('r')
      .orderBy('r.requested_position', 'DESC')
      .limit(filter.limit);
    if (caller.kind === 'central_bank') query.andWhere('r.central_bank_id = :me', { me: caller.id });
    if (caller.kind === 'commercial_bank') query.andWhere('r.bank_id = :me', { me: caller.id });
    if (caller.kind === 'regulator') query.andWhere('r.jurisdiction = :j', { j: caller.jurisdiction });
    if (filter.currency !== undefined)
      query.andWhere('r.currency = :currency', { currency: filter.currency });
    if (filter.status !== undefined) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.bank !== undefined) query.andWhere('r.bank_id = :bank', { bank: filter.bank });
    const records = await query.getMany();
    return records.map((record) => issuanceRequestView(fromRecord(record)));
  }
}

function fromRecord(r: IssuanceRequestRecord): IssuanceRequest {
  const ns = (d: Date) => BigInt(d.getTime()) * 1_000_000n;
  return {
    id: r.id,
    kind: r.kind as IssuanceKind,
    bankId: r.bankId,
    centralBankId: r.centralBankId,
    jurisdiction: r.jurisdiction,
    currency: r.currency,
    amount: BigInt(r.amount),
    reference: r.reference,
    status: r.status as IssuanceStatus,
    requestedBy: r.requestedBy,
    requestedAt: ns(r.requestedAt),
    requestSignature: r.requestSignature,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt === null ? null : ns(r.decidedAt),
    decisionSignature: r.decisionSignature,
    declineReason: r.declineReason,
    transferIds: r.transferIds,
  };
}
