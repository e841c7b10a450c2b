import { FeesModule } from '../fees/fees.module';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AgenciesModule } from '../agencies/agencies.module';
import { AttendanceModule } from '../attendance/attendance.module';
import { AuthModule } from '../auth/auth.module';
import { ComplianceModule } from '../compliance/compliance.module';
import { CurriculaModule } from '../curricula/curricula.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { GroupsModule } from '../groups/groups.module';
import { NoticesModule } from '../notices/notices.module';
import { PoliciesModule } from '../policies/policies.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { ReferralLifecycleModule } from '../referral-lifecycle/referral-lifecycle.module';
import { ReportsModule } from '../reports/reports.module';
import { ResponsesModule } from '../responses/responses.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../user-admin/users.module';
import { AccountabilityModule } from '../accountability/accountability.module';
import { AssessmentsModule } from '../assessments/assessments.module';
import { AccountabilityPagesController } from './accountability-pages.controller';
import { AdminPagesController } from './admin-pages.controller';
import { AdvocatePagesController } from './advocate-pages.controller';
import { ProtectedPartiesModule } from '../protected-parties/protected-parties.module';
import { AccountPagesController } from './account-pages.controller';
import { AuthPagesController } from './auth-pages.controller';
import { CourtPagesController } from './court-pages.controller';
import { FacilitatorPagesController } from './facilitator-pages.controller';
import { GroupPagesController } from './group-pages.controller';
import { InboxPagesController } from './inbox-pages.controller';
import { CoordinatorPagesController } from './coordinator-pages.controller';
import { NoticesPagesController } from './notices-pages.controller';
import { PageAuthGuard } from './page-auth.guard';
import { PageExceptionFilter } from './page-exception.filter';
import { HTML_ERROR_PAGES } from '../../common/errors/html-error-pages';
import { PageRenderer } from './page-renderer';
import { PageSessionService } from './page-session.service';
import { ReferralPagesController } from './referral-pages.controller';
import { AgencyPagesController } from './agency-pages.controller';
import { GroupEditPagesController } from './group-edit-pages.controller';
import { PolicyPagesController } from './policy-pages.controller';
import { UserPagesController } from './user-pages.controller';

/**
 * Server-rendered pages for the people who use the program, one controller per role's area.
 * They call the same services as the API, so the same access rules and validation apply.
 */
@Module({
  imports: [
    JwtModule.register({}),
    FeesModule,
    AuthModule,
    AgenciesModule,
    UsersModule,
    PoliciesModule,
    CurriculaModule,
    ReferralsModule,
    ReferralLifecycleModule,
    GroupsModule,
    SessionsModule,
    EnrollmentsModule,
    AttendanceModule,
    ComplianceModule,
    NoticesModule,
    ReportsModule,
    ProtectedPartiesModule,
    ResponsesModule,
    AccountabilityModule,
    AssessmentsModule,
  ],
  controllers: [
    AuthPagesController,
    AccountPagesController,
    FacilitatorPagesController,
    ReferralPagesController,
    AdminPagesController,
    GroupPagesController,
    CourtPagesController,
    NoticesPagesController,
    InboxPagesController,
    CoordinatorPagesController,
    AdvocatePagesController,
    AccountabilityPagesController,
    // The admin's settings; GroupEditPagesController after GroupPagesController, whose /groups/new it must not shadow.
    UserPagesController,
    AgencyPagesController,
    PolicyPagesController,
    GroupEditPagesController,
  ],
  providers: [
    PageSessionService,
    PageAuthGuard,
    PageRenderer,
    PageExceptionFilter,
    // Lets the global filter answer a browser's unknown URL with the 404 page instead of JSON.
    { provide: HTML_ERROR_PAGES, useExisting: PageExceptionFilter },
  ],
  exports: [PageSessionService, HTML_ERROR_PAGES],
})
export class PagesModule {}
