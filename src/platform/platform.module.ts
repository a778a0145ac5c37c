import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CLOCK, SystemClock, type Clock } from './clock/clock.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import type { DataSourceOptions } from 'typeorm';
import { Database } from './database/database.js';
import { SequencerHost } from './sequencer/sequencer.host.js';
import { NodeKey } from './node-key/node-key.js';

export interface PlatformOptions {
  readonly config: AppConfig;
  /** TypeORM entities of every module's read models. */
  readonly entities: NonNullable<DataSourceOptions['entities']>;
  readonly clock?: Clock;
}

/** Config, clock, database and the single writer, available to every module. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: options.clock ?? new SystemClock() },
        { provide: Database, useFactory: () => Database.open(options.config, options.entities) },
        NodeKey,
        SequencerHost,
      ],
      exports: [APP_CONFIG, CLOCK, Database, NodeKey, SequencerHost, CqrsModule],
    };
  }
}
