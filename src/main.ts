import { ConfigError, loadConfig } from './platform/config/config.js';
import { createLog } from './platform/logging/log.js';
import { startApp } from './create-app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLog(config.logLevel);
  // With YB_LEASE_MODE=wait and another instance writing, listen at once as a standby: clients get
  // 503 not_the_writer (Retry-After), not a refused connection, until this one takes over.
  const running = await startApp(config, { log, exitOnSignals: true, serveWhileWaiting: true });
  const where =
    config.databaseUrl === null ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL at DATABASE_URL';
  const database = config.databaseUrl === null ? 'embedded' : 'postgres';
  if (!running.sequencer.isServing) {
    log.warn(
      { url: running.url, database, role: 'standby' },
      `standby: waiting for the writer lease (another instance writes); listening on ${running.url} and answering 503 not_the_writer until it takes over`,
    );
  }
  try {
    if (!(await running.serving)) return; // closed (SIGTERM) while standing by
  } catch (error) {
    console.error(`yuanbridge failed to take over: ${(error as Error)?.message ?? String(error)}`);
    await running.close().catch(() => undefined);
    process.exit(1);
  }
  log.info({ url: running.url, database }, `yuanbridge is serving on ${running.url} (${where})`);
  log.info({ url: `${running.url}/docs` }, `API docs: ${running.url}/docs`);
}

main().catch((error: unknown) => {
  console.error(`yuanbridge failed to start: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
