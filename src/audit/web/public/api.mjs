/**
 * The service's API as the page calls it: every request signed in the browser (signer.js) with
 * the key the user gave, sent to this page's own origin. Errors are the service's problem
 * details (RFC 9457), kept whole so the page can say exactly what was refused.
 */
import { signGet } from './signer.mjs';

export class ApiError extends Error {
  constructor(status, problem, url) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.url = url;
  }
}

/** The URL of a route on this origin, with the query parameters that have a value. */
export function routeUrl(path, query = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  return url.href;
}

async function send(url, headers) {
  const response = await fetch(url, { method: 'GET', headers, cache: 'no-store', credentials: 'omit' });
  const text = await response.text();
  let body = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = { detail: text };
    }
  }
  if (!response.ok) throw new ApiError(response.status, body, url);
  return body;
}

export class Api {
  /** `signer`: `{ keyId, secretKey }`, the secret key as 32 bytes. */
  constructor(signer) {
    this.signer = signer;
  }

  /** A signed GET. */
  get(path, query) {
    const url = routeUrl(path, query);
    const { headers } = signGet({ url, keyId: this.signer.keyId, secretKey: this.signer.secretKey });
    return send(url, headers);
  }

  /** An unsigned GET, for the public routes (the node's key). */
  static getPublic(path) {
    return send(routeUrl(path), {});
  }

  /**
   * Every page of a list route that answers `{ items, nextCursor }`, up to `maxItems` (then
   * `truncated` says so: the page never shows a partial sum as if it were whole).
   */
  async all(path, query, maxItems = 5000) {
    const items = [];
    let after;
    for (;;) {
      const page = await this.get(path, { ...query, limit: 500, after });
      items.push(...page.items);
      if (page.nextCursor === null || page.nextCursor === undefined) return { items, truncated: false };
      if (items.length >= maxItems) return { items, truncated: true };
      after = page.nextCursor;
    }
  }
}
