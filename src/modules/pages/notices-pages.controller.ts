import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { NoticeStatus } from '../notices/notice-status.enum';
import { NoticeView } from '../notices/notice.view';
import { NoticesService } from '../notices/notices.service';
import { Role } from '../users/role.enum';
import { PageAuthGuard, PageRequest, PageRoles } from './page-auth.guard';
import { NOTICES_SHOWN } from './page-notices';
import { PageExceptionFilter, safeNext } from './page-exception.filter';
import { EVENT_KIND_LABELS, formatAge, NOTICE_STATUS_LABELS } from './page-format';
import { FormBody, formText } from './page-forms';
import { HOME_BY_ROLE, PageRenderer } from './page-renderer';
import { ReferralsService } from '../referrals/referrals.service';
import { acknowledgeable } from './page-notices';

const QUEUE_PAGE_SIZE = 50;
const NEEDS_STAFF: NoticeStatus[] = [NoticeStatus.Dead, NoticeStatus.Unknown];

/** Adds ?flag=1 to a same-site path. */
function withFlag(path: string, flag: string): string {
  const url = new URL(path, 'http://pages.invalid');
  url.searchParams.set(flag, '1');
  return `${url.pathname}${url.search}`;
}

/** Notices: the staff queue with retry, acknowledging for recipients, and the letter as sent. */
@ApiExcludeController()
@Public()
@Controller('notices')
@UseGuards(PageAuthGuard)
@UseFilters(PageExceptionFilter)
export class NoticesPagesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly renderer: PageRenderer,
    private readonly referrals: ReferralsService,
  ) {}

  @Get()
  @PageRoles(Role.Admin)
  async queue(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Query('status') status?: string,
    @Query('offset') offsetParam?: string,
    @Query('retried') retried?: string,
  ): Promise<void> {
    const user = req.pageSession!.user;
    const statusFilter = Object.values(NoticeStatus).includes(status as NoticeStatus) ? (status as NoticeStatus) : undefined;
    const offset = offsetParam && /^\d{1,6}$/.test(offsetParam) ? Number(offsetParam) : 0;
    const [summary, dead, unknown, page] = await Promise.all([
      this.notices.summary(),
      this.notices.list(user, { status: NoticeStatus.Dead, limit: NOTICES_SHOWN, offset: 0 }),
      this.notices.list(user, { status: NoticeStatus.Unknown, limit: NOTICES_SHOWN, offset: 0 }),
      this.notices.list(user, { status: statusFilter, limit: QUEUE_PAGE_SIZE, offset }),
    ]);
    const link = (nextOffset: number) => `/notices?${new URLSearchParams({ ...(statusFilter ? { status: statusFilter } : {}), offset: String(nextOffset) })}`;
    const retryable = (notice: NoticeView) => ({ ...notice, canRetry: NEEDS_STAFF.includes(notice.status) });
    this.renderer.render(req, res, 'notices', {
      title: 'Notice queue',
      summary: {
        ...summary,
        oldestUndelivered: summary.oldestUndeliveredSeconds === null ? null : formatAge(summary.oldestUndeliveredSeconds * 1000),
      },
      counts: Object.values(NoticeStatus).map((value) => ({ status: value, label: NOTICE_STATUS_LABELS[value], count: summary.byStatus[value] ?? 0 })),
      needsStaff: [...dead.items, ...unknown.items].map(retryable),
      notices: page.items.map(retryable),
      total: page.total,
      previous: offset > 0 ? link(Math.max(0, offset - QUEUE_PAGE_SIZE)) : null,
      next: offset + page.items.length < page.total ? link(offset + QUEUE_PAGE_SIZE) : null,
      statuses: Object.values(NoticeStatus).map((value) => ({ value, label: NOTICE_STATUS_LABELS[value], selected: value === statusFilter })),
      retried: retried === '1',
    });
  }

  @Post(':id/retry')
  @PageRoles(Role.Admin)
  @HttpCode(200)
  async retry(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) noticeId: string): Promise<void> {
    await this.notices.retry(req.pageSession!.user, noticeId);
    res.redirect(303, '/notices?retried=1');
  }

  @Post(':id/acknowledge')
  @PageRoles(Role.ProbationOfficer, Role.CourtClerk)
  @HttpCode(200)
  async acknowledge(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) noticeId: string, @Body() body: FormBody): Promise<void> {
    const user = req.pageSession!.user;
    await this.notices.acknowledge(user, noticeId);
    res.redirect(303, withFlag(safeNext(formText(body, 'back')) ?? HOME_BY_ROLE[user.role], 'acknowledged'));
  }

  /**
   * One notice, where the e-mail's "Acknowledge in Throughline" link lands: the letter, the case as
   * this role may see it, and what to do about it. Any signed-in role may ask; the notices service
   * scopes it (the officer's men, the clerk's court, the admin all), so everybody else gets 404.
   */
  @Get(':id')
  async show(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) noticeId: string, @Query('acknowledged') acknowledged?: string): Promise<void> {
    const user = req.pageSession!.user;
    const detail = await this.notices.detail(user, noticeId);
    const referral = await this.referrals.get(user, detail.notice.referralId, { audit: false });
    const seesWholeRecord = user.role === Role.Admin || user.role === Role.ProbationOfficer;
    this.renderer.render(req, res, 'notice', {
      title: `${EVENT_KIND_LABELS[detail.notice.eventKind as keyof typeof EVENT_KIND_LABELS] ?? 'Notice'} — case ${referral.caseNumber}`,
      notice: detail.notice,
      headline: detail.headline,
      facts: detail.facts,
      withdrawn: detail.withdrawn,
      referral,
      caseHref: seesWholeRecord ? `/referrals/${referral.id}` : user.role === Role.CourtClerk ? `/lookup/${referral.id}` : null,
      listHref: user.role === Role.Admin ? '/notices' : '/inbox',
      listLabel: user.role === Role.Admin ? 'Notice queue' : 'Inbox',
      canAcknowledge: acknowledgeable(user, detail.notice),
      back: `/notices/${noticeId}`,
      acknowledged: acknowledged === '1',
    });
  }

  /** The letter as it was (or will be) sent. */
  @Get(':id/letter.pdf')
  @PageRoles(Role.Admin, Role.ProbationOfficer, Role.CourtClerk)
  async letter(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) noticeId: string): Promise<void> {
    const pdf = await this.notices.letter(req.pageSession!.user, noticeId);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="notice-${noticeId}.pdf"`);
    res.send(pdf);
  }
}
