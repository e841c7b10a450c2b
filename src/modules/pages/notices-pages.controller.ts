import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { NoticeRecipientKind, NoticeStatus } from '../notices/notice-status.enum';
import { NoticeView } from '../notices/notice.view';
import { NoticesService } from '../notices/notices.service';
import { Role } from '../../common/auth/role.enum';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { NOTICES_SHOWN } from './page-notices';
import { safeNext } from './page-exception.filter';
import { errorLinks, eventLabel, formatAge, HEARING_OUTCOME_LABELS, NOTICE_STATUS_LABELS, RESPONSE_KIND_LABELS } from './page-format';
import { RecordResponseDto } from '../responses/record-response.dto';
import { HearingOutcome, KINDS_BY_AGENCY, ResponseAgency, ResponseKind } from '../responses/response-kind.enum';
import { agencyOfRole, ResponsesService } from '../responses/responses.service';
import { DomainError } from '../../common/errors/domain-error';
import { STATUS_BY_KIND } from '../../common/errors/error-response';
import { formText, isFormProblem, oneOf, validateForm } from './page-forms';
import { HOME_BY_ROLE, PageRenderer } from './page-renderer';
import { inlinePdf } from '../notices/pdf-file-names';
import { ReferralsService } from '../referrals/referrals.service';
import { acknowledgeable } from './page-notices';

const QUEUE_PAGE_SIZE = 50;
const NEEDS_STAFF: NoticeStatus[] = [NoticeStatus.Dead, NoticeStatus.Unknown];

/** What a form left wrong, in the recipient's words (the API's messages name the fields). */
const PLAIN_RESPONSE_ERRORS: Record<string, string> = {
  kind: 'Choose what was done.',
  date: 'Enter the date as YYYY-MM-DD: the day the violation was filed, or the hearing’s date.',
  outcome: 'Choose the hearing’s outcome (only for a hearing held).',
  details: 'Write the sanction, or the reason no action is taken.',
  supersedesId: 'Choose one of your agency’s responses to correct.',
};

/** Adds ?flag=1 to a same-site path. */
function withFlag(path: string, flag: string): string {
  const url = new URL(path, 'http://pages.invalid');
  url.searchParams.set(flag, '1');
  return `${url.pathname}${url.search}`;
}

/** Notices: the staff queue with retry, acknowledging for recipients, and the letter as sent. */
@PagesController('notices')
export class NoticesPagesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly renderer: PageRenderer,
    private readonly referrals: ReferralsService,
    private readonly responses: ResponsesService,
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
    const user = signedInUser(req);
    const statusFilter = oneOf(Object.values(NoticeStatus), status);
    const offset = offsetParam && /^\d{1,6}$/.test(offsetParam) ? Number(offsetParam) : 0;
    const [summary, dead, unknown, page] = await Promise.all([
      this.notices.summary(),
      this.notices.list(user, { status: NoticeStatus.Dead, limit: NOTICES_SHOWN, offset: 0 }),
      this.notices.list(user, { status: NoticeStatus.Unknown, limit: NOTICES_SHOWN, offset: 0 }),
      this.notices.list(user, { status: statusFilter, limit: QUEUE_PAGE_SIZE, offset }),
    ]);
    const link = (nextOffset: number) =>
      `/notices?${new URLSearchParams({ ...(statusFilter ? { status: statusFilter } : {}), offset: String(nextOffset) }).toString()}`;
    const retryable = (notice: NoticeView) => ({ ...notice, canRetry: NEEDS_STAFF.includes(notice.status) });
    this.renderer.render(req, res, 'notices', {
      title: 'Notice queue',
      summary: {
        ...summary,
        oldestUndelivered: summary.oldestUndeliveredSeconds === null ? null : formatAge(summary.oldestUndeliveredSeconds * 1000),
      },
      counts: Object.values(NoticeStatus).map((value) => ({
        status: value,
        label: NOTICE_STATUS_LABELS[value],
        count: summary.byStatus[value] ?? 0,
      })),
      needsStaff: [...dead.items, ...unknown.items].map(retryable),
      notices: page.items.map(retryable),
      total: page.total,
      previous: offset > 0 ? link(Math.max(0, offset - QUEUE_PAGE_SIZE)) : null,
      next: offset + page.items.length < page.total ? link(offset + QUEUE_PAGE_SIZE) : null,
      statuses: Object.values(NoticeStatus).map((value) => ({
        value,
        label: NOTICE_STATUS_LABELS[value],
        selected: value === statusFilter,
      })),
      retried: retried === '1',
    });
  }

  @PageFormPost(':id/retry', Role.Admin)
  async retry(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) noticeId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    await this.notices.retry(user, noticeId);
    // "Send again" is also on an agency's page, where its address was just fixed: back there.
    const back = safeNext(formText(body, 'back'));
    res.redirect(303, back ? withFlag(back, 'retried') : '/notices?retried=1');
  }

  @PageFormPost(':id/acknowledge', Role.ProbationOfficer, Role.CourtClerk)
  async acknowledge(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) noticeId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    await this.notices.acknowledge(user, noticeId);
    // Back to the row acted on (#notice-…), where pages.js puts the focus, not to the page's top.
    res.redirect(303, `${withFlag(safeNext(formText(body, 'back')) ?? HOME_BY_ROLE[user.role], 'acknowledged')}#notice-${noticeId}`);
  }

  /**
   * One notice, where the e-mail's "Acknowledge in Throughline" link lands: the letter, the case as
   * this role may see it, and what to do about it. Any signed-in role may ask; the notices service
   * scopes it (the officer's men, the clerk's court, the admin all), so everybody else gets 404.
   */
  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) noticeId: string,
    @Query('acknowledged') acknowledged?: string,
    @Query('responded') responded?: string,
  ): Promise<void> {
    await this.renderNotice(req, res, noticeId, { acknowledged: acknowledged === '1', responded: responded === '1' });
  }

  /** "Record a response" on the notice page: the API's validation and rules, the form's words. */
  @PageFormPost(':id/responses', Role.ProbationOfficer, Role.CourtClerk)
  async respond(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) noticeId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const notice = await this.notices.get(user, noticeId, { audit: false });
    const values: Record<string, string> = {};
    for (const name of ['kind', 'date', 'outcome', 'details', 'supersedesId']) {
      const value = formText(body, name);
      if (value) values[name] = value;
    }
    const form = await validateForm(RecordResponseDto, values);
    if (form.errors) {
      const plain = Object.fromEntries(
        Object.entries(form.errors).map(([field, messages]) => [field, [PLAIN_RESPONSE_ERRORS[field] ?? messages[0]]]),
      );
      return this.renderNotice(req, res, noticeId, { responseErrors: plain, responseValues: values }, 400);
    }
    try {
      await this.responses.record(user, notice.eventId, form.value);
    } catch (error) {
      if (!isFormProblem(error) && !(error instanceof DomainError && error.kind === 'forbidden')) throw error;
      return this.renderNotice(req, res, noticeId, { responseProblem: error.message, responseValues: values }, STATUS_BY_KIND[error.kind]);
    }
    res.redirect(303, `/notices/${noticeId}?responded=1`);
  }

  private async renderNotice(
    req: PageRequest,
    res: Response,
    noticeId: string,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = signedInUser(req);
    const detail = await this.notices.detail(user, noticeId);
    const referral = await this.referrals.get(user, detail.notice.referralId, { audit: false });
    const responses = await this.responses.forReferral(user, referral.id, { eventId: detail.notice.eventId });
    const seesWholeRecord = user.role === Role.Admin || user.role === Role.ProbationOfficer;
    const agency = agencyOfRole(user.role);
    // The form is for the agency the notice went to, while the event stands.
    const mayRespond =
      agency !== null &&
      !detail.withdrawn &&
      detail.notice.eventKind !== 'corrected' &&
      detail.notice.recipientKind === (agency === ResponseAgency.Court ? NoticeRecipientKind.Court : NoticeRecipientKind.ProbationOfficer);
    const values = (extra.responseValues as Record<string, string> | undefined) ?? {};
    const typedKind = oneOf(Object.values(ResponseKind), values.kind);
    const typedOutcome = oneOf(Object.values(HearingOutcome), values.outcome);
    this.renderer.render(
      req,
      res,
      'notice',
      {
        title: `${eventLabel(detail.notice.eventKind, detail.notice.eventKey)} — case ${referral.caseNumber}`,
        notice: detail.notice,
        headline: detail.headline,
        facts: detail.facts,
        withdrawn: detail.withdrawn,
        referral,
        responses: [...responses].reverse(),
        caseHref: seesWholeRecord ? `/referrals/${referral.id}` : user.role === Role.CourtClerk ? `/lookup/${referral.id}` : null,
        listHref: user.role === Role.Admin ? '/notices' : user.role === Role.Coordinator ? '/coordinator' : '/inbox',
        listLabel: user.role === Role.Admin ? 'Notice queue' : user.role === Role.Coordinator ? 'Responses across agencies' : 'Inbox',
        canAcknowledge: acknowledgeable(user, detail.notice),
        back: `/notices/${noticeId}`,
        respond: mayRespond
          ? {
              kinds: KINDS_BY_AGENCY[agency].map((kind) => ({
                value: kind,
                label: RESPONSE_KIND_LABELS[kind],
                checked: kind === typedKind,
              })),
              outcomes: Object.values(HearingOutcome).map((value) => ({
                value,
                label: HEARING_OUTCOME_LABELS[value],
                selected: value === typedOutcome,
              })),
              isCourt: agency === ResponseAgency.Court,
              corrections: responses
                .filter((response) => response.agency === agency && !response.supersededById)
                .map((response) => ({
                  id: response.id,
                  label: `${RESPONSE_KIND_LABELS[response.kind]}${response.date ? `, ${response.date}` : ''}`,
                  selected: values.supersedesId === response.id,
                })),
              values,
              errors: extra.responseErrors ?? null,
              errorLinks: extra.responseErrors ? errorLinks(extra.responseErrors as Record<string, string[]>) : null,
              problem: extra.responseProblem ?? null,
            }
          : null,
        ...extra,
      },
      status,
    );
  }

  /** The letter as it was (or will be) sent. */
  @Get(':id/letter.pdf')
  @PageRoles(Role.Admin, Role.ProbationOfficer, Role.CourtClerk)
  async letter(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) noticeId: string): Promise<void> {
    const { pdf, fileName } = await this.notices.letter(signedInUser(req), noticeId);
    res.type('application/pdf').setHeader('Content-Disposition', inlinePdf(fileName));
    res.send(pdf);
  }
}
