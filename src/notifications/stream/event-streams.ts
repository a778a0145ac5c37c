import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { NOTIFIABLE_EVENT_TYPES, shouldNotify, type Audience } from '../domain/audience.js';
import { CommittedEventsFeed } from './committed-events.feed.js';
import { EventLogReader } from './event-log.reader.js';
import { EventStreamSession, type StreamSink } from './event-stream.session.js';

const REPLAY_PAGE = 500;
const MAX_HELD_EVENTS = 10_000;

/** The open event streams: opens them on the feed and the log, and ends them at shutdown. */
@Injectable()
export class EventStreams implements OnModuleDestroy {
  private readonly sessions = new Set<EventStreamSession>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly feed: CommittedEventsFeed,
    private readonly reader: EventLogReader,
  ) {}

  /** How many streams are open. */
  get count(): number {
    return this.sessions.size;
  }

  /** Starts streaming to `sink`; resolves when the replay is done and the stream is live (or closed). */
  open(sink: StreamSink, audience: Audience, types: ReadonlySet<string> | null, after: bigint) {
    const typeList =
      types === null ? NOTIFIABLE_EVENT_TYPES : NOTIFIABLE_EVENT_TYPES.filter((t) => types.has(t));
    const session = new EventStreamSession(
      sink,
      {
        page: (position) => this.reader.page(audience, typeList, position, REPLAY_PAGE),
        subscribe: (listener) => this.feed.subscribe(listener),
      },
      {
        after,
        wants: (recorded) => shouldNotify(audience, types, recorded.event),
        heartbeatMs: this.config.sseHeartbeatSeconds * 1000,
        maxBufferedBytes: this.config.sseMaxBufferedBytes,
        maxHeldEvents: MAX_HELD_EVENTS,
      },
      (closed) => this.sessions.delete(closed),
    );
    this.sessions.add(session);
    return session.run();
  }

  /** Streams keep the HTTP server from closing: end them first (clients resume after a restart). */
  onModuleDestroy(): void {
    for (const session of [...this.sessions]) {
      session.close(`the service is shutting down; reconnect with Last-Event-ID: ${session.lastSent}`);
    }
  }
}
