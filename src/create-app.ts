import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import { AppModule } from './app.module.js';
import type { Clock } from './platform/clock/clock.js';
import type { AppConfig } from './platform/config/config.js';
import { SequencerHost } from './platform/sequencer/sequencer.host.js';
import { InstitutionsBootstrap } from './institutions/index.js';
import { ServiceMetrics } from './operations/index.js';
import { requestContext, type RequestSummary } from './platform/http/request-context.js';
import { answerClientErrorsAsProblems } from './platform/http/client-errors.js';
import { createLog, type Log } from './platform/logging/log.js';
import { PinoNestLogger } from './platform/logging/nest-logger.js';

export const OPENAPI_PATH = path.join(__dirname, '..', '..', 'openapi.yaml');

export interface RunningApp {
  readonly app: NestExpressApplication;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly sequencer: SequencerHost;
  /** The JSON log (null when started with `logger: false` and no `log`). */
  readonly log: Log | null;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /**
   * Nest's logger. Default: the JSON log. `false` silences Nest and, unless `log` is given, the
   * request log too (what the tests and benchmarks do).
   */
  logger?: LoggerService | false;
  /** The JSON log (request lines, and Nest's messages unless `logger` says otherwise). */
  log?: Log;
  /**
   * SIGTERM / SIGINT close the app (stop accepting, answer the requests in flight, drain the
   * sequencer, close the database) and exit with 0. For the process entry point only: a test or
   * benchmark process hosting apps keeps its own signal handling.
   */
  exitOnSignals?: boolean;
}

/**
 * Builds and starts the service: opens the database (migrations), takes the writer lease,
 * rebuilds state, then listens. Used by main.ts, the tests and the benchmarks alike.
 */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? (options.logger === false ? null : createLog(config.logLevel));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.clock), {
    logger: options.logger ?? (log === null ? false : new PinoNestLogger(log)),
    bodyParser: false,
    rawBody: true, // request signatures cover the body's exact bytes (Content-Digest)
    abortOnError: false, // a failed start rejects (callers report it) instead of exiting the process
  });
  // 8,000 transfers of ~300 bytes each fit in 4 MB; a little room on top.
  app.useBodyParser('json', { limit: '6mb', strict: true });
  // ISO 20022 messages (docs/iso20022.md) arrive as application/xml text; one message holds one
  // transaction, so 1 MB is generous. The raw bytes are kept too: the signature covers them.
  app.useBodyParser('text', { type: ['application/xml', 'text/xml'], limit: '1mb' });
  app.disable('x-powered-by');
  answerClientErrorsAsProblems(app.getHttpServer());
  // First: every request gets its id before anything can answer it (problem details carry it).
  const observers: Array<(summary: RequestSummary) => void> = [];
  app.use(requestContext(log, observers));
  if (options.exitOnSignals) app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const openapi = fs.readFileSync(OPENAPI_PATH, 'utf8');
  app.use('/openapi.yaml', (_req: Request, res: Response) => {
    res.type('application/yaml').send(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.yaml' } }));
  try {
    // Lease, state rebuild (SequencerHost), then the operator and demo network, then listen.
    await app.init();
    const metrics = app.get(ServiceMetrics);
    observers.push((summary) => {
      if (summary.problemCode !== undefined) metrics.problemSent(summary.problemCode);
    });
    await app.get(InstitutionsBootstrap).run();
    await app.listen(config.port, config.host);
  } catch (error) {
    // Lease refused, rebuild failed, port taken: release the pool, the lease and the embedded
    // database before reporting, or the process would hang on open handles.
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    url: `http://${host}:${address.port}`,
    sequencer: app.get(SequencerHost),
    log,
    close: () => app.close(),
  };
}
