import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import type { EmbeddedPostgres } from './embedded-postgres.js';

/**
 * Opens the database the configuration names: the PostgreSQL server at DATABASE_URL, or the
 * embedded one when it is unset. Runs the migrations (the same on both) before returning.
 */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    readonly kind: 'postgres' | 'embedded',
    private readonly embedded: EmbeddedPostgres | null,
  ) {}

  static async open(
    config: AppConfig,
    entities: NonNullable<DataSourceOptions['entities']> = [],
  ): Promise<Database> {
    // Loaded only when used: PGlite is half a megabyte of JavaScript to compile at every start.
    const embedded =
      config.databaseUrl === null
        ? await (await import('./embedded-postgres.js')).EmbeddedPostgres.start(config.dataDir)
        : null;
    try {
      const schema = config.databaseSchema;
      const dataSource = new DataSource({
        type: 'postgres',
        ...(embedded ? embedded.connection : { url: config.databaseUrl! }),
        schema,
        entities,
        migrations: [path.join(__dirname, '..', '..', '..', 'migrations', '*.js')],
        migrationsTableName: 'schema_migrations',
        installExtensions: false,
        synchronize: false,
        logging: false,
        // Every connection of the pool resolves unqualified table names in our schema. The
        // embedded database is one PostgreSQL session behind a socket that interleaves the
        // protocol messages of concurrent statements from different connections: one pooled
        // connection serialises them (the writer lease has its own client).
        extra: {
          max: embedded ? 1 : 16,
          options: `-c search_path=${schema}`,
        },
      });
      if (embedded === null && schema !== 'public') await createSchema(config.databaseUrl!, schema);
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      return new Database(dataSource, embedded ? 'embedded' : 'postgres', embedded);
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}

async function createSchema(url: string, schema: string): Promise<void> {
  const bootstrap = new DataSource({ type: 'postgres', url, installExtensions: false });
  await bootstrap.initialize();
  try {
    await bootstrap.query(`create schema if not exists "${schema}"`);
  } finally {
    await bootstrap.destroy();
  }
}
