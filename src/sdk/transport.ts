import { randomUUID } from 'node:crypto';
import { keyFromBase64url } from '../platform/signatures/keys.js';
import { signRequest } from '../platform/signatures/sign-request.js';
import { OPERATIONS, type OperationId, type OperationInfo, type Operations } from './generated/api-types.js';
import { YuanbridgeProblem } from './problem.js';

export interface YuanbridgeClientOptions {
  /** The service's base URL, e.g. http://127.0.0.1:3000. */
  readonly baseUrl: string;
  /** The institution's current key id (GET /v1/institutions/{id} shows it). */
  readonly keyId?: string;
  /** Its 32-byte Ed25519 secret key, raw or as unpadded base64url (as in data/keys.json). */
  readonly secretKey?: Uint8Array | string;
  /** Retries of a 503 (idempotent requests only). Default: 3 retries, at most 30 s apart. */
  readonly retry?: { readonly retries?: number; readonly maxDelayMs?: number; readonly baseDelayMs?: number };
  /** A fetch implementation (default: the global one); tests and proxies pass their own. */
  readonly fetch?: typeof fetch;
  /** Extra headers on every request (e.g. X-Request-Id is better given per call). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What one call takes: path and query parameters, a body, and per-request settings. */
export interface CallOptions<Op extends OperationId> {
  readonly path?: Operations[Op]['path'];
  readonly query?: Operations[Op]['query'];
  readonly body?: Operations[Op]['body'];
  /** For operations that take one; default: a new UUID, kept across this call's retries. */
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

type SuccessCode = 200 | 201 | 202 | 204;
/** The body of an operation's successful response. */
export type SuccessBody<Op extends OperationId> = Operations[Op]['responses'][Extract<
  keyof Operations[Op]['responses'],
  SuccessCode
>];

/** A successful response: its body and what the headers tell a client. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Headers;
  /** True when the service answered with the stored reply of an earlier request with this key. */
  readonly replayed: boolean;
  /** The Idempotency-Key sent, if any: reuse it to retry the same operation later. */
  readonly idempotencyKey: string | undefined;
  readonly requestId: string | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Sends operations of openapi.yaml: builds the URL from the operation's path template, signs
 * the exact bytes sent (RFC 9421, the SDK's Ed25519 key, @noble/curves), adds an
 * Idempotency-Key where the operation takes one, retries a 503, and turns refusals into
 * YuanbridgeProblem.
 */
export class Transport {
  private readonly baseUrl: string;
  private readonly keyId: string | undefined;
  private readonly secretKey: Uint8Array | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  private readonly maxDelayMs: number;
  private readonly baseDelayMs: number;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(options: YuanbridgeClientOptions) {
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl))
      throw new TypeError('baseUrl must be an http(s) URL');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    if ((options.keyId === undefined) !== (options.secretKey === undefined))
      throw new TypeError('give keyId and secretKey together (or neither, for public operations only)');
    this.keyId = options.keyId;
    this.secretKey =
      typeof options.secretKey === 'string'
        ? keyFromBase64url(options.secretKey, 'secretKey')
        : options.secretKey;
    this.fetchImpl = options.fetch ?? fetch;
    this.retries = options.retry?.retries ?? 3;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
    this.baseDelayMs = options.retry?.baseDelayMs ?? 500;
    this.headers = options.headers ?? {};
  }

  /** The operation's URL: path parameters filled in (encoded), query parameters appended. */
  url(info: OperationInfo, path: object | undefined, query: object | undefined): string {
    const params = (path ?? {}) as Record<string, unknown>;
    const filled = info.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined || value === null || value === '')
        throw new TypeError(`${info.method} ${info.path}: path parameter '${name}' is required`);
      return encodeURIComponent(String(value));
    });
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
      if (value === undefined || value === null) continue;
      search.append(name, String(value));
    }
    const qs = search.toString();
    return `${this.baseUrl}${filled}${qs === '' ? '' : `?${qs}`}`;
  }

  /** Sends the operation and returns the raw response once it is final (after any retries). */
  async fetchOperation<Op extends OperationId>(
    operationId: Op,
    options: CallOptions<Op> = {},
  ): Promise<{ response: Response; idempotencyKey: string | undefined }> {
    const info: OperationInfo = OPERATIONS[operationId];
    const url = this.url(info, options.path, options.query);
    const body =
      options.body === undefined
        ? undefined
        : info.bodyType === 'xml'
          ? String(options.body)
          : JSON.stringify(options.body);
    if (body === undefined && info.body === 'required')
      throw new TypeError(`${operationId} needs a body (${info.method} ${info.path})`);
    if (body !== undefined && info.body === 'none')
      throw new TypeError(`${operationId} takes no body (${info.method} ${info.path})`);
    if (options.idempotencyKey !== undefined && info.idempotencyKey === 'none')
      throw new TypeError(`${operationId} takes no Idempotency-Key`);
    // One key for every attempt: a retry after a lost reply must be the same operation.
    const idempotencyKey =
      info.idempotencyKey === 'none' ? undefined : (options.idempotencyKey ?? randomUUID());
    if (info.signed && this.secretKey === undefined)
      throw new TypeError(`${operationId} must be signed: create the client with keyId and secretKey`);

    // Safe to send again: the method is idempotent, or the service deduplicates by the key.
    const retryable = info.method !== 'POST' || idempotencyKey !== undefined;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...this.headers,
        ...options.headers,
      };
      if (body !== undefined)
        headers['content-type'] = info.bodyType === 'xml' ? 'application/xml' : 'application/json';
      if (info.bodyType === 'xml' || info.response === 'text') headers.accept = '*/*';
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      // Signed afresh per attempt: the service refuses a signature it has seen (replay guard).
      if (this.secretKey !== undefined && this.keyId !== undefined) {
        Object.assign(
          headers,
          signRequest({
            method: info.method,
            url,
            headers,
            body,
            keyId: this.keyId,
            secretKey: this.secretKey,
          }),
        );
      }
      const response = await this.fetchImpl(url, {
        method: info.method,
        headers,
        body,
        signal: options.signal,
      });
      if (response.status !== 503 || !retryable || attempt >= this.retries)
        return { response, idempotencyKey };
      const delay = this.retryDelay(response.headers.get('retry-after'), attempt);
      await response.body?.cancel().catch(() => undefined);
      await sleep(delay, options.signal);
    }
  }

  /** Retry-After (seconds, or an HTTP date) when given, else exponential backoff; capped. */
  private retryDelay(retryAfter: string | null, attempt: number): number {
    let ms: number | undefined;
    if (retryAfter !== null) {
      if (/^\d+$/.test(retryAfter.trim())) ms = Number(retryAfter.trim()) * 1000;
      else if (!Number.isNaN(Date.parse(retryAfter))) ms = Math.max(0, Date.parse(retryAfter) - Date.now());
    }
    ms ??= this.baseDelayMs * 2 ** attempt;
    return Math.min(ms, this.maxDelayMs);
  }

  /** Sends the operation; a 2xx becomes an ApiResponse, anything else a YuanbridgeProblem. */
  async send<Op extends OperationId>(
    operationId: Op,
    options: CallOptions<Op> = {},
  ): Promise<ApiResponse<SuccessBody<Op>>> {
    const { response, idempotencyKey } = await this.fetchOperation(operationId, options);
    const text = await response.text();
    const requestId = response.headers.get('x-request-id');
    if (!response.ok)
      throw YuanbridgeProblem.fromResponse(
        response.status,
        response.statusText,
        text,
        requestId ?? undefined,
      );
    const kind = OPERATIONS[operationId].response;
    let data: unknown = undefined;
    if (kind === 'json' && text.length > 0) data = JSON.parse(text);
    else if (kind === 'text' || kind === 'stream') data = text;
    return {
      status: response.status,
      data: data as SuccessBody<Op>,
      headers: response.headers,
      replayed: response.headers.get('idempotent-replayed') === 'true',
      idempotencyKey,
      requestId,
    };
  }
}
