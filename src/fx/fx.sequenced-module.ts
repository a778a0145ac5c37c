import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { JsonStateModule, writesNothing } from '../platform/sequencer/json-state-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { FX_COMMAND_TYPES, type FxCommand } from './domain/fx.commands.js';
import { decideFx, evolveFx } from './domain/fx.decider.js';
import { FX_EVENT_TYPES, type FxEvent } from './domain/fx.events.js';
import { FxState } from './domain/fx.state.js';
import type { EventScope } from '../platform/event-store/event-scope.js';
import { fxScope } from './domain/fx.scope.js';

const BIGINT_FIELDS = new Set([
  'maxAmount',
  'publishedAt',
  'expiresAt',
  'sellMinor',
  'buyMinor',
  'createdAt',
  'at',
]);

/** Rate sheets and quotes, served from memory (they are few and short-lived). */
@Injectable()
export class FxSequencedModule extends JsonStateModule<FxState> {
  readonly name = 'fx';
  readonly commandTypes = FX_COMMAND_TYPES;
  readonly eventTypes = FX_EVENT_TYPES;

  constructor(
    private readonly ledger: LedgerSequencedModule,
    private readonly institutions: InstitutionsSequencedModule,
  ) {
    super(() => new FxState(), BIGINT_FIELDS);
  }

  /** What FX rules read: rates and quotes, who is a liquidity provider, and what each holds. */
  world() {
    return { fx: this.state, institutions: this.institutions.state, ledger: this.ledger.state };
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideFx(command as FxCommand, this.world());
  }

  scopeOf(event: DomainEvent): EventScope {
    return fxScope(event as FxEvent, (id) => this.state.quotes.get(id));
  }

  evolve(event: DomainEvent): void {
    evolveFx(this.state, event as FxEvent);
  }

  /** No read model: the state is served from memory. */
  readonly projectionSql = writesNothing;
}
