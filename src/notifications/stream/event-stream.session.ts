import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';
import { notificationFromRecorded, type Notification } from '../domain/notification.js';
import type { NotificationPage } from './event-log.reader.js';

/** What a session writes to: Express's Response (a Node writable) in the service, a fake in tests. */
export interface StreamSink {
  write(chunk: string): boolean;
  end(chunk?: string): void;
  destroy(): void;
  readonly writableLength: number;
  readonly writableEnded: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Where a session's events come from: the log (pages after a position) and the live feed. */
export interface StreamSource {
  page(after: bigint): Promise<NotificationPage>;
  subscribe(listener: (events: readonly RecordedEvent[]) => void): () => void;
}

export interface StreamOptions {
  /** Resume after this position (0: from the start of the log). */
  readonly after: bigint;
  /** Which live events belong on this stream (the replay query applies the same rule). */
  readonly wants: (event: RecordedEvent) => boolean;
  readonly heartbeatMs: number;
  /** Unsent output above which the client is too slow and is disconnected. */
  readonly maxBufferedBytes: number;
  /** Live events held while the replay runs; beyond it they are dropped and read from the log. */
  readonly maxHeldEvents: number;
}

/** How long a closing stream may take to flush its final comment before its socket is cut. */
const CLOSE_GRACE_MS = 5_000;

/**
 * One client's server-sent-events stream.
 *
 * It listens to the live feed first, then replays the log after the client's position in pages;
 * live events that arrive meanwhile are held. Every event the replay may miss was committed
 * after the listener was added, so it is held; every held event already replayed has a position
 * ≤ the last one sent and is dropped. Then the held events are sent and the stream goes live:
 * no gap, no duplicate. If too many events arrive during the replay, the held ones are dropped
 * and the replay simply reads further (they are all in the log by then).
 *
 * Live events cannot wait for a slow client (the feed is push): when the unsent output exceeds
 * the bound, the stream is closed with a final comment and the client resumes from its last id.
 */
export class EventStreamSession {
  private mode: 'replaying' | 'live' | 'closed' = 'replaying';
  private held: Notification[] = [];
  private heldOverflowed = false;
  private sent: bigint;
  private unsubscribe: () => void = () => {};
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly onSinkClose = () => this.close();

  constructor(
    private readonly sink: StreamSink,
    private readonly source: StreamSource,
    private readonly options: StreamOptions,
    private readonly onClosed: (session: EventStreamSession) => void = () => {},
  ) {
    this.sent = options.after;
  }

  /** The position of the last event sent (what the client's Last-Event-ID will be). */
  get lastSent(): bigint {
    return this.sent;
  }

  get isLive(): boolean {
    return this.mode === 'live';
  }

  /** A method, not a comparison, so that TypeScript does not narrow it across awaits and calls. */
  private closed(): boolean {
    return this.mode === 'closed';
  }

  /** Replays, then streams live until the client goes or close() is called. Never rejects. */
  async run(): Promise<void> {
    this.sink.once('close', this.onSinkClose);
    this.unsubscribe = this.source.subscribe((events) => this.onCommitted(events));
    this.heartbeat = setInterval(() => this.writeRaw(': heartbeat\n\n'), this.options.heartbeatMs);
    this.writeRaw(': connected\n\n');
    try {
      await this.replay();
    } catch (error) {
      this.close(`the event log could not be read (${(error as Error).message}); reconnect to resume`);
    }
  }

  /** Ends the stream, with a final comment saying why if given. Idempotent. */
  close(reason?: string): void {
    if (this.mode === 'closed') return;
    this.mode = 'closed';
    this.held = [];
    this.unsubscribe();
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.sink.off('close', this.onSinkClose);
    if (!this.sink.writableEnded) {
      this.sink.end(reason === undefined ? undefined : `: ${reason}\n\n`);
      // A client that reads nothing would keep the socket (and the buffered output) forever.
      setTimeout(() => this.sink.destroy(), CLOSE_GRACE_MS).unref();
    }
    this.onClosed(this);
  }

  private async replay(): Promise<void> {
    for (;;) {
      for (;;) {
        const page = await this.source.page(this.sent);
        if (this.closed()) return;
        for (const notification of page.notifications) {
          if (BigInt(notification.position) <= this.sent) continue;
          if (!this.sink.write(frame(notification))) await this.drained();
          this.sent = BigInt(notification.position);
          if (this.closed()) return;
        }
        if (!page.more) break;
      }
      if (!this.heldOverflowed) break;
      this.heldOverflowed = false;
      this.held = [];
    }
    // No await from here on: the switch to live happens between two feed callbacks.
    const held = this.held;
    this.held = [];
    this.mode = 'live';
    for (const notification of held) this.sendLive(notification);
  }

  private onCommitted(events: readonly RecordedEvent[]): void {
    if (this.mode === 'closed') return;
    for (const event of events) {
      if (!this.options.wants(event)) continue;
      const notification = notificationFromRecorded(event);
      if (this.mode === 'live') {
        this.sendLive(notification);
        if (this.closed()) return;
      } else if (!this.heldOverflowed) {
        if (this.held.length >= this.options.maxHeldEvents) {
          this.heldOverflowed = true;
          this.held = [];
        } else {
          this.held.push(notification);
        }
      }
    }
  }

  private sendLive(notification: Notification): void {
    const position = BigInt(notification.position);
    if (position <= this.sent) return;
    this.sink.write(frame(notification));
    this.sent = position;
    if (this.sink.writableLength > this.options.maxBufferedBytes) {
      this.close(
        `the client reads too slowly (over ${this.options.maxBufferedBytes} bytes unsent); ` +
          `reconnect with Last-Event-ID: ${this.sent}`,
      );
    }
  }

  private writeRaw(text: string): void {
    if (this.mode !== 'closed' && !this.sink.writableEnded) this.sink.write(text);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.sink.off('drain', done);
        this.sink.off('close', done);
        resolve();
      };
      this.sink.once('drain', done);
      this.sink.once('close', done);
    });
  }
}

/** One SSE message: `id` is the global position, `event` the type, `data` the JSON notification. */
export function frame(notification: Notification): string {
  return `id: ${notification.position}\nevent: ${notification.type}\ndata: ${JSON.stringify(notification)}\n\n`;
}
