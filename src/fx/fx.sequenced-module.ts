import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../platform/decider/decider.js';
import { decodeBigints, encodeBigints } from '../platform/event-store/json-codec.js';
import type { SequencedModule, SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { FX_COMMAND_TYPES, type FxCommand } from './domain/fx.commands.js';
import { decideFx, evolveFx } from './domain/fx.decider.js';
import { FX_EVENT_TYPES, type FxEvent } from './domain/fx.events.js';
import { FxState } from './domain/fx.state.js';

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
export class FxSequencedModule implements SequencedModule {
  readonly name = 'fx';
  readonly commandTypes = FX_COMMAND_TYPES;
  readonly eventTypes = FX_EVENT_TYPES;
  state = new FxState();

  constructor(
    private readonly ledger: LedgerSequencedModule,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  /** What FX rules read: rates and quotes, who is a liquidity provider, and what each holds. */
  world() {
    return { fx: this.state, institutions: this.institutions.state, ledger: this.ledger.state };
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideFx(command as FxCommand, this.world());
  }

  evolve(event: DomainEvent): void {
    evolveFx(this.state, event as FxEvent);
  }

  encode(event: DomainEvent): unknown {
    return encodeBigints(event.data);
  }

  decode(type: string, streamId: string, data: unknown): DomainEvent {
    return { type, streamId, data: decodeBigints(data, BIGINT_FIELDS) };
  }

  async project(): Promise<void> {}

  snapshot(): unknown {
    return { sheets: [...this.state.sheets.entries()], quotes: [...this.state.quotes.entries()] };
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot === undefined) return;
    const data = snapshot as { sheets: Array<[string, never]>; quotes: Array<[string, never]> };
    for (const [k, v] of data.sheets) this.state.sheets.set(k, v);
    for (const [k, v] of data.quotes) this.state.quotes.set(k, v);
  }

  reset(): void {
    this.state = new FxState();
  }
}
