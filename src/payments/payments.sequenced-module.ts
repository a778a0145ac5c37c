import { Inject, Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { DomainEvent } from '../platform/decider/decider.js';
import type { RecordedEvent } from '../platform/event-store/recorded-event.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/config.js';
import type { SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { JsonStateModule } from '../platform/sequencer/json-state-module.js';
import { LedgerSequencedModule } from '../ledger/ledger.sequenced-module.js';
import { InstitutionsSequencedModule } from '../institutions/institutions.sequenced-module.js';
import { WalletsSequencedModule } from '../wallets/wallets.sequenced-module.js';
import { FxSequencedModule } from '../fx/fx.sequenced-module.js';
import { CorridorsSequencedModule } from '../corridors/corridors.sequenced-module.js';
import { PAYMENTS_COMMAND_TYPES, type PaymentsCommand } from './domain/payments.commands.js';
import { decidePayments, evolvePayments, type PaymentsWorld } from './domain/payments.decider.js';
import { PAYMENTS_EVENT_TYPES, type PaymentsEvent } from './domain/payments.events.js';
import { PaymentsState } from './domain/payments.state.js';
import { sanctionsList, type SanctionsList } from './domain/sanctions.js';
import { paymentsProjectionSql } from './projection/payments.projection.js';
import { WrittenPayments } from './projection/written-payments.js';
import type { EventScope } from '../platform/event-store/event-scope.js';
import { paymentsScope } from './domain/payments.scope.js';

const BIGINT_FIELDS = new Set(['amountMinor', 'receivedAt', 'expiresAt', 'at']);

/**
 * Cross-border payments as the sequencer sees them. Memory holds only the queue; the decider reads
 * every module a payment touches (registry, ledger, wallets, FX, corridors) as it stands when the
 * command is decided, and the sanctions list read at start.
 */
@Injectable()
export class PaymentsSequencedModule extends JsonStateModule<PaymentsState> {
  readonly name = 'payments';
  readonly commandTypes = PAYMENTS_COMMAND_TYPES;
  readonly eventTypes = PAYMENTS_EVENT_TYPES;
  readonly sanctions: SanctionsList;
  /** The rows each batch inserts, for the submissions' answers once it has committed. */
  readonly written = new WrittenPayments();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly institutions: InstitutionsSequencedModule,
    private readonly ledger: LedgerSequencedModule,
    private readonly wallets: WalletsSequencedModule,
    private readonly fx: FxSequencedModule,
    private readonly corridors: CorridorsSequencedModule,
  ) {
    super(() => new PaymentsState(), BIGINT_FIELDS);
    this.sanctions = sanctionsList(config.sanctions);
  }

  /** Read at call time: a rebuild replaces the other modules' state objects. */
  world(): PaymentsWorld {
    return {
      payments: this.state,
      institutions: this.institutions.state,
      ledger: this.ledger.state,
      wallets: this.wallets.state,
      fx: this.fx.state,
      corridors: this.corridors.state,
      sanctions: this.sanctions,
    };
  }

  decide(command: SubmittedCommand & { now: bigint }) {
    return decidePayments(command as PaymentsCommand, this.world());
  }

  scopeOf(event: DomainEvent): EventScope {
    return paymentsScope(event as PaymentsEvent);
  }

  evolve(event: DomainEvent): void {
    evolvePayments(this.state, event as PaymentsEvent);
  }

  override async project(tx: QueryRunner, events: readonly RecordedEvent[]): Promise<void> {
    for (const sql of paymentsProjectionSql(events, (rows) => this.written.remember(rows)))
      await tx.query(sql);
  }

  /** The same writes as `project`, sent in the batch's one commit message. */
  projectionSql(events: readonly RecordedEvent[]): string[] {
    return paymentsProjectionSql(events, (rows) => this.written.remember(rows));
  }

  /**
   * The payments read model is written from the events alone: there is nothing to capture, so the sequencer may decide the next batch while
   * this one commits (docs/adr/0008).
   */
  capture(): undefined {
    return undefined;
  }
}
