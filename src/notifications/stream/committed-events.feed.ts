import { Logger } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import { EventsCommitted } from '../../platform/sequencer/sequencer.host.js';

export type CommittedListener = (events: readonly RecordedEvent[]) => void;

/**
 * Fans each committed batch out to the open event streams and wakes the webhook dispatcher.
 * The EventBus calls this synchronously after the commit, so a listener added before a query of
 * the log hears every event that query may miss. It is only a fast path: nothing that must
 * survive a crash depends on it (streams resume from the log, the dispatcher reads the log).
 */
@EventsHandler(EventsCommitted)
export class CommittedEventsFeed implements IEventHandler<EventsCommitted> {
  private readonly logger = new Logger('notifications');
  private readonly listeners = new Set<CommittedListener>();

  handle(committed: EventsCommitted): void {
    for (const listener of this.listeners) {
      try {
        listener(committed.events);
      } catch (error) {
        this.logger.error(`a committed-events listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Returns the function that removes the listener. */
  subscribe(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
