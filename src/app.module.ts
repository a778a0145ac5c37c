import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Clock } from './platform/clock/clock.js';
import type { AppConfig } from './platform/config/config.js';
import { ProblemFilter } from './platform/http/problem.filter.js';
import { PlatformModule } from './platform/platform.module.js';
import { HealthController } from './health/health.controller.js';
import { LEDGER_ENTITIES, LedgerModule } from './ledger/index.js';
import { InstitutionsModule } from './institutions/index.js';
import { WALLETS_ENTITIES, WalletsModule } from './wallets/index.js';
import { ISSUANCE_ENTITIES, IssuanceModule } from './issuance/index.js';
import { FxModule } from './fx/index.js';
import { CorridorsModule } from './corridors/index.js';
import { PaymentsModule } from './payments/index.js';
import { NotificationsModule } from './notifications/index.js';
import { AuditModule } from './audit/audit.module.js';
import { OperationsModule } from './operations/index.js';
import { Iso20022Module } from './iso20022/index.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          clock,
          entities: [...LEDGER_ENTITIES, ...WALLETS_ENTITIES, ...ISSUANCE_ENTITIES],
        }),
        LedgerModule,
        InstitutionsModule,
        WalletsModule,
        IssuanceModule,
        FxModule,
        CorridorsModule,
        PaymentsModule,
        NotificationsModule,
        AuditModule,
        OperationsModule,
        Iso20022Module,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
