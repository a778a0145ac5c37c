import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { DomainEvent } from '../platform/decider/decider.js';
import { decodeBigints, encodeBigints } from '../platform/event-store/json-codec.js';
import type { RecordedEvent } from '../platform/event-store/recorded-event.js';
import type { SequencedModule, SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
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

/** Central-bank issuance as the sequencer sees it: requests, supplies and caps, in memory. */
@Injectable()
export class IssuanceSequencedModule implements SequencedModule {
  readonly name = 'issuance';
  readonly commandTypes = ISSUANCE_COMMAND_TYPES;
  readonly eventTypes = ISSUANCE_EVENT_TYPES;
  state = new IssuanceState();

  constructor(
    private readonly institutions: InstitutionsSequencedModule,
    private readonly ledger: LedgerSequencedModule,
  ) {}

  decide(command: SubmittedCommand & { now: bigint }) {
    // Read the other modules' state now, not at construction: a rebuild replaces it.
    return decideIssuance(command as IssuanceCommand, {
      issuance: this.state,
      institutions: this.institutions.state,
      ledger: this.ledger.state,
    });
  }

  evolve(event: DomainEvent): void {
    evolveIssuance(this.state, event as IssuanceEvent);
  }

  encode(event: DomainEvent): unknown {
    return encodeBigints(event.data);
  }

  decode(type: string, streamId: string, data: unknown): DomainEvent {
    return { type, streamId, data: decodeBigints(data, ISSUANCE_BIGINT_FIELDS) };
  }

  project(tx: QueryRunner, events: readonly RecordedEvent[]): Promise<void> {
    return projectIssuance(tx, events, this.state);
  }

  snapshot(): unknown {
    return {
      requests: [...this.state.requests.entries()],
      supplies: [...this.state.supplies.entries()],
      reserveCredits: [...this.state.reserveCredits.entries()],
    };
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot === undefined) return;
    const data = snapshot as Record<'requests' | 'supplies' | 'reserveCredits', Array<[string, never]>>;
    for (const [k, v] of data.requests) this.state.requests.set(k, v);
    for (const [k, v] of data.supplies) this.state.supplies.set(k, v);
    for (const [k, v] of data.reserveCredits) this.state.reserveCredits.set(k, v);
  }

  reset(): void {
    this.state = new IssuanceState();
  }
}
