import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import { rejected, type DomainEvent } from '../platform/decider/decider.js';
import { decodeBigints, encodeBigints } from '../platform/event-store/json-codec.js';
import type { RecordedEvent } from '../platform/event-store/recorded-event.js';
import type { SequencedModule, SubmittedCommand } from '../platform/sequencer/sequenced-module.js';
import { evolveWallets } from './domain/wallets.decider.js';
import { WALLETS_EVENT_TYPES, type WalletsEvent } from './domain/wallets.events.js';
import { WalletsState } from './domain/wallets.state.js';
import { projectWallets } from './projection/wallets.projection.js';

const BIGINT_FIELDS = new Set(['openedAt']);

/** The wallet registry as the sequencer sees it. */
@Injectable()
export class WalletsSequencedModule implements SequencedModule {
  readonly name = 'wallets';
  readonly commandTypes: readonly string[] = [];
  readonly eventTypes = WALLETS_EVENT_TYPES;
  state = new WalletsState();

  decide(command: SubmittedCommand & { now: bigint }) {
    return rejected({ code: 'command_unknown', status: 500, title: 'Unknown command', detail: command.type });
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
    return projectWallets(tx, events);
  }

  snapshot(): unknown {
    return { wallets: [...this.state.wallets.entries()] };
  }

  restore(snapshot: unknown): void {
    this.reset();
    if (snapshot === undefined) return;
    for (const [k, v] of (snapshot as { wallets: Array<[string, never]> }).wallets)
      this.state.wallets.set(k, v);
  }

  reset(): void {
    this.state = new WalletsState();
  }
}
