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

/** The problem details of a refused request (or its text), as an ApiError. */
async function refusal(response, url) {
  const text = await response.text();
  let body = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = { detail: text };
    }
  }
  return new ApiError(response.status, body, url);
}

function fetchGet(url, headers) {
  return fetch(url, { method: 'GET', headers, cache: 'no-store', credentials: 'omit' });
}

async function send(url, headers) {
  const response = await fetchGet(url, headers);
  if (!response.ok) throw await refusal(response, url);
  const text = await response.text();
  return text === '' ? null : JSON.parse(text);
}

/** The file name a response's Content-Disposition gives, if any. */
function attachmentName(response) {
  const match = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1];
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

  /**
   * A signed GET of a file the service sends as an attachment (the exports): its body as a Blob
   * and the name the service gives it (`fallbackName` if none).
   */
  async download(path, query, fallbackName) {
    const url = routeUrl(path, query);
    const { headers } = signGet({ url, keyId: this.signer.keyId, secretKey: this.signer.secretKey });
    const response = await fetchGet(url, headers);
    if (!response.ok) throw await refusal(response, url);
    return { blob: await response.blob(), name: attachmentName(response) ?? fallbackName };
  }

  /** An unsigned GET, for the public routes (the node's key). */
  static getPublic(path) {
    return send(routeUrl(path), {});
  }
}
