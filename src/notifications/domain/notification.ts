import { encodeBigints } from '../../platform/event-store/json-codec.js';
import type { RecordedEvent } from '../../platform/event-store/recorded-event.js';

/**
 * What an institution receives for one event, on the stream and in a webhook's body. `position`
 * is the event's global position (a decimal string: JSON has no 64-bit integers), also the SSE
 * `id` a client resumes from; `data` is the event's data exactly as the log stores it.
 */
export interface Notification {
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly streamId: string;
  readonly data: unknown;
}

/** A row of the `events` table as the notification readers select it. */
export interface EventRow {
  readonly global_position: string;
  readonly stream_id: string;
  readonly type: string;
  readonly data: unknown;
  readonly recorded_at: Date | string;
}

export function notificationFromRow(row: EventRow): Notification {
  return {
    position: String(row.global_position),
    type: row.type,
    recordedAt: new Date(row.recorded_at).toISOString(),
    streamId: row.stream_id,
    data: row.data,
  };
}

/** A live event, encoded as the sequencer wrote it (bigints as decimal strings). */
export function notificationFromRecorded(recorded: RecordedEvent): Notification {
  return {
    position: recorded.position.toString(),
    type: recorded.event.type,
    recordedAt: recorded.recordedAt.toISOString(),
    streamId: recorded.event.streamId,
    data: encodeBigints(recorded.event.data),
  };
}
