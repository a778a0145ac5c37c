import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Institution, Jurisdiction } from '../domain/institution.js';
import { InstitutionsSequencedModule } from '../institutions.sequenced-module.js';

/** The public directory: who takes part and which public key each signs with. */
export class ListInstitutionsQuery {
  constructor(readonly filter: { readonly jurisdiction?: string; readonly kind?: string }) {}
}

export class GetInstitutionQuery {
  constructor(readonly id: string) {}
}

export class ListJurisdictionsQuery {}

@QueryHandler(ListInstitutionsQuery)
export class ListInstitutionsHandler implements IQueryHandler<ListInstitutionsQuery> {
  constructor(private readonly institutions: InstitutionsSequencedModule) {}

  async execute({ filter }: ListInstitutionsQuery): Promise<Institution[]> {
    return [...this.institutions.state.institutions.values()]
      .filter((i) => filter.jurisdiction === undefined || i.jurisdiction === filter.jurisdiction)
      .filter((i) => filter.kind === undefined || i.kind === filter.kind)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

@QueryHandler(GetInstitutionQuery)
export class GetInstitutionHandler implements IQueryHandler<GetInstitutionQuery> {
  constructor(private readonly institutions: InstitutionsSequencedModule) {}

  async execute({ id }: GetInstitutionQuery): Promise<Institution | undefined> {
    return this.institutions.state.institutions.get(id);
  }
}

@QueryHandler(ListJurisdictionsQuery)
export class ListJurisdictionsHandler implements IQueryHandler<ListJurisdictionsQuery> {
  constructor(private readonly institutions: InstitutionsSequencedModule) {}

  async execute(): Promise<Jurisdiction[]> {
    return [...this.institutions.state.jurisdictions.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  }
}
