import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { DomainEvent } from '../platform/decider/decider.js';
import { decodeBigints, encodeBigints } from '../platform/event-store/json-codec.js';
import type { RecordedEvent } from '../platform/event-store/recorded-event.js';
import type { SequencedModule, SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { decideWallets, evolveWallets } from './domain/wallets.decider.js';
import { WALLETS_COMMAND_TYPES, type WalletsCommand } from './domain/wallets.commands.js';
import { WALLETS_EVENT_TYPES, type WalletsEvent } from './domain/wallets.events.js';
import { WalletsState } from './domain/wallets.state.js';
import { projectWallets } from './projection/wallets.projection.js';

const BIGINT_FIELDS = new Set([
  'openedAt',
  'amount',
  'settledAt',
  'frozenAt',
  'singlePayment',
  'daily',
  'balance',
  'annual',
]);

type Entries = Array<[string, never]>;
const PARTS = ['wallets', 'freezes', 'institutionFreezes', 'spending', 'tierLimits'] as const;

/**
 * The wallets module as the sequencer sees it. Its decider reads the institutions registry (who
 * may act, jurisdictions and their time zones) and the ledger (balances, and to plan the
 * transfers and accounts its decisions cause).
 */
@Injectable()
export class WalletsSequencedModule implements SequencedModule {
  readonly name = 'wallets';
  readonly commandTypes: readonly string[] = WALLETS_COMMAND_TYPES;
  readonly eventTypes = WALLETS_EVENT_TYPES;
  state = new WalletsState();

  constructor(
    private readonly institutions: InstitutionsSequencedModule,
    private readonly ledger: LedgerSequencedModule,
  ) {}

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideWallets(command as WalletsCommand, {
      wallets: this.state,
      institutions: this.institutions.state,
      ledger: this.ledger.state,
    });
  }

  evolve(event: DomainEvent): void {
    evolveWallets(this.state, event as WalletsEvent);
  }

  encode(event: DomainEvent): unknown {
    return encodeBigints(event.data);
  }

  decode(type: string, streamId: string, data: unknown): DomainEvent {
    return { type, streamId, data: decodeBigints(data, BIGINT_FIELDS) };
  }

  project(tx: QueryRunner, events: readonly RecordedEvent[]): Promise<void> {
    return projectWallets(tx, events, this.state);
  }

  snapshot(): unknown {
    return Object.fromEntries(PARTS.map((part) => [part, [...this.state[part].entries()]]));
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot === undefined) return;
    const data = snapshot as Partial<Record<(typeof PARTS)[number], Entries>>;
    for (const part of PARTS) {
      for (const [k, v] of data[part] ?? []) this.state[part].set(k, v);
    }
  }

  reset(): void {
    this.state = new WalletsState();
  }
}
