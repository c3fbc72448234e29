import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { CommonModule } from './common/common.module.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { AppValidationPipe } from './common/errors/validation.pipe.js';
import { loggerParams } from './common/http/logger-params.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { AdmissionsModule } from './modules/admissions/admissions.module.js';
import { AftercareModule } from './modules/aftercare/aftercare.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { BillingModule } from './modules/billing/billing.module.js';
import { EnquiriesModule } from './modules/enquiries/enquiries.module.js';
import { IntakeModule } from './modules/intake/intake.module.js';
import { ObservationsModule } from './modules/observations/observations.module.js';
import { PainPlanModule } from './modules/pain-plan/pain-plan.module.js';
import { TaperOrdersModule } from './modules/taper-orders/taper-orders.module.js';
import { TriageModule } from './modules/triage/triage.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { UsersModule } from './modules/users/users.module.js';

@Module({})
export class AppModule {
  /**
   * The whole service, on the database at `databaseUrl` (already migrated). Logs go to stdout
   * unless another destination is given (tests read them).
   */
  static forRoot(config: AppConfig, databaseUrl: string, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, logDestination)),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        CommonModule,
        UsersModule,
        AuthModule,
        AuditModule,
        HealthModule,
        EnquiriesModule,
        IntakeModule,
        TriageModule,
        AdmissionsModule,
        TaperOrdersModule,
        ObservationsModule,
        PainPlanModule,
        BillingModule,
        AftercareModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useClass: AppValidationPipe },
      ],
    };
  }
}
