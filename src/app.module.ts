import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { CommonModule } from './common/common.module.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { AppValidationPipe } from './common/errors/validation.pipe.js';
import { loggerParams } from './common/http/logger-params.js';
import { ListScopeInterceptor } from './common/pagination/list-scope.interceptor.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { ENTITIES } from './entities.js';
import { AdministrationsModule } from './modules/administrations/index.js';
import { AdmissionsModule } from './modules/admissions/index.js';
import { AftercareModule } from './modules/aftercare/index.js';
import { HandoffModule } from './modules/handoff/index.js';
import { AuditModule } from './modules/audit/index.js';
import { BillingModule } from './modules/billing/index.js';
import { EnquiriesModule } from './modules/enquiries/index.js';
import { IntakeModule } from './modules/intake/index.js';
import { IntakeCorrectionsModule } from './modules/intake-corrections/index.js';
import { ObservationsModule } from './modules/observations/index.js';
import { PainPlanModule } from './modules/pain-plan/index.js';
import { PatientsModule } from './modules/patients/index.js';
import { TaperOrdersModule } from './modules/taper-orders/index.js';
import { TriageModule } from './modules/triage/index.js';
import { AuthModule } from './modules/auth/index.js';
import { HealthModule } from './modules/health/index.js';
import { UsersModule } from './modules/users/index.js';

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
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, { entities: ENTITIES, timeouts: config.databaseTimeouts })),
        CommonModule,
        UsersModule,
        AuthModule,
        AuditModule,
        HealthModule,
        EnquiriesModule,
        PatientsModule,
        IntakeModule,
        TriageModule,
        AdmissionsModule,
        TaperOrdersModule,
        ObservationsModule,
        PainPlanModule,
        IntakeCorrectionsModule,
        BillingModule,
        AdministrationsModule,
        AftercareModule,
        HandoffModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useClass: AppValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: ListScopeInterceptor },
      ],
    };
  }
}
