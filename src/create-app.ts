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
import { standbyGate } from './platform/http/standby-gate.js';
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
  /**
   * Resolves true once the instance serves: at once, unless it listens as a standby
   * (`serveWhileWaiting`); then when it has taken the writer lease over, rebuilt state and run the
   * bootstrap. False if it was closed first; rejects if the takeover failed (the caller should
   * close the app and exit).
   */
  readonly serving: Promise<boolean>;
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
  /**
   * With YB_LEASE_MODE=wait and the writer lease held by another instance: listen at once as a
   * standby (`/health` 200 with `role: "standby"`, `/ready` 503, every other request 503
   * `not_the_writer` with Retry-After) and take over in the background (`serving` says when).
   * Default false: startApp waits for the lease before it listens, so that the app it returns
   * serves (what the tests and benchmarks expect). main.ts sets it.
   */
  serveWhileWaiting?: boolean;
}

/**
 * Builds and starts the service: opens the database (migrations), takes the writer lease,
 * rebuilds state, runs the bootstrap, then listens (a standby, see `serveWhileWaiting`, listens
 * first and takes the lease over in the background). Used by main.ts, the tests and the benchmarks alike.
 */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? (options.logger === false ? null : createLog(config.logLevel));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.clock), {
    logger: options.logger ?? (log === null ? false : new PinoNestLogger(log)),
    bodyParser: false,
    rawBody: true, // request signatures cover the body's exact bytes (Content-Digest)
    abortOnError: false, // a failed start rejects (callers report it) instead of exiting the process
  });
  app.disable('x-powered-by');
  // No ETag on answers: the contract (openapi.yaml) offers no conditional requests, and Express
  // would otherwise hash every body it sends, submissions included.
  app.set('etag', false);
  answerClientErrorsAsProblems(app.getHttpServer());
  // First: every request gets its id before anything can answer it (problem details carry it).
  const observers: Array<(summary: RequestSummary) => void> = [];
  app.use(requestContext(log, observers));
  // Then, until this instance serves (a standby, or state still being rebuilt): 503 not_the_writer.
  const host = app.get(SequencerHost);
  if (options.serveWhileWaiting) host.standByInBackground();
  app.use(standbyGate(() => host.phase));
  // 8,000 transfers of ~300 bytes each fit in 4 MB; a little room on top.
  app.useBodyParser('json', { limit: '6mb', strict: true });
  // ISO 20022 messages (docs/iso20022.md) arrive as application/xml text; a credit transfer of
  // 1,000 transactions (the most one message takes) is ~1.5 MB. The raw bytes are kept too: the
  // signature covers them.
  app.useBodyParser('text', { type: ['application/xml', 'text/xml'], limit: '3mb' });
  if (options.exitOnSignals) app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const openapi = fs.readFileSync(OPENAPI_PATH, 'utf8');
  app.use('/openapi.yaml', (_req: Request, res: Response) => {
    res.type('application/yaml').send(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.yaml' } }));
  const bootstrap = async (): Promise<void> => {
    await app.get(InstitutionsBootstrap).run();
    host.markServing();
  };
  try {
    // Lease, state rebuild (SequencerHost), then the operator and demo network, then listen. A
    // standby (serveWhileWaiting, the lease held elsewhere) listens first and does this later.
    await app.init();
    const metrics = app.get(ServiceMetrics);
    observers.push((summary) => {
      if (summary.problemCode !== undefined) metrics.problemSent(summary.problemCode);
    });
    if (host.hasStarted) await bootstrap();
    await app.listen(config.port, config.host);
  } catch (error) {
    // Lease refused, rebuild failed, port taken: release the pool, the lease and the embedded
    // database before reporting, or the process would hang on open handles.
    await app.close().catch(() => undefined);
    throw error;
  }
  const serving: Promise<boolean> = host.isServing
    ? Promise.resolve(true)
    : host
        .whenWriting()
        .then(async () => {
          if (host.phase === 'stopping') return false;
          await bootstrap();
          return true;
        })
        .catch((error: unknown) => {
          if (host.phase === 'stopping') return false; // closed while standing by: not a failure
          throw error;
        });
  serving.catch(() => undefined); // reported to whoever awaits `serving`
  const address = app.getHttpServer().address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    url: `http://${hostname}:${address.port}`,
    sequencer: host,
    log,
    serving,
    close: () => app.close(),
  };
}
