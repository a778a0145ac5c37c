import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { JsonStateModule, writesNothing } from '../platform/sequencer/json-state-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { CORRIDORS_COMMAND_TYPES, type CorridorsCommand } from './domain/corridors.commands.js';
import { decideCorridors, evolveCorridors } from './domain/corridors.decider.js';
import { CORRIDORS_EVENT_TYPES, type CorridorsEvent } from './domain/corridors.events.js';
import { CorridorsState } from './domain/corridors.state.js';
import type { EventScope } from '../platform/event-store/event-scope.js';
import { corridorsScope } from './domain/corridors.scope.js';

const BIGINT_FIELDS = new Set([
  'maxPaymentMinor',
  'dailyOutboundQuotaMinor',
  'fixedMinor',
  'openedAt',
  'at',
  'amountMinor',
]);

/** Corridors and their rules, served from memory (a handful per network). */
@Injectable()
export class CorridorsSequencedModule extends JsonStateModule<CorridorsState> {
  readonly name = 'corridors';
  readonly commandTypes = CORRIDORS_COMMAND_TYPES;
  readonly eventTypes = CORRIDORS_EVENT_TYPES;

  constructor(
    private readonly ledger: LedgerSequencedModule,
    private readonly institutions: InstitutionsSequencedModule,
  ) {
    super(() => new CorridorsState(), BIGINT_FIELDS);
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideCorridors(command as CorridorsCommand, {
      corridors: this.state,
      institutions: this.institutions.state,
      ledger: this.ledger.state,
    });
  }

  scopeOf(event: DomainEvent): EventScope {
    return corridorsScope(event as CorridorsEvent);
  }

  evolve(event: DomainEvent): void {
    evolveCorridors(this.state, event as CorridorsEvent);
  }

  /** No read model: the state is served from memory. */
  readonly projectionSql = writesNothing;
}
