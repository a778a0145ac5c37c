import { ConfigError, loadConfig } from './platform/config/config.js';
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
  const running = await startApp(config);
  const where =
    config.databaseUrl === null ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL at DATABASE_URL';
  console.log(`yuanbridge is serving on ${running.url} (${where})`);
  console.log(`API docs: ${running.url}/docs`);
}

main().catch((error: unknown) => {
  console.error(`yuanbridge failed to start: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
