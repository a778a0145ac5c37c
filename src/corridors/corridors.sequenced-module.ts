import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../platform/decider/decider.js';
import { decodeBigints, encodeBigints } from '../platform/event-store/json-codec.js';
import type { SequencedModule, SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { CORRIDORS_COMMAND_TYPES, type CorridorsCommand } from './domain/corridors.commands.js';
import { decideCorridors, evolveCorridors } from './domain/corridors.decider.js';
import { CORRIDORS_EVENT_TYPES, type CorridorsEvent } from './domain/corridors.events.js';
import { CorridorsState } from './domain/corridors.state.js';

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
export class CorridorsSequencedModule implements SequencedModule {
  readonly name = 'corridors';
  readonly commandTypes = CORRIDORS_COMMAND_TYPES;
  readonly eventTypes = CORRIDORS_EVENT_TYPES;
  state = new CorridorsState();

  constructor(
    private readonly ledger: LedgerSequencedModule,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideCorridors(command as CorridorsCommand, {
      corridors: this.state,
      institutions: this.institutions.state,
      ledger: this.ledger.state,
    });
  }

  evolve(event: DomainEvent): void {
    evolveCorridors(this.state, event as CorridorsEvent);
  }

  encode(event: DomainEvent): unknown {
    return encodeBigints(event.data);
  }

  decode(type: string, streamId: string, data: unknown): DomainEvent {
    return { type, streamId, data: decodeBigints(data, BIGINT_FIELDS) };
  }

  async project(): Promise<void> {}

  snapshot(): unknown {
    return { corridors: [...this.state.corridors.entries()], outflows: [...this.state.outflows.entries()] };
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot === undefined) return;
    const data = snapshot as { corridors: Array<[string, never]>; outflows: Array<[string, bigint]> };
    for (const [k, v] of data.corridors) this.state.corridors.set(k, v);
    for (const [k, v] of data.outflows) this.state.outflows.set(k, v);
  }

  reset(): void {
    this.state = new CorridorsState();
  }
}
