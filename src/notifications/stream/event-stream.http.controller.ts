import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { ProblemException } from '../../platform/http/problem.js';
import { parseTypesQuery } from '../commands/register-webhook.request.js';
import { audienceOf } from '../domain/audience.js';
import { EventStreams } from './event-streams.js';

const POSITION = /^(0|[1-9][0-9]{0,18})$/;

/**
 * GET /v1/events/stream: the payment events that concern the caller, as server-sent events.
 * The signature guard checks the opening request; from then on the connection is the caller's.
 * The response is written straight to Express's (Node's) response, unbuffered.
 */
@Controller('v1/events')
export class EventStreamController {
  constructor(private readonly streams: EventStreams) {}

  @Get('stream')
  stream(
    @AuthenticatedCaller() caller: Caller,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('after') after: unknown,
    @Query('types') types: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    // A reconnecting EventSource sends Last-Event-ID and repeats the URL's ?after: the header wins.
    const from = lastEventId !== undefined && lastEventId !== '' ? lastEventId : after;
    const position = readPosition(from, lastEventId !== undefined && lastEventId !== '');
    const wanted = parseTypesQuery(types);

    request.socket.setTimeout(0);
    request.socket.setNoDelay(true);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no'); // a proxy in front must not buffer the stream
    response.flushHeaders();
    void this.streams.open(response, audienceOf(caller.institution), wanted, position);
  }
}

function readPosition(value: unknown, fromHeader: boolean): bigint {
  if (value === undefined || value === '') return 0n;
  if (typeof value !== 'string' || !POSITION.test(value)) {
    const where = fromHeader ? 'Last-Event-ID' : '?after';
    throw ProblemException.badRequest(
      'invalid_position',
      `${where} must be an event position (a non-negative integer), as sent in an event's id.`,
    );
  }
  return BigInt(value);
}
