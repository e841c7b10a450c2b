import { Get, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { NotFoundError } from '../../common/errors/domain-error';
import { AgenciesService } from '../agencies/agencies.service';
import { AgencyKind } from '../agencies/agency.entity';
import { AgencyTestMail } from '../agencies/agency-test-mail.service';
import { CreateAgencyDto, UpdateAgencyDto } from '../agencies/create-agency.dto';
import { NoticesService } from '../notices/notices.service';
import { Role } from '../../common/auth/role.enum';
import { AGENCY_KIND_LABELS } from './admin-format';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFlags, PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { formView } from './page-format';
import { DomainError } from '../../common/errors/domain-error';
import {
  FieldErrors,
  fieldsOf,
  FormBody,
  formErrorsOf,
  formText,
  oneOf,
  PageForm,
  REFERENCE_LIMIT,
  refusalOf,
  validateForm,
} from './page-forms';
import { NOTICES_SHOWN } from './page-notices';
import { PageRenderer } from './page-renderer';

const PLAIN_AGENCY_ERRORS: Record<string, string> = {
  name: 'Enter the agency’s name (2 to 200 characters)',
  noticeEmail: 'Enter an e-mail address, like notices@court.example.gov',
  kind: 'Choose what kind of agency it is',
};

/** The agency form's fields as typed, on the new agency's page and an agency's own. */
function agencyValues(body: FormBody): Record<string, string> {
  return { name: formText(body, 'name'), noticeEmail: formText(body, 'noticeEmail'), kind: formText(body, 'kind') };
}

/** The DTO's first message of each field, in the form's words where it has them. */
function plainAgencyErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.keys(errors).map((field) => [field, [PLAIN_AGENCY_ERRORS[field] ?? errors[field][0]]]));
}

/** The service's refusal of a new or changed agency; a missing notice address is said as what it is for. */
function agencyRefusal(error: DomainError): { errors: FieldErrors; problem: string | null } {
  const { errors, problem } = formErrorsOf(error);
  if (!Object.hasOwn(errors, 'noticeEmail')) return { errors, problem };
  return { errors: { ...errors, noticeEmail: ['A court or probation department needs an address for its notices'] }, problem };
}

/** The agencies: their notice address (with a test-send), and the notices to them that need staff. */
@PagesController('admin/agencies')
@PageRoles(Role.Admin)
export class AgencyPagesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly notices: NoticesService,
    private readonly testMails: AgencyTestMail,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    const { items, total } = await this.agencies.list(REFERENCE_LIMIT, 0);
    this.renderer.render(req, res, 'admin-agencies', {
      title: 'Agencies',
      agencies: items.map((agency) => ({ ...fieldsOf(agency), kindLabel: AGENCY_KIND_LABELS[agency.kind] })),
      total,
      more: total > items.length,
    });
  }

  /** A court or probation department the program starts working with (or an advocacy agency). */
  @Get('new')
  newForm(@Req() req: PageRequest, @Res() res: Response): void {
    this.renderNew(req, res, { values: { name: '', kind: '', noticeEmail: '' }, errors: {} });
  }

  @PageFormPost('new')
  async create(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    const values = agencyValues(body);
    const form = await validateForm(CreateAgencyDto, {
      name: values.name,
      kind: values.kind,
      ...(values.noticeEmail ? { noticeEmail: values.noticeEmail } : {}),
    });
    if (form.errors) {
      this.renderNew(req, res, { values, errors: plainAgencyErrors(form.errors) }, 400);
      return;
    }
    const refused = await refusalOf(async () => {
      const agency = await this.agencies.create(form.value);
      res.redirect(303, `/admin/agencies/${agency.id}?saved=1`);
    });
    if (refused) this.renderNew(req, res, { values, ...agencyRefusal(refused) }, 422);
  }

  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) agencyId: string,
    @PageFlags() { saved, retried, tested }: PageFlags,
  ): Promise<void> {
    await this.renderAgency(req, res, agencyId, null, {
      saved: saved === '1',
      retried: retried === '1',
      tested: tested === '1',
    });
  }

  @PageFormPost(':id')
  async save(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { body }: SignedInForm,
  ): Promise<void> {
    const values = agencyValues(body);
    // An empty address clears it, as null does in the API; the service says whether this kind may be without one.
    const form = await validateForm(UpdateAgencyDto, { name: values.name, kind: values.kind, noticeEmail: values.noticeEmail || null });
    if (form.errors) return this.renderAgency(req, res, id, { values, errors: plainAgencyErrors(form.errors) }, {}, 400);
    const refused = await refusalOf(() => this.agencies.update(id, form.value));
    if (refused) return this.renderAgency(req, res, id, { values, ...agencyRefusal(refused) }, {}, 422);
    res.redirect(303, `/admin/agencies/${id}?saved=1`);
  }

  /** Queues a test e-mail to the notice address; the page shows how it went. */
  @PageFormPost(':id/test-mail')
  async sendTest(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const refused = await refusalOf(() => this.testMails.send(id));
    if (refused) return this.renderAgency(req, res, id, null, { testProblem: refused.message }, 422);
    res.redirect(303, `/admin/agencies/${id}?tested=1`);
  }

  private renderNew(req: PageRequest, res: Response, form: PageForm, status = 200): void {
    this.renderer.render(
      req,
      res,
      'admin-agency-new',
      {
        title: 'New agency',
        ...formView(form),
        kinds: Object.values(AgencyKind).map((value) => ({
          value,
          label: AGENCY_KIND_LABELS[value],
          selected: value === oneOf(Object.values(AgencyKind), form.values.kind),
        })),
      },
      status,
    );
  }

  private async renderAgency(
    req: PageRequest,
    res: Response,
    id: string,
    form: PageForm | null,
    flags: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = signedInUser(req);
    const agency = await this.agencies.findById(id);
    if (!agency) throw new NotFoundError('agency');
    const [needsStaff, latestTest] = await Promise.all([this.notices.needingStaffFor(user, id, NOTICES_SHOWN), this.testMails.latest(id)]);
    const shown = form ?? { values: { name: agency.name, noticeEmail: agency.noticeEmail ?? '', kind: agency.kind }, errors: {} };
    const kind = oneOf(Object.values(AgencyKind), shown.values.kind);
    this.renderer.render(
      req,
      res,
      'admin-agency',
      {
        title: agency.name,
        agency: { ...fieldsOf(agency), kindLabel: AGENCY_KIND_LABELS[agency.kind] },
        ...formView(shown),
        kinds: Object.values(AgencyKind).map((value) => ({ value, label: AGENCY_KIND_LABELS[value], selected: value === kind })),
        notices: needsStaff.map((notice) => ({ ...notice, canRetry: true })),
        back: `/admin/agencies/${id}`,
        testMail: { latest: latestTest, problem: flags.testProblem ?? null },
        ...flags,
      },
      status,
    );
  }
}
