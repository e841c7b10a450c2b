import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Writable } from 'node:stream';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { LoggingModule } from './common/logging/logging.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { AgenciesModule } from './modules/agencies/agencies.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { QueuesModule } from './modules/queues/queues.module';
import { UsersModule } from './modules/user-admin/users.module';
import { AttendanceModule } from './modules/attendance/attendance.module';
import { CurriculaModule } from './modules/curricula/curricula.module';
import { EnrollmentsModule } from './modules/enrollments/enrollments.module';
import { GroupsModule } from './modules/groups/groups.module';
import { PoliciesModule } from './modules/policies/policies.module';
import { ReferralsModule } from './modules/referrals/referrals.module';
import { ReferralLifecycleModule } from './modules/referral-lifecycle/referral-lifecycle.module';
import { FeesModule } from './modules/fees/fees.module';
import { SessionsModule } from './modules/sessions/sessions.module';
import { PagesModule } from './modules/pages/pages.module';
import { ComplianceModule } from './modules/compliance/compliance.module';
import { NoticesModule } from './modules/notices/notices.module';
import { ReportsModule } from './modules/reports/reports.module';
import { ProtectedPartiesModule } from './modules/protected-parties/protected-parties.module';
import { ResponsesModule } from './modules/responses/responses.module';
import { AssessmentsModule } from './modules/assessments/assessments.module';
import { WorkerModule } from './modules/worker/worker.module';
import { AccountabilityModule } from './modules/accountability/accountability.module';
import { AccessModule } from './modules/access/access.module';

export interface AppModuleOptions {
  /** Extra destination for log lines (tests read it to prove nothing sensitive is logged). */
  logStream?: Writable;
}

@Module({})
export class AppModule {
  /** One module tree for every role; APP_ROLE decides whether HTTP is served and workers run. */
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config, options.logStream),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), retryAttempts: 3, retryDelay: 1_000 }),
        QueuesModule,
        AuditModule,
        AccessModule,
        AuthModule,
        AgenciesModule,
        UsersModule,
        HealthModule,
        PoliciesModule,
        CurriculaModule,
        ReferralsModule,
        FeesModule,
        ResponsesModule,
        AssessmentsModule,
        ProtectedPartiesModule,
        GroupsModule,
        SessionsModule,
        EnrollmentsModule,
        ReferralLifecycleModule,
        AttendanceModule,
        ComplianceModule,
        NoticesModule,
        ReportsModule,
        PagesModule,
        AccountabilityModule,
        // Processors, the relay and nightly jobs run only where APP_ROLE says workers run.
        ...(config.runsWorkers ? [WorkerModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
