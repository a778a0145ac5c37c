import type { NextFunction, Response } from 'express';
import type { InstancePhase } from '../sequencer/sequencer.host.js';
import { toProblem } from './problem.js';
import type { RequestWithId } from './request-context.js';

/** The probes and metrics answer on a standby too: they say what it is doing. */
const ALWAYS_ANSWERED = new Set(['/health', '/ready', '/metrics']);

/** How long a client is told to wait: a standby may wait long; a takeover takes a moment. */
const RETRY_AFTER_SECONDS: Record<'standby' | 'starting', string> = { standby: '5', starting: '1' };

const DETAIL: Record<'standby' | 'starting', string> = {
  standby:
    'Another instance holds the writer lease on this database; this one is a standby and serves no request until it takes the lease over. Send the request to the instance whose /ready answers 200, or retry after Retry-After seconds; nothing was done.',
  starting:
    'This instance has just taken the writer lease over and is rebuilding its state; retry after Retry-After seconds; nothing was done.',
};

/**
 * Registered right after the request context (create-app.ts), before signatures, body handling or
 * any state is looked at: until the instance serves (a standby waiting for the writer lease, or
 * one rebuilding state after taking it over), every request but the probes and metrics is
 * answered 503 `not_the_writer` with Retry-After. No request is served against half-built state.
 */
export function standbyGate(phase: () => InstancePhase) {
  return (request: RequestWithId, response: Response, next: NextFunction): void => {
    const now = phase();
    if (now === 'serving' || now === 'stopping' || ALWAYS_ANSWERED.has(request.path)) {
      next();
      return;
    }
    response.locals.problemCode = 'not_the_writer';
    response
      .status(503)
      .setHeader('Retry-After', RETRY_AFTER_SECONDS[now])
      .type('application/problem+json')
      .send(
        JSON.stringify(
          toProblem(
            {
              code: 'not_the_writer',
              status: 503,
              title: 'This instance is not writing',
              detail: DETAIL[now],
            },
            request.originalUrl,
            request.requestId,
          ),
        ),
      );
  };
}
