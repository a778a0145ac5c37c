import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ProblemException } from '../../platform/http/problem.js';
import { Public } from '../../platform/auth/caller.js';
import {
  INSTITUTION_KINDS,
  JURISDICTION_CODE,
  type Institution,
  type Jurisdiction,
} from '../domain/institution.js';
import { institutionView, jurisdictionView } from '../institution.view.js';
import { GetInstitutionQuery, ListInstitutionsQuery, ListJurisdictionsQuery } from './directory.queries.js';

/** Public: the directory is what clients need to verify quotes and webhooks, and to know whom to pay. */
@Controller('v1')
@Public()
export class DirectoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get('institutions')
  async list(@Query('jurisdiction') jurisdiction?: string, @Query('kind') kind?: string) {
    if (jurisdiction !== undefined && !JURISDICTION_CODE.test(jurisdiction)) {
      throw ProblemException.badRequest(
        'jurisdiction_invalid',
        'jurisdiction must be an ISO 3166-1 alpha-2 code such as CN.',
      );
    }
    if (kind !== undefined && !(INSTITUTION_KINDS as readonly string[]).includes(kind)) {
      throw ProblemException.badRequest(
        'kind_invalid',
        `kind must be one of ${INSTITUTION_KINDS.join(', ')}.`,
      );
    }
    const institutions: Institution[] = await this.queries.execute(
      new ListInstitutionsQuery({ jurisdiction, kind }),
    );
    return { institutions: institutions.map(institutionView) };
  }

  @Get('institutions/:id')
  async get(@Param('id') id: string) {
    const institution: Institution | undefined = await this.queries.execute(new GetInstitutionQuery(id));
    if (institution === undefined)
      throw ProblemException.notFound('institution_unknown', `No institution ${id} is registered.`);
    return institutionView(institution);
  }

  @Get('jurisdictions')
  async jurisdictions() {
    const jurisdictions: Jurisdiction[] = await this.queries.execute(new ListJurisdictionsQuery());
    return { jurisdictions: jurisdictions.map(jurisdictionView) };
  }
}
