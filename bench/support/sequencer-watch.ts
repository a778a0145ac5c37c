import { EventBus } from '@nestjs/cqrs';
import type { RunningApp } from '../../src/create-app.js';
import { EventsCommitted } from '../../src/platform/sequencer/sequencer.host.js';

/**
 * Counts the sequencer's commits by listening to the EventsCommitted it publishes once per
 * committed batch. Tells how the submitted 8,000-item commands were grouped into transactions
 * (the sequencer merges what queued while the previous batch committed).
 */
export class CommitWatch {
  commits = 0;
  events = 0;
  largestCommit = 0;
  private readonly subscription: { unsubscribe(): void };

  constructor(running: RunningApp) {
    const bus = running.app.get(EventBus);
    this.subscription = bus.subscribe((event: unknown) => {
      if (event instanceof EventsCommitted) {
        this.commits++;
        this.events += event.events.length;
        this.largestCommit = Math.max(this.largestCommit, event.events.length);
      }
    });
  }

  reset(): void {
    this.commits = 0;
    this.events = 0;
    this.largestCommit = 0;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}
