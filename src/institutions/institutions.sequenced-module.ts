import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../platform/decider/decider.js';
import { decodeBigints, encodeBigints } from '../platform/event-store/json-codec.js';
import type { SequencedModule, SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import type { InstitutionsCommand } from './domain/institutions.commands.js';
import { INSTITUTIONS_COMMAND_TYPES } from './domain/institutions.commands.js';
import { decideInstitutions, evolveInstitutions } from './domain/institutions.decider.js';
import { INSTITUTIONS_EVENT_TYPES, type InstitutionsEvent } from './domain/institutions.events.js';
import { InstitutionsState } from './domain/institutions.state.js';

const BIGINT_FIELDS = new Set(['activeFrom', 'registeredAt']);

/**
 * The institutions registry as the sequencer sees it. It has no read-model table: the registry is
 * small, always wholly in memory on the writer, and queries read it there.
 */
@Injectable()
export class InstitutionsSequencedModule implements SequencedModule {
  readonly name = 'institutions';
  readonly commandTypes = INSTITUTIONS_COMMAND_TYPES;
  readonly eventTypes = INSTITUTIONS_EVENT_TYPES;
  state = new InstitutionsState();

  constructor(private readonly ledger: LedgerSequencedModule) {}

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideInstitutions(command as InstitutionsCommand, {
      institutions: this.state,
      ledger: this.ledger.state,
    });
  }

  evolve(event: DomainEvent): void {
    evolveInstitutions(this.state, event as InstitutionsEvent);
  }

  encode(event: DomainEvent): unknown {
    return encodeBigints(event.data);
  }

  decode(type: string, streamId: string, data: unknown): DomainEvent {
    return { type, streamId, data: decodeBigints(data, BIGINT_FIELDS) };
  }

  async project(): Promise<void> {}

  snapshot(): unknown {
    const s = this.state;
    return {
      institutions: [...s.institutions.entries()],
      jurisdictions: [...s.jurisdictions.entries()],
      keys: [...s.keys.entries()],
      usedKeyIds: [...s.usedKeyIds.entries()],
      issuers: [...s.issuers.entries()],
    };
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot === undefined) return;
    const data = snapshot as Record<
      'institutions' | 'jurisdictions' | 'keys' | 'usedKeyIds' | 'issuers',
      Array<[string, never]>
    >;
    for (const [k, v] of data.institutions) this.state.institutions.set(k, v);
    for (const [k, v] of data.jurisdictions) this.state.jurisdictions.set(k, v);
    for (const [k, v] of data.keys) this.state.keys.set(k, v);
    for (const [k, v] of data.usedKeyIds) this.state.usedKeyIds.set(k, v);
    for (const [k, v] of data.issuers) this.state.issuers.set(k, v);
  }

  reset(): void {
    this.state = new InstitutionsState();
  }
}
