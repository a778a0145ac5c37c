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
  const running = await startApp(config, { log, exitOnSignals: true });
  const where =
    config.databaseUrl === null ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL at DATABASE_URL';
  log.info(
    { url: running.url, database: config.databaseUrl === null ? 'embedded' : 'postgres' },
    `yuanbridge is serving on ${running.url} (${where})`,
  );
  log.info({ url: `${running.url}/docs` }, `API docs: ${running.url}/docs`);
}

main().catch((error: unknown) => {
  console.error(`yuanbridge failed to start: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
