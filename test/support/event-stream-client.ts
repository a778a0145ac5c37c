import { signRequest } from '../../src/platform/signatures/index.js';
import type { Signer } from './test-app.js';

/** One server-sent event as a client parses it. */
export interface StreamEvent {
  readonly id: string;
  readonly event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly data: any;
}

export interface EventStreamClient {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: StreamEvent[];
  readonly comments: string[];
  /** Resolves once `predicate` holds for the events received (rejects after `timeoutMs`). */
  until(predicate: (events: readonly StreamEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/**
 * Opens GET `path` on the service as `signer` (RFC 9421 signed, like test-app's requests) and
 * parses the text/event-stream it answers with: `id`, `event` and `data` fields, comments.
 */
export async function openEventStream(
  baseUrl: string,
  path: string,
  signer: Signer,
  headers: Record<string, string> = {},
): Promise<EventStreamClient> {
  const url = baseUrl + path;
  const signature = signRequest({
    method: 'GET',
    url,
    headers,
    keyId: signer.keyId,
    secretKey: signer.secretKey,
  });
  const abort = new AbortController();
  const response = await fetch(url, { headers: { ...headers, ...signature }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };

  const ended = (async () => {
    if (response.body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
            }
          }
          if (fields.data !== undefined) {
            events.push({
              id: fields.id ?? '',
              event: fields.event ?? 'message',
              data: JSON.parse(fields.data),
            });
          }
        }
        notify();
      }
    } catch {
      // aborted by close()
    } finally {
      notify();
    }
  })();

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    comments,
    ended,
    until(predicate, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `stream ${path}: condition not met in ${timeoutMs} ms; got ${events.map((e) => `${e.id}:${e.event}`).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      abort.abort();
    },
  };
}
