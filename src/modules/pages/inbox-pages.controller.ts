import { Get, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ComplianceEventKind } from '../../common/program/compliance-event-kind.enum';
import { InboxFilters, NoticeInboxService } from '../notices/notice-inbox.service';
import { Role } from '../../common/auth/role.enum';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { EVENT_KIND_LABELS, formatAge } from './page-format';
import { formList, formText, oneOf } from './page-forms';
import { PageRenderer } from './page-renderer';

const INBOX_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** "Waiting at least": what a clerk or an officer asks of a pile of notices. */
const AGES = [
  { value: '2', label: '2 days or more' },
  { value: '7', label: 'a week or more' },
  { value: '30', label: '30 days or more' },
];

interface InboxForm {
  kind: string;
  age: string;
  caseNumber: string;
}

/**
 * The recipient's inbox: the probation officer's own notices, the clerk's court's, not yet
 * acknowledged, newest first, with acknowledge-many. Kind and age are in the address; a case number
 * only ever in a POST body (SECURITY.md: no PII in URLs).
 */
@PagesController('inbox')
@PageRoles(Role.ProbationOfficer, Role.CourtClerk)
export class InboxPagesController {
  constructor(
    private readonly inboxes: NoticeInboxService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Query('kind') kind?: string,
    @Query('age') age?: string,
    @Query('offset') offset?: string,
    @Query('acknowledged') acknowledged?: string,
  ): Promise<void> {
    const done = acknowledged && /^\d{1,3}$/.test(acknowledged) ? Number(acknowledged) : null;
    await this.render(
      req,
      res,
      { kind: kind ?? '', age: age ?? '', caseNumber: '' },
      offset && /^\d{1,6}$/.test(offset) ? Number(offset) : 0,
      { acknowledged: done },
    );
  }

  /** The filter form with a case number (a POST, so the number stays out of the address). */
  @PageFormPost()
  async filter(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    await this.render(
      req,
      res,
      { kind: formText(body, 'kind'), age: formText(body, 'age'), caseNumber: formText(body, 'caseNumber').toUpperCase().slice(0, 60) },
      0,
    );
  }

  /** Acknowledges the ticked notices, all or none. */
  @PageFormPost('acknowledge')
  async acknowledge(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { user, body }: SignedInForm): Promise<void> {
    const ids = formList(body, 'ids').filter((id) => UUID.test(id));
    if (ids.length === 0)
      return this.render(req, res, { kind: '', age: '', caseNumber: '' }, 0, { problem: 'Tick the notices to acknowledge first.' }, 400);
    const { acknowledged } = await this.inboxes.acknowledgeMany(user, ids.slice(0, 200));
    res.redirect(303, `/inbox?acknowledged=${acknowledged.length}`);
  }

  private async render(
    req: PageRequest,
    res: Response,
    form: InboxForm,
    offset: number,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    const kind = oneOf(Object.values(ComplianceEventKind), form.kind);
    const age = AGES.find((choice) => choice.value === form.age)?.value;
    const filters: InboxFilters = {
      kind,
      olderThanDays: age ? Number(age) : undefined,
      caseNumber: form.caseNumber || undefined,
      limit: INBOX_PAGE_SIZE,
      offset,
    };
    const page = await this.inboxes.inbox(signedInUser(req), filters);
    const now = Date.now();
    const link = (nextOffset: number) =>
      `/inbox?${new URLSearchParams({ ...(kind ? { kind } : {}), ...(age ? { age } : {}), offset: String(nextOffset) }).toString()}`;
    const filtered = Boolean(kind || age || form.caseNumber);
    this.renderer.render(
      req,
      res,
      'inbox',
      {
        title: page.unacknowledged ? `Inbox (${page.unacknowledged})` : 'Inbox',
        notices: page.items.map((notice) => ({ ...notice, waited: formatAge(now - new Date(notice.createdAt).getTime()) })),
        total: page.total,
        unacknowledged: page.unacknowledged,
        filtered,
        form: { ...form, caseNumber: form.caseNumber },
        kinds: Object.values(ComplianceEventKind).map((value) => ({ value, label: EVENT_KIND_LABELS[value], selected: value === kind })),
        ages: AGES.map((choice) => ({ ...choice, selected: choice.value === age })),
        // Pages of a case-number search would put the number in a link: it is one case's few notices.
        previous: !form.caseNumber && offset > 0 ? link(Math.max(0, offset - INBOX_PAGE_SIZE)) : null,
        next: !form.caseNumber && offset + page.items.length < page.total ? link(offset + INBOX_PAGE_SIZE) : null,
        isCourt: signedInUser(req).role === Role.CourtClerk,
        ...extra,
      },
      status,
    );
  }
}
