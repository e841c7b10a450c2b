import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { ProgramClock } from '../../config/program-clock';
import { AgenciesService } from '../agencies/agencies.service';
import { AgencyKind } from '../agencies/agency.entity';
import { CreateEnrollmentDto } from '../enrollments/create-enrollment.dto';
import { EnrollmentHeld, EnrollmentsService } from '../enrollments/enrollments.service';
import { EnrollmentWarning } from '../enrollments/enrollment-warnings';
import { GroupsService } from '../groups/groups.service';
import { PoliciesService } from '../policies/policies.service';
import { CreateReferralDto } from '../referrals/create-referral.dto';
import { isOpen, ReferralStatus } from '../../common/program/referral-status.enum';
import { ReferralsService } from '../referrals/referrals.service';
import { Role } from '../../common/auth/role.enum';
import { UsersService } from '../user-admin/users.service';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { formView, REFERRAL_STATUS_LABELS } from './page-format';
import {
  domainFieldErrors,
  FieldErrors,
  formErrorsOf,
  formText,
  humanFieldMessages,
  isFormProblem,
  oneOf,
  plainEmptyMessages,
  REFERENCE_LIMIT,
  validateForm,
} from './page-forms';
import { LANGUAGES } from './languages';
import { ResponsesService } from '../responses/responses.service';
import { PageRenderer } from './page-renderer';

const PAGE_SIZE = 50;
const SEARCH_LIMIT = 200;

const INTAKE_FIELDS = [
  'participant.firstName',
  'participant.lastName',
  'participant.dateOfBirth',
  'participant.email',
  'participant.phone',
  'participant.language',
  'caseNumber',
  'courtAgencyId',
  'probationOfficerId',
  'policyId',
  'orderedOn',
] as const;

const INTAKE_EMPTY_MESSAGES: Record<string, string> = {
  'participant.firstName': 'Enter his first name',
  'participant.lastName': 'Enter his last name',
  'participant.dateOfBirth': 'Enter his date of birth',
  caseNumber: 'Enter the case number',
  courtAgencyId: 'Choose the court',
  probationOfficerId: 'Choose the probation officer',
  policyId: 'Choose the policy',
  orderedOn: 'Enter the date of the order',
};

/** The intake form's labels: field messages beside a field say its label, not its API path. */
const INTAKE_LABELS: Record<string, string> = {
  'participant.firstName': 'First name',
  'participant.lastName': 'Last name',
  'participant.dateOfBirth': 'Date of birth',
  'participant.email': 'E-mail',
  'participant.phone': 'Phone',
  'participant.language': 'Preferred language',
  caseNumber: 'Case number',
  courtAgencyId: 'Court',
  probationOfficerId: 'Probation officer',
  policyId: 'Program rules (policy)',
  orderedOn: 'Ordered on',
};

const ENROLL_LABELS: Record<string, string> = { groupId: 'Group', startDate: 'First session' };

/** Domain refusals that belong beside one field of a form, by the error's code. */
const FIELD_BY_CODE: Record<string, string> = {
  CASE_NUMBER_TAKEN: 'caseNumber',
  GROUP_FULL: 'groupId',
  ALREADY_ENROLLED: 'groupId',
  GROUP_INACTIVE: 'groupId',
  GROUP_NOT_FOUND: 'groupId',
};

/** A refusal beside the field it names or its code belongs to, else above the form. */
function referralRefusal(error: DomainError): { errors: FieldErrors; problem: string | null } {
  const field = FIELD_BY_CODE[error.code];
  if (field && !domainFieldErrors(error)) return { errors: { [field]: [error.message] }, problem: null };
  return formErrorsOf(error);
}

/** Program staff: referrals, intake and enrollment (the groups pages: group-pages.controller.ts). */
@PagesController()
@PageRoles(Role.Admin)
export class AdminPagesController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly enrollments: EnrollmentsService,
    private readonly groups: GroupsService,
    private readonly agencies: AgenciesService,
    private readonly users: UsersService,
    private readonly policies: PoliciesService,
    private readonly clock: ProgramClock,
    private readonly renderer: PageRenderer,
    private readonly responses: ResponsesService,
  ) {}

  @Get('referrals')
  async referralList(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Query('status') status?: string,
    @Query('caseNumber') caseNumber?: string,
    @Query('offset') offsetParam?: string,
  ): Promise<void> {
    const offset = offsetParam && /^\d{1,6}$/.test(offsetParam) ? Number(offsetParam) : 0;
    // An old bookmark with ?caseNumber= still finds the case; the form now posts its search.
    await this.renderReferralList(req, res, { status, search: caseNumber?.trim().slice(0, 60) ?? '', offset });
  }

  /** Search by his name or the case number: a POST, so neither goes into an address. */
  @PageFormPost('referrals')
  async searchReferrals(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    await this.renderReferralList(req, res, { status: formText(body, 'status'), search: formText(body, 'search').slice(0, 80), offset: 0 });
  }

  private async renderReferralList(
    req: PageRequest,
    res: Response,
    form: { status?: string; search: string; offset: number },
  ): Promise<void> {
    const statusFilter = oneOf(Object.values(ReferralStatus), form.status);
    const search = form.search || undefined;
    const offset = form.offset;
    const page = await this.referrals.list(signedInUser(req), {
      status: statusFilter,
      search,
      limit: search ? SEARCH_LIMIT : PAGE_SIZE,
      offset,
    });
    // Pages of a search would carry the name in a link: a search shows its matches on one page.
    const link = (nextOffset: number) => {
      const params = new URLSearchParams();
      if (statusFilter) params.set('status', statusFilter);
      params.set('offset', String(nextOffset));
      return `/referrals?${params.toString()}`;
    };
    const courtOutcomes = offset === 0 ? await this.responses.courtOutcomesToActOn() : [];
    this.renderer.render(req, res, 'referrals', {
      title: 'Referrals',
      courtOutcomes,
      referrals: page.items,
      total: page.total,
      from: page.total ? offset + 1 : 0,
      to: offset + page.items.length,
      previous: !search && offset > 0 ? link(Math.max(0, offset - PAGE_SIZE)) : null,
      next: !search && offset + page.items.length < page.total ? link(offset + PAGE_SIZE) : null,
      search: search ?? '',
      statuses: Object.values(ReferralStatus).map((value) => ({
        value,
        label: REFERRAL_STATUS_LABELS[value],
        selected: value === statusFilter,
      })),
    });
  }

  @Get('intake')
  async intakeForm(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    await this.renderIntake(req, res, { values: { 'participant.language': 'en', orderedOn: this.clock.today() }, errors: {} });
  }

  @PageFormPost('intake')
  async intake(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { user, body }: SignedInForm): Promise<void> {
    const values: Record<string, string> = Object.fromEntries(INTAKE_FIELDS.map((name) => [name, formText(body, name)]));
    const participant: Record<string, string> = {};
    for (const key of ['firstName', 'lastName', 'dateOfBirth', 'email', 'phone', 'language']) {
      const value = values[`participant.${key}`];
      // Optional fields left empty are absent, as an API client would send them.
      if (value || ['firstName', 'lastName', 'dateOfBirth'].includes(key)) participant[key] = value;
    }
    const form = await validateForm(CreateReferralDto, {
      participant,
      caseNumber: values.caseNumber,
      courtAgencyId: values.courtAgencyId,
      probationOfficerId: values.probationOfficerId,
      policyId: values.policyId,
      orderedOn: values.orderedOn,
    });
    if (form.errors)
      return this.renderIntake(req, res, { values, errors: plainEmptyMessages(form.errors, values, INTAKE_EMPTY_MESSAGES) }, 400);
    try {
      const referral = await this.referrals.create(form.value, user);
      res.redirect(303, `/referrals/${referral.id}?created=1`);
    } catch (error) {
      if (!isFormProblem(error)) throw error;
      await this.renderIntake(req, res, { values, ...referralRefusal(error) }, error.kind === 'conflict' ? 409 : 422);
    }
  }

  @Get('referrals/:id/enroll')
  async enrollForm(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) referralId: string): Promise<void> {
    await this.renderEnroll(req, res, referralId, { values: { startDate: this.clock.today() }, errors: {} });
  }

  @PageFormPost('referrals/:id/enroll')
  async enroll(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) referralId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const values = { groupId: formText(body, 'groupId'), startDate: formText(body, 'startDate') };
    const form = await validateForm(CreateEnrollmentDto, { referralId, ...values });
    if (form.errors) {
      const errors = plainEmptyMessages(form.errors, values, {
        groupId: 'Choose a group',
        startDate: 'Enter the date of his first session',
      });
      return this.renderEnroll(req, res, referralId, { values, errors }, 400);
    }
    // A warning (his language is not the group's) is shown before anything is written; the admin
    // confirms with the same group (another group chosen there is asked about afresh).
    const confirmed = formText(body, 'confirmedGroupId') === form.value.groupId;
    try {
      await this.enrollments.enroll(user, form.value, { firstSessionOnMeetingDay: true, holdForWarnings: !confirmed });
      res.redirect(303, `/referrals/${referralId}?enrolled=1`);
    } catch (error) {
      if (error instanceof EnrollmentHeld) return this.renderEnroll(req, res, referralId, { values, errors: {}, warnings: error.warnings });
      const refusal = error instanceof DomainError && (error.code === 'GROUP_NOT_FOUND' || isFormProblem(error));
      if (!refusal) throw error;
      await this.renderEnroll(req, res, referralId, { values, ...referralRefusal(error) }, error.kind === 'conflict' ? 409 : 422);
    }
  }

  private async renderIntake(
    req: PageRequest,
    res: Response,
    form: { values: Record<string, string>; errors: FieldErrors; problem?: string | null },
    status = 200,
  ): Promise<void> {
    const [courts, officers, policies] = await Promise.all([
      this.agencies.list(REFERENCE_LIMIT, 0, AgencyKind.Court),
      this.users.list(REFERENCE_LIMIT, 0, Role.ProbationOfficer),
      this.policies.list(REFERENCE_LIMIT, 0, {}),
    ]);
    const options = <T extends { id: string }>(items: T[], label: (item: T) => string, selected: string | undefined) =>
      items.map((item) => ({ value: item.id, label: label(item), selected: item.id === selected }));
    this.renderer.render(
      req,
      res,
      'intake',
      {
        title: 'New referral',
        ...formView({ ...form, errors: humanFieldMessages(form.errors, INTAKE_LABELS) }),
        languages: LANGUAGES.map((language) => ({ ...language, selected: language.value === form.values['participant.language'] })),
        courts: options(courts.items, (court) => court.name, form.values.courtAgencyId),
        officers: options(
          officers.items.filter((officer) => officer.active),
          (officer) => officer.name,
          form.values.probationOfficerId,
        ),
        policies: options(
          policies.items,
          // A policy with levels: the length follows the intake assessment, so the choice names the range.
          (policy) =>
            policy.levels.length
              ? `${policy.name} (version ${policy.version}: ${policy.levels.length} levels, ${Math.min(...policy.levels.map((level) => level.requiredSessions))}–${Math.max(...policy.levels.map((level) => level.requiredSessions))} sessions by assessment)`
              : `${policy.name} (version ${policy.version}: ${policy.requiredSessions} sessions)`,
          form.values.policyId,
        ),
      },
      status,
    );
  }

  private async renderEnroll(
    req: PageRequest,
    res: Response,
    referralId: string,
    form: { values: Record<string, string>; errors: FieldErrors; problem?: string | null; warnings?: EnrollmentWarning[] },
    status = 200,
  ): Promise<void> {
    const user = signedInUser(req);
    const referral = await this.referrals.get(user, referralId, { audit: false });
    const { items } = await this.groups.list(user, REFERENCE_LIMIT, 0);
    const current = referral.enrollments?.find((enrollment) => enrollment.endDate === null) ?? null;
    this.renderer.render(
      req,
      res,
      'enroll',
      {
        title: `Enroll ${referral.participant.firstName} ${referral.participant.lastName}`,
        referral,
        current,
        open: isOpen(referral.status),
        groups: items
          .filter((group) => group.active)
          .map((group) => ({
            ...group,
            full: group.enrolledCount >= group.capacity,
            placesLeft: Math.max(0, group.capacity - group.enrolledCount),
            checked: group.id === form.values.groupId,
            isCurrent: group.id === current?.groupId,
            otherLanguage: group.language !== referral.participant.language,
          })),
        warnings: form.warnings ?? [],
        values: form.values,
        errors: humanFieldMessages(form.errors, ENROLL_LABELS),
        problem: form.problem ?? null,
      },
      status,
    );
  }
}
