import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { RecordedEvent } from '../../src/platform/event-store/recorded-event.js';
import { notificationFromRecorded, type Notification } from '../../src/notifications/domain/notification.js';
import { EventStreamSession, type StreamSink } from '../../src/notifications/stream/event-stream.session.js';
import type { NotificationPage } from '../../src/notifications/stream/event-log.reader.js';

/** A writable that records what was written; `unsent` plays the bytes a slow client has not read. */
class FakeSink extends EventEmitter implements StreamSink {
  chunks: string[] = [];
  writableEnded = false;
  unsent = 0;
  destroyed = false;
  get writableLength() {
    return this.unsent;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end(chunk?: string) {
    if (chunk !== undefined) this.chunks.push(chunk);
    this.writableEnded = true;
  }
  destroy() {
    this.destroyed = true;
  }
  ids() {
    return this.chunks.filter((c) => c.startsWith('id: ')).map((c) => c.slice(4, c.indexOf('\n')));
  }
}

const event = (position: number, party = 'BANKHK1'): RecordedEvent => ({
  position: BigInt(position),
  streamVersion: 1,
  recordedAt: new Date(0),
  event: {
    type: 'PaymentSettled',
    streamId: `payment-${position}`,
    data: { paymentId: String(position), parties: [party], jurisdictions: ['HK'], at: 1n },
  },
  metadata: { actor: 'system' },
});

/** A log of `events` served in pages of 2, and a feed the test pushes to. */
function source(log: RecordedEvent[], beforePage: (after: bigint) => void = () => {}) {
  const listeners = new Set<(events: readonly RecordedEvent[]) => void>();
  return {
    publish: (events: RecordedEvent[]) => {
      log.push(...events);
      for (const l of listeners) l(events);
    },
    page: async (after: bigint): Promise<NotificationPage> => {
      beforePage(after);
      await new Promise((resolve) => setImmediate(resolve));
      const rows: Notification[] = log
        .filter(
          (e) => e.position > after && (e.event.data as { parties: string[] }).parties.includes('BANKHK1'),
        )
        .slice(0, 2)
        .map(notificationFromRecorded);
      return { notifications: rows, more: rows.length === 2 };
    },
    subscribe: (listener: (events: readonly RecordedEvent[]) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listeners,
  };
}

const wants = (e: RecordedEvent) => (e.event.data as { parties: string[] }).parties.includes('BANKHK1');
const options = { wants, heartbeatMs: 60_000, maxBufferedBytes: 1_000, maxHeldEvents: 100 };

describe('event stream session', () => {
  it('replays in pages, holds events committed during the replay, and sends each once', async () => {
    const sink = new FakeSink();
    const log = [1, 2, 3, 4, 5].map((p) => event(p));
    let pages = 0;
    // While the replay reads, more events commit: some land in a later page AND in the feed.
    const src = source(log, () => {
      pages++;
      if (pages === 1) src.publish([event(6), event(7, 'BANKCN2')]);
      if (pages === 3) src.publish([event(8)]);
    });
    const session = new EventStreamSession(sink, src, { ...options, after: 1n });
    await session.run();
    assert.ok(session.isLive);
    src.publish([event(9), event(10, 'BANKCN2')]);
    assert.deepEqual(sink.ids(), ['2', '3', '4', '5', '6', '8', '9']);
    session.close();
    assert.equal(src.listeners.size, 0, 'unsubscribed on close');
  });

  it('drops what it held when too much arrives during the replay, and reads it from the log instead', async () => {
    const sink = new FakeSink();
    const log = [event(1)];
    let pages = 0;
    const src = source(log, () => {
      if (++pages === 1) src.publish([2, 3, 4, 5].map((p) => event(p)));
    });
    const session = new EventStreamSession(sink, src, { ...options, after: 0n, maxHeldEvents: 2 });
    await session.run();
    assert.deepEqual(sink.ids(), ['1', '2', '3', '4', '5']);
    session.close();
  });

  it('disconnects a client that reads too slowly, with a final comment naming where to resume', async () => {
    const sink = new FakeSink();
    const src = source([]);
    const session = new EventStreamSession(sink, src, { ...options, after: 0n });
    await session.run();
    src.publish([event(1)]);
    sink.unsent = 5_000;
    src.publish([event(2)]);
    src.publish([event(3)]);
    assert.equal(sink.writableEnded, true);
    assert.deepEqual(sink.ids(), ['1', '2']);
    assert.match(sink.chunks.at(-1)!, /^: the client reads too slowly.*Last-Event-ID: 2\n\n$/);
    assert.equal(src.listeners.size, 0);
  });

  it('stops when the client goes away', async () => {
    const sink = new FakeSink();
    const src = source([]);
    const session = new EventStreamSession(sink, src, { ...options, after: 0n });
    await session.run();
    sink.emit('close');
    assert.equal(src.listeners.size, 0);
  });
});
