import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { AppConfig } from '../../config/app-config';
import { CaseloadService, STANDING_ORDER } from '../compliance/caseload.service';
import { NoticesService } from '../notices/notices.service';
import { ProgressReportService } from '../reports/progress-report.service';
import { ReferralHistoryService } from '../referrals/referral-history.service';
import { isOpen } from '../referrals/referral-status.enum';
import { ReferralsService } from '../referrals/referrals.service';
import { Role } from '../users/role.enum';
import { acknowledgeable, NOTICES_SHOWN } from './page-notices';
import { PageAuthGuard, PageRequest, PageRoles } from './page-auth.guard';
import { PageExceptionFilter } from './page-exception.filter';
import { formatInstant, STANDING_LABELS } from './page-format';
import { PageRenderer } from './page-renderer';

const ATTENTION: readonly string[] = ['non_compliant', 'at_risk', 'failed_to_enroll'];

/** The probation officer's caseload, and the referral page with its history, notices and report (admins share it). */
@ApiExcludeController()
@Public()
@Controller()
@UseGuards(PageAuthGuard)
@UseFilters(PageExceptionFilter)
export class ReferralPagesController {
  constructor(
    private readonly caseloads: CaseloadService,
    private readonly referrals: ReferralsService,
    private readonly history: ReferralHistoryService,
    private readonly notices: NoticesService,
    private readonly progressReports: ProgressReportService,
    private readonly renderer: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('caseload')
  @PageRoles(Role.ProbationOfficer)
  async caseload(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    const caseload = await this.caseloads.caseload(req.pageSession!.user);
    this.renderer.render(req, res, 'caseload', {
      title: 'My caseload',
      rows: caseload.items.map((entry) => ({ ...entry, attention: ATTENTION.includes(entry.standing) })),
      counts: STANDING_ORDER.filter((standing) => caseload.counts[standing] > 0).map((standing) => ({
        standing,
        label: STANDING_LABELS[standing],
        count: caseload.counts[standing],
      })),
      total: caseload.items.length,
    });
  }

  @Get('referrals/:id')
  @PageRoles(Role.ProbationOfficer, Role.Admin)
  async referral(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @Query('created') created?: string,
    @Query('enrolled') enrolled?: string,
    @Query('acknowledged') acknowledged?: string,
  ): Promise<void> {
    const user = req.pageSession!.user;
    const referral = await this.referrals.get(user, referralId);
    const history = await this.history.attendance(user, referralId);
    const notices = await this.notices.list(user, { referralId, limit: NOTICES_SHOWN, offset: 0 });
    this.renderer.render(req, res, 'referral', {
      title: `${referral.participant.firstName} ${referral.participant.lastName} — ${referral.caseNumber}`,
      referral,
      statusChangedAt: formatInstant(referral.statusChangedAt, this.config.programTimeZone),
      attendance: [...history.attendance].reverse(),
      enrollments: history.enrollments,
      notices: notices.items.map((notice) => ({ ...notice, canAcknowledge: acknowledgeable(user, notice) })),
      noticesTruncated: notices.total > notices.items.length,
      back: req.path,
      isAdmin: user.role === Role.Admin,
      canEnroll: user.role === Role.Admin && isOpen(referral.status),
      created: created === '1',
      enrolled: enrolled === '1',
      acknowledged: acknowledged === '1',
    });
  }

  /** The API's progress report, reached with the page session (a link cannot carry a bearer token). */
  @Get('referrals/:id/progress-report.pdf')
  @PageRoles(Role.ProbationOfficer, Role.Admin)
  async progressReport(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) referralId: string): Promise<void> {
    const pdf = await this.progressReports.render(req.pageSession!.user, referralId);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="progress-report-${referralId}.pdf"`);
    res.send(pdf);
  }
}
