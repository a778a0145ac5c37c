import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { RecordedEvent } from '../platform/event-store/recorded-event.js';
import type { SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { JsonStateModule } from '../platform/sequencer/json-state-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { decideWallets, evolveWallets } from './domain/wallets.decider.js';
import { WALLETS_COMMAND_TYPES, type WalletsCommand } from './domain/wallets.commands.js';
import { WALLETS_EVENT_TYPES, type WalletsEvent } from './domain/wallets.events.js';
import { WalletsState } from './domain/wallets.state.js';
import {
  captureWallets,
  walletsProjectionSql,
  type WalletsCapture,
} from './projection/wallets.projection.js';
import type { EventScope } from '../platform/event-store/event-scope.js';
import { walletsScope } from './domain/wallets.scope.js';

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

/**
 * The wallets module as the sequencer sees it. Its decider reads the institutions registry (who
 * may act, jurisdictions and their time zones) and the ledger (balances, and to plan the
 * transfers and accounts its decisions cause).
 */
@Injectable()
export class WalletsSequencedModule extends JsonStateModule<WalletsState> {
  readonly name = 'wallets';
  readonly commandTypes: readonly string[] = WALLETS_COMMAND_TYPES;
  readonly eventTypes = WALLETS_EVENT_TYPES;

  constructor(
    private readonly institutions: InstitutionsSequencedModule,
    private readonly ledger: LedgerSequencedModule,
  ) {
    super(() => new WalletsState(), BIGINT_FIELDS);
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    return decideWallets(command as WalletsCommand, {
      wallets: this.state,
      institutions: this.institutions.state,
      ledger: this.ledger.state,
    });
  }

  scopeOf(event: DomainEvent): EventScope {
    return walletsScope(event as WalletsEvent, (id) => this.state.wallets.get(id));
  }

  evolve(event: DomainEvent): void {
    evolveWallets(this.state, event as WalletsEvent);
  }

  /**
   * What the read models need from memory, taken as the batch is sent (wallets.projection.ts): the
   * sequencer may then decide the next batch while this one commits (docs/adr/0008).
   */
  capture(events: readonly RecordedEvent[]): WalletsCapture {
    return captureWallets(events, this.state);
  }

  /** The read models' writes, sent in the batch's one commit message. */
  projectionSql(events: readonly RecordedEvent[], captured: unknown): string[] {
    return walletsProjectionSql(events, captured as WalletsCapture);
  }

  override async project(
    tx: QueryRunner,
    events: readonly RecordedEvent[],
    captured?: unknown,
  ): Promise<void> {
    const statements = walletsProjectionSql(
      events,
      (captured as WalletsCapture | undefined) ?? this.capture(events),
    );
    for (const sql of statements) await tx.query(sql);
  }
}
