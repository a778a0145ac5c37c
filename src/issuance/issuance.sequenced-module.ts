import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { RecordedEvent } from '../platform/event-store/recorded-event.js';
import type { SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { JsonStateModule } from '../platform/sequencer/json-state-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { ISSUANCE_COMMAND_TYPES, type IssuanceCommand } from './domain/issuance.commands.js';
import { decideIssuance, evolveIssuance } from './domain/issuance.decider.js';
import {
  ISSUANCE_BIGINT_FIELDS,
  ISSUANCE_EVENT_TYPES,
  type IssuanceEvent,
} from './domain/issuance.events.js';
import { IssuanceState } from './domain/issuance.state.js';
import { projectIssuance } from './projection/issuance.projection.js';
import type { EventScope } from '../platform/event-store/event-scope.js';
import { issuanceScope } from './domain/issuance.scope.js';

/** Central-bank issuance as the sequencer sees it: requests, supplies and caps, in memory. */
@Injectable()
export class IssuanceSequencedModule extends JsonStateModule<IssuanceState> {
  readonly name = 'issuance';
  readonly commandTypes = ISSUANCE_COMMAND_TYPES;
  readonly eventTypes = ISSUANCE_EVENT_TYPES;

  constructor(
    private readonly institutions: InstitutionsSequencedModule,
    private readonly ledger: LedgerSequencedModule,
  ) {
    super(() => new IssuanceState(), ISSUANCE_BIGINT_FIELDS);
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    // Read the other modules' state now, not at construction: a rebuild replaces it.
    return decideIssuance(command as IssuanceCommand, {
      issuance: this.state,
      institutions: this.institutions.state,
      ledger: this.ledger.state,
    });
  }

  scopeOf(event: DomainEvent): EventScope {
    return issuanceScope(event as IssuanceEvent);
  }

  evolve(event: DomainEvent): void {
    evolveIssuance(this.state, event as IssuanceEvent);
  }

  override project(tx: QueryRunner, events: readonly RecordedEvent[]): Promise<void> {
    return projectIssuance(tx, events, this.state);
  }
}
