import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CommitFailedError, NotTheWriterError } from '../sequencer/sequencer.js';
import { ProblemException, toProblem } from './problem.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import type { RequestWithId } from './request-context.js';
import type { Rejection } from '../decider/decider.js';

/**
 * Every error leaves as an RFC 9457 problem detail with a stable code, including the ones raised
 * by Express before our code runs (malformed JSON, body too large) and unknown routes.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestWithId>();
    const response = http.getResponse<Response>();
    const { rejection, headers } = classifyError(error);
    if (rejection.status >= 500)
      this.logger.error(`${request.method} ${request.url}: ${String((error as Error)?.stack ?? error)}`);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    // For the request log and the metrics (signature failures by reason).
    response.locals.problemCode = rejection.code;
    response
      .status(rejection.status)
      .type('application/problem+json')
      .send(JSON.stringify(toProblem(rejection, request.originalUrl, request.requestId)));
  }
}

/**
 * The problem an error stands for, and the headers that go with it (Retry-After). Used for whole
 * responses (ProblemFilter) and for the items of a batch answered one by one.
 */
export function classifyError(error: unknown): { rejection: Rejection; headers: Record<string, string> } {
  if (error instanceof ProblemException) return { rejection: error.problem, headers: { ...error.headers } };
  if (error instanceof CommitFailedError) {
    return {
      rejection: {
        code: 'commit_failed',
        status: 503,
        title: 'The ledger could not commit',
        detail:
          'The database did not accept the batch this request was part of; nothing of it happened. Retry with the same idempotency key.',
      },
      headers: { 'Retry-After': '1' },
    };
  }
  if (error instanceof NotTheWriterError) {
    return {
      rejection: {
        code: 'not_the_writer',
        status: 503,
        title: 'This instance is not writing',
        detail: error.message,
      },
      headers: { 'Retry-After': '1' },
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      rejection: {
        code: 'database_unavailable',
        status: 503,
        title: 'The database is unavailable',
        detail:
          'The database cannot be reached right now; this request wrote nothing. Retry (with the same idempotency key).',
      },
      headers: { 'Retry-After': '1' },
    };
  }
  // Errors raised by body-parser carry `type` and `status`; Nest's Express adapter wraps them in
  // an HttpException with the original as `cause` (so without this, a body over the limit was
  // answered `http_413` instead of the documented `payload_too_large`).
  const cause = error instanceof HttpException ? (error.cause as { type?: unknown } | undefined) : undefined;
  const parserError = (typeof cause?.type === 'string' ? cause : error) as {
    type?: string;
    status?: number;
    message?: string;
  };
  if (parserError?.type === 'entity.parse.failed') {
    return { rejection: bad(400, 'malformed_json', 'The request body is not valid JSON.'), headers: {} };
  }
  if (parserError?.type === 'entity.too.large') {
    return {
      rejection: bad(413, 'payload_too_large', 'The request body is larger than the service accepts.'),
      headers: {},
    };
  }
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported') {
    return {
      rejection: bad(415, 'unsupported_encoding', 'The request body encoding is not supported.'),
      headers: {},
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const cause = error.cause as { type?: string } | undefined;
    if (cause?.type === 'entity.parse.failed') {
      return { rejection: bad(400, 'malformed_json', 'The request body is not valid JSON.'), headers: {} };
    }
    const code =
      status === 404 ? 'route_not_found' : status === 405 ? 'method_not_allowed' : `http_${status}`;
    return { rejection: bad(status, code, error.message), headers: {} };
  }
  return {
    rejection: {
      code: 'internal_error',
      status: 500,
      title: 'Internal error',
      detail: 'The service failed to handle the request. It has been logged.',
    },
    headers: {},
  };
}

function bad(status: number, code: string, detail: string): Rejection {
  return { code, status, title: status === 404 ? 'Not found' : 'The request is not valid', detail };
}
