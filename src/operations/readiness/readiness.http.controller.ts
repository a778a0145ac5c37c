import { Controller, Get } from '@nestjs/common';
import { Public } from '../../platform/auth/caller.js';
import { ProblemException } from '../../platform/http/problem.js';
import { ReadinessCheck } from './readiness.check.js';

/** Seconds a load balancer or orchestrator is told to wait before asking again. */
const RETRY_AFTER_SECONDS = 5;

/** Readiness probe: 200 when this instance can serve, else 503 not_ready saying what is not. */
@Controller()
@Public()
export class ReadinessController {
  constructor(private readonly readiness: ReadinessCheck) {}

  @Get('ready')
  async ready() {
    const { ready, position, failures } = await this.readiness.check();
    if (!ready) {
      throw new ProblemException(
        {
          code: 'not_ready',
          status: 503,
          title: 'The service is not ready',
          detail: failures.map((failure) => failure.detail).join(' '),
          errors: failures,
        },
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
    return { status: 'ready', database: 'ok', sequencer: 'writing', position: position.toString() };
  }
}
