import type { Transport } from './transport.js';
import { YuanbridgeProblem } from './problem.js';

/** One server-sent event of GET /v1/events/stream. */
export interface StreamEvent {
  /** The event's global log position: keep the last one handled to resume from it. */
  readonly id: string;
  /** The event type, e.g. PaymentSettled. */
  readonly event: string;
  /** The notification (JSON), as docs/notifications.md describes it. */
  readonly data: unknown;
}

export interface StreamOptions {
  /** Resume after this position (sent as Last-Event-ID). */
  readonly lastEventId?: string;
  /** Only these event types. */
  readonly types?: readonly string[];
  /** Stops the stream (the iterator then ends). */
  readonly signal?: AbortSignal;
}

/**
 * The event stream as an async iterator. It ends when the service closes the stream or the
 * signal aborts; resuming is the caller's call (pass the last `id` as `lastEventId`), so that a
 * consumer decides what it has durably handled.
 */
export async function* eventStream(
  transport: Transport,
  options: StreamOptions = {},
): AsyncGenerator<StreamEvent, void, undefined> {
  const { response } = await transport.fetchOperation('streamEvents', {
    query: options.types === undefined ? {} : { types: options.types.join(',') },
    headers: {
      accept: 'text/event-stream',
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    },
    signal: options.signal,
  });
  if (!response.ok) {
    throw YuanbridgeProblem.fromResponse(
      response.status,
      response.statusText,
      await response.text(),
      response.headers.get('x-request-id') ?? undefined,
    );
  }
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue; // comments: heartbeats
          const colon = line.indexOf(':');
          const name = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          fields[name] = fields[name] === undefined || name !== 'data' ? value : `${fields[name]}\n${value}`;
        }
        if (fields.data === undefined) continue;
        // Events already buffered are not handed out once the consumer has stopped.
        if (options.signal?.aborted) return;
        yield { id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) };
      }
    }
  } catch (error) {
    if (options.signal?.aborted) return;
    throw error;
  }
}
