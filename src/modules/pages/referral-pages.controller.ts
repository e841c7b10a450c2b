import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { AppConfig } from '../../config/app-config';
import { ReferralHistoryService } from '../referrals/referral-history.service';
import { isOpen, ReferralStatus } from '../referrals/referral-status.enum';
import { ReferralView } from '../referrals/referral.view';
import { ReferralsService } from '../referrals/referrals.service';
import { Role } from '../users/role.enum';
import { PageAuthGuard, PageRequest, PageRoles } from './page-auth.guard';
import { PageExceptionFilter } from './page-exception.filter';
import { formatInstant, REFERRAL_STATUS_LABELS } from './page-format';
import { PageRenderer } from './page-renderer';

const CASELOAD_LIMIT = 200;

/** Worst standing first: who needs the officer's attention now. */
const STANDING_ORDER: ReferralStatus[] = [
  ReferralStatus.NonCompliant,
  ReferralStatus.FailedToEnroll,
  ReferralStatus.Referred,
  ReferralStatus.Active,
  ReferralStatus.Completed,
  ReferralStatus.Terminated,
  ReferralStatus.Closed,
];

/** The next date that matters for an order in this state. */
export function nextDeadline(referral: Pick<ReferralView, 'status' | 'enrollBy' | 'completeBy'>): { label: string; date: string } | null {
  if (referral.status === ReferralStatus.Referred || referral.status === ReferralStatus.FailedToEnroll) {
    return { label: 'Enroll by', date: referral.enrollBy };
  }
  if (referral.status === ReferralStatus.Active || referral.status === ReferralStatus.NonCompliant) {
    return { label: 'Complete by', date: referral.completeBy };
  }
  return null;
}

/** The probation officer's caseload and the referral page (which admins share). */
@ApiExcludeController()
@Public()
@Controller()
@UseGuards(PageAuthGuard)
@UseFilters(PageExceptionFilter)
export class ReferralPagesController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly history: ReferralHistoryService,
    private readonly renderer: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('caseload')
  @PageRoles(Role.ProbationOfficer)
  async caseload(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    const page = await this.referrals.list(req.pageSession!.user, { limit: CASELOAD_LIMIT, offset: 0 });
    const rank = (status: ReferralStatus) => STANDING_ORDER.indexOf(status);
    const rows = [...page.items]
      .sort((a, b) => rank(a.status) - rank(b.status) || (nextDeadline(a)?.date ?? '9999').localeCompare(nextDeadline(b)?.date ?? '9999'))
      .map((referral) => ({ ...referral, deadline: nextDeadline(referral), worrying: referral.status === ReferralStatus.NonCompliant || referral.status === ReferralStatus.FailedToEnroll }));
    const counts = STANDING_ORDER.map((status) => ({
      status,
      label: REFERRAL_STATUS_LABELS[status],
      count: page.items.filter((referral) => referral.status === status).length,
    })).filter((entry) => entry.count > 0);
    this.renderer.render(req, res, 'caseload', {
      title: 'My caseload',
      rows,
      counts,
      total: page.total,
      truncated: page.total > page.items.length,
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
  ): Promise<void> {
    const user = req.pageSession!.user;
    const referral = await this.referrals.get(user, referralId);
    const history = await this.history.attendance(user, referralId);
    this.renderer.render(req, res, 'referral', {
      title: `${referral.participant.firstName} ${referral.participant.lastName} — ${referral.caseNumber}`,
      referral,
      deadline: nextDeadline(referral),
      statusChangedAt: formatInstant(referral.statusChangedAt, this.config.programTimeZone),
      attendance: [...history.attendance].reverse(),
      enrollments: history.enrollments,
      isAdmin: user.role === Role.Admin,
      canEnroll: user.role === Role.Admin && isOpen(referral.status),
      created: created === '1',
      enrolled: enrolled === '1',
    });
  }
}
