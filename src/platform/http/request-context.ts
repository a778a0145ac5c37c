import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Log } from '../logging/log.js';
import type { AuthenticatedRequest } from '../auth/caller.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A client's request id is kept if it is a plain token: no spaces, quotes or control characters. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

export type RequestWithId = Request & { requestId?: string };

/** What is known of a request once its response has been sent (or the client went away). */
export interface RequestSummary {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  /** The key that signed it, when the signature was accepted. */
  readonly keyId: string | undefined;
  /** The problem detail's code, when the response is one (set by the ProblemFilter). */
  readonly problemCode: string | undefined;
  /** The connection closed before the response was complete. */
  readonly aborted: boolean;
}

/**
 * First middleware of the app: gives every request an id (the client's `X-Request-Id` if sane,
 * else a new UUID), echoes it on the response, and when the response is done writes one log line
 * (if there is a log) and tells the observers (metrics). The id is also in problem details
 * (`requestId`), so a client quoting an error gives the operator the line to look for.
 */
export function requestContext(log: Log | null, observers: ReadonlyArray<(summary: RequestSummary) => void>) {
  return (request: RequestWithId, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const offered = request.headers['x-request-id'];
    const requestId = typeof offered === 'string' && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
    request.requestId = requestId;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    response.once('close', () => {
      const summary: RequestSummary = {
        requestId,
        method: request.method,
        path: request.originalUrl.split('?', 1)[0]!,
        status: response.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        keyId: (request as AuthenticatedRequest).caller?.keyId,
        problemCode: response.locals.problemCode as string | undefined,
        aborted: !response.writableFinished,
      };
      for (const observer of observers) observer(summary);
      if (log === null) return;
      const line = {
        requestId,
        method: summary.method,
        path: summary.path,
        status: summary.status,
        durationMs: Math.round(summary.durationMs * 1000) / 1000,
        ...(summary.keyId !== undefined ? { keyId: summary.keyId } : {}),
        ...(summary.problemCode !== undefined ? { code: summary.problemCode } : {}),
        ...(summary.aborted ? { aborted: true } : {}),
      };
      if (summary.status >= 500) log.warn(line, 'request');
      else log.info(line, 'request');
    });
    next();
  };
}
