import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { JsonStateModule, writesNothing } from '../platform/sequencer/json-state-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import type { InstitutionsCommand } from './domain/institutions.commands.js';
import { INSTITUTIONS_COMMAND_TYPES } from './domain/institutions.commands.js';
import { decideInstitutions, evolveInstitutions } from './domain/institutions.decider.js';
import { INSTITUTIONS_EVENT_TYPES, type InstitutionsEvent } from './domain/institutions.events.js';
import { InstitutionsState } from './domain/institutions.state.js';
import type { EventScope, ScopeDirectory } from '../platform/event-store/event-scope.js';
import { institutionsScope } from './domain/institutions.scope.js';

const BIGINT_FIELDS = new Set(['activeFrom', 'registeredAt']);

/**
 * The institutions registry as the sequencer sees it. It has no read-model table: the registry is
 * small, always wholly in memory on the writer, and queries read it there.
 */
@Injectable()
export class InstitutionsSequencedModule
  extends JsonStateModule<InstitutionsState>
  implements ScopeDirectory
{
  readonly name = 'institutions';
  readonly commandTypes = INSTITUTIONS_COMMAND_TYPES;
  readonly eventTypes = INSTITUTIONS_EVENT_TYPES;

  constructor(private readonly ledger: LedgerSequencedModule) {
    super(() => new InstitutionsState(), BIGINT_FIELDS);
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideInstitutions(command as InstitutionsCommand, {
      institutions: this.state,
      ledger: this.ledger.state,
    });
  }

  scopeOf(event: DomainEvent): EventScope {
    return institutionsScope(event as InstitutionsEvent);
  }

  jurisdictionOfInstitution(institutionId: string): string | null {
    return this.state.institutions.get(institutionId)?.jurisdiction ?? null;
  }

  jurisdictionOfCurrency(currency: string): string | null {
    return this.state.issuers.get(currency) ?? null;
  }

  evolve(event: DomainEvent): void {
    evolveInstitutions(this.state, event as InstitutionsEvent);
  }

  /** No read model: the state is served from memory. */
  readonly projectionSql = writesNothing;
}
