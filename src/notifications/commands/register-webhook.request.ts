import { BodyReader } from '../../platform/http/body-reader.js';
import { NOTIFIABLE_EVENT_TYPES } from '../domain/audience.js';

const MAX_URL_LENGTH = 2048;

/**
 * PUT /v1/webhooks: `{ url, types? }`. The URL is absolute http or https, without credentials
 * (a secret in a URL ends up in logs); `types`, if given, a non-empty list of payment event
 * types, kept in their canonical order.
 */
export function parseRegisterWebhook(body: unknown): { url: string; types: string[] | null } {
  const r = new BodyReader();
  const o = r.object(body, '', ['url', 'types']);
  if (o === null) r.throwIfInvalid();
  const url = r.string(o!.url, '/url');
  if (url !== null) {
    const problem = urlProblem(url);
    if (problem !== null) r.fail('/url', 'webhook_url_invalid', problem);
  }
  let types: string[] | null = null;
  if (o!.types !== undefined && o!.types !== null) {
    const list = r.array(o!.types, '/types', 1, NOTIFIABLE_EVENT_TYPES.length);
    if (list !== null) {
      const unknown = list.filter((t) => typeof t !== 'string' || !NOTIFIABLE_EVENT_TYPES.includes(t));
      if (unknown.length > 0) {
        r.fail(
          '/types',
          'event_type_unknown',
          `unknown event type(s) ${unknown.map((t) => JSON.stringify(t)).join(', ')}; known: ${NOTIFIABLE_EVENT_TYPES.join(', ')}`,
        );
      } else {
        types = NOTIFIABLE_EVENT_TYPES.filter((t) => list.includes(t));
      }
    }
  }
  r.throwIfInvalid();
  // Kept normalised (e.g. "http://host:8080" → "http://host:8080/"): the signature covers it as sent.
  return { url: new URL(url!).href, types };
}

function urlProblem(text: string): string | null {
  if (text.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.hash !== '') return 'must not have a fragment';
  return null;
}

/** `?types=PaymentSettled,PaymentQueued` on the stream: null for all. */
export function parseTypesQuery(value: unknown): Set<string> | null {
  if (value === undefined || value === '') return null;
  const r = new BodyReader();
  const list = typeof value === 'string' ? value.split(',').map((t) => t.trim()) : null;
  if (list === null) r.fail('?types', 'must_be_string', 'types must be given once, comma-separated');
  const unknown = (list ?? []).filter((t) => !NOTIFIABLE_EVENT_TYPES.includes(t));
  if (unknown.length > 0) {
    r.fail(
      '?types',
      'event_type_unknown',
      `unknown event type(s) ${unknown.map((t) => JSON.stringify(t)).join(', ')}; known: ${NOTIFIABLE_EVENT_TYPES.join(', ')}`,
    );
  }
  r.throwIfInvalid();
  return new Set(list);
}
