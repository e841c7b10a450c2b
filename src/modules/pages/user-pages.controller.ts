import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { AgenciesService } from '../agencies/agencies.service';
import { Agency } from '../agencies/agency.entity';
import { ALL_ROLES, Role } from '../../common/auth/role.enum';
import { UserAdminService } from '../user-admin/user-admin.service';
import { AGENCY_KIND_FOR_ROLE, UsersService } from '../user-admin/users.service';
import { InviteUserForm } from './admin-forms';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFlags, PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { formView, ROLE_LABELS } from './page-format';
import {
  domainFieldErrors,
  FieldErrors,
  formErrorsOf,
  formText,
  oneOf,
  PageForm,
  plainEmptyMessages,
  REFERENCE_LIMIT,
  refusalOf,
  validateForm,
} from './page-forms';
import { PageRenderer } from './page-renderer';

const PAGE_SIZE = 50;
const SEARCH_MAX = 100;

const INVITE_EMPTY_MESSAGES: Record<string, string> = {
  name: 'Enter the person’s name',
  email: 'Enter the e-mail address the invitation goes to',
  role: 'Choose a role',
  agencyId: 'Choose the agency the person works for',
};

/** What the list shows and pages by: the role and agency in the address, the typed text only in a form's body. */
interface UserFilters {
  text: string;
  role?: Role;
  agencyId?: string;
  offset: number;
}

function roleOf(value: string | undefined): Role | undefined {
  return oneOf(ALL_ROLES, value);
}

function offsetOf(value: string | undefined): number {
  return value && /^\d{1,6}$/.test(value) ? Number(value) : 0;
}

/** A refusal of the service beside its field, else above the form; a taken address is said beside the e-mail. */
function userRefusal(error: DomainError): { errors: FieldErrors; problem: string | null } {
  if (error.code === 'EMAIL_TAKEN' && !domainFieldErrors(error))
    return { errors: { email: ['Somebody already has an account with this e-mail address'] }, problem: null };
  return formErrorsOf(error);
}

/** The program's staff accounts: find, invite, move to another role or agency, deactivate, unlock. */
@PagesController('admin/users')
@PageRoles(Role.Admin)
export class UserPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly admin: UserAdminService,
    private readonly agencies: AgenciesService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  async list(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Query('role') role?: string,
    @Query('agencyId') agencyId?: string,
    @Query('offset') offset?: string,
    @Query('invited') invited?: string,
  ): Promise<void> {
    await this.renderList(
      req,
      res,
      { text: '', role: roleOf(role), agencyId: agencyId && isUUID(agencyId) ? agencyId : undefined, offset: offsetOf(offset) },
      { invited: invited === '1' },
    );
  }

  /** A search by name or e-mail: the text travels in the body, never in the address or the logs. */
  @PageFormPost()
  async search(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    const agencyId = formText(body, 'agencyId');
    await this.renderList(req, res, {
      text: formText(body, 'q').slice(0, SEARCH_MAX),
      role: roleOf(formText(body, 'role')),
      agencyId: isUUID(agencyId) ? agencyId : undefined,
      offset: offsetOf(formText(body, 'offset')),
    });
  }

  @Get('invite')
  async inviteForm(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    await this.renderInvite(req, res, { values: {}, errors: {} });
  }

  /** Invites by e-mail, as POST /api/v1/users does without a password: the person sets his own. */
  @PageFormPost('invite')
  async invite(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    const values = {
      name: formText(body, 'name'),
      email: formText(body, 'email'),
      role: formText(body, 'role'),
      agencyId: formText(body, 'agencyId'),
    };
    const form = await validateForm(InviteUserForm, values);
    if (form.errors)
      return this.renderInvite(
        req,
        res,
        { values, errors: plainEmptyMessages(plainInviteMessages(form.errors), values, INVITE_EMPTY_MESSAGES) },
        400,
      );
    // No password: the service writes the invitation and its e-mail, as for POST /api/v1/users.
    const refused = await refusalOf(() => this.users.create(form.value));
    if (refused) return this.renderInvite(req, res, { values, ...userRefusal(refused) }, refused.kind === 'conflict' ? 409 : 422);
    res.redirect(303, '/admin/users?invited=1');
  }

  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) userId: string,
    @PageFlags() { saved }: PageFlags,
  ): Promise<void> {
    await this.renderUser(req, res, userId, {
      saved: ['role', 'active', 'inactive', 'unlocked', 'factor', 'invited'].includes(saved ?? '') ? saved : null,
    });
  }

  @PageFormPost(':id/role')
  async reassign(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const values = { role: formText(body, 'role'), agencyId: formText(body, 'agencyId') };
    const errors: FieldErrors = {};
    const role = roleOf(values.role);
    if (!role) errors.role = ['Choose a role'];
    if (!isUUID(values.agencyId)) errors.agencyId = ['Choose the agency the person works for'];
    if (!role || Object.keys(errors).length) return this.renderUser(req, res, id, { form: { values, errors } }, 400);
    const refused = await refusalOf(() => this.admin.reassign(user, id, { role, agencyId: values.agencyId }));
    if (refused) return this.renderUser(req, res, id, { form: { values, ...userRefusal(refused) } }, 422);
    res.redirect(303, `/admin/users/${id}?saved=role`);
  }

  /** Deactivate (every session ends at once, sign-in refused) or reactivate. */
  @PageFormPost(':id/active')
  async setActive(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const active = formText(body, 'active');
    if (active !== 'true' && active !== 'false')
      return this.renderUser(req, res, id, { activeProblem: 'Choose to deactivate or reactivate the account.' }, 400);
    const refused = await refusalOf(async () => {
      if (active === 'false') await this.admin.assertMayDeactivate(user, id);
      await this.users.update(id, { active: active === 'true' });
    });
    if (refused) return this.renderUser(req, res, id, { activeProblem: refused.message }, 422);
    res.redirect(303, `/admin/users/${id}?saved=${active === 'true' ? 'active' : 'inactive'}`);
  }

  /** Ends the sign-in locks on the user's address (five wrong passwords), as POST /api/v1/users/:id/unlock. */
  @PageFormPost(':id/unlock')
  async unlock(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.unlock(id);
    res.redirect(303, `/admin/users/${id}?saved=unlocked`);
  }

  /** A new link for somebody who has not used the first (the earlier one stops working). */
  @PageFormPost(':id/invitation')
  async resendInvitation(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const refused = await refusalOf(() => this.users.resendInvitation(id));
    if (refused) return this.renderUser(req, res, id, { activeProblem: refused.message }, 409);
    res.redirect(303, `/admin/users/${id}?saved=invited`);
  }

  /** A lost phone: the second factor and recovery codes go and his sessions end; he sets it up again at the next sign-in. */
  @PageFormPost(':id/second-factor/reset')
  async resetSecondFactor(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.resetSecondFactor(id);
    res.redirect(303, `/admin/users/${id}?saved=factor`);
  }

  private async renderList(req: PageRequest, res: Response, filters: UserFilters, extra: Record<string, unknown> = {}): Promise<void> {
    const [page, agencies] = await Promise.all([
      this.admin.search({
        text: filters.text || undefined,
        role: filters.role,
        agencyId: filters.agencyId,
        limit: PAGE_SIZE,
        offset: filters.offset,
      }),
      this.agencies.list(REFERENCE_LIMIT, 0),
    ]);
    // Paging keeps the filters; with a search text the pager is a form, so the text stays out of the address.
    const pageAt = (offset: number) => {
      if (filters.text) return { post: true, offset };
      const params = new URLSearchParams();
      if (filters.role) params.set('role', filters.role);
      if (filters.agencyId) params.set('agencyId', filters.agencyId);
      params.set('offset', String(offset));
      return { post: false, href: `/admin/users?${params.toString()}` };
    };
    const offset = filters.offset;
    this.renderer.render(req, res, 'admin-users', {
      title: 'Users',
      users: page.items.map((user) => ({ ...user, roleLabel: ROLE_LABELS[user.role] })),
      total: page.total,
      from: page.total ? offset + 1 : 0,
      to: offset + page.items.length,
      previous: offset > 0 ? pageAt(Math.max(0, offset - PAGE_SIZE)) : null,
      next: offset + page.items.length < page.total ? pageAt(offset + PAGE_SIZE) : null,
      filters: { text: filters.text, role: filters.role ?? '', agencyId: filters.agencyId ?? '' },
      filtered: Boolean(filters.text || filters.role || filters.agencyId),
      roles: ALL_ROLES.map((value) => ({ value, label: ROLE_LABELS[value], selected: value === filters.role })),
      agencies: agencies.items.map((agency) => ({ value: agency.id, label: agency.name, selected: agency.id === filters.agencyId })),
      ...extra,
    });
  }

  private async renderInvite(req: PageRequest, res: Response, form: PageForm, status = 200): Promise<void> {
    const agencies = await this.agencies.list(REFERENCE_LIMIT, 0);
    this.renderer.render(
      req,
      res,
      'admin-user-invite',
      {
        title: 'Invite a user',
        // The summary lists the problems in the form's order.
        ...formView(
          form,
          Object.fromEntries(
            Object.keys(INVITE_EMPTY_MESSAGES)
              .filter((name) => Object.hasOwn(form.errors, name))
              .map((name) => [name, form.errors[name]]),
          ),
        ),
        ...this.roleAndAgencyOptions(agencies.items, form.values),
      },
      status,
    );
  }

  private async renderUser(
    req: PageRequest,
    res: Response,
    id: string,
    extra: { form?: PageForm; saved?: string | null; activeProblem?: string },
    status = 200,
  ): Promise<void> {
    const [user, agencies, account] = await Promise.all([
      this.users.get(id),
      this.agencies.list(REFERENCE_LIMIT, 0),
      this.admin.accountState(id),
    ]);
    const agency = agencies.items.find((item) => item.id === user.agencyId) ?? (await this.agencies.findById(user.agencyId));
    const form = extra.form ?? { values: { role: user.role, agencyId: user.agencyId }, errors: {} };
    this.renderer.render(
      req,
      res,
      'admin-user',
      {
        title: user.name,
        user: { ...user, roleLabel: ROLE_LABELS[user.role], agencyName: agency?.name ?? '' },
        self: user.id === signedInUser(req).id,
        account,
        ...formView(form),
        saved: extra.saved ?? null,
        activeProblem: extra.activeProblem ?? null,
        ...this.roleAndAgencyOptions(agencies.items, form.values),
      },
      status,
    );
  }

  /** The roles, and the agencies grouped by kind with the roles each kind's people may hold. */
  private roleAndAgencyOptions(agencies: Agency[], values: Record<string, string>) {
    const role = roleOf(values.role);
    return {
      roles: ALL_ROLES.map((value) => ({ value, label: ROLE_LABELS[value], selected: value === role })),
      agencies: agencies.map((agency) => ({
        value: agency.id,
        label: `${agency.name} (${agency.kind}: ${ALL_ROLES.filter((role) => AGENCY_KIND_FOR_ROLE[role] === agency.kind)
          .map((role) => ROLE_LABELS[role].replace(/^[A-Z](?=[a-z])/, (first) => first.toLowerCase()))
          .join(', ')})`,
        selected: agency.id === values.agencyId,
      })),
    };
  }
}

/** The DTO's messages name fields ("agencyId must be a UUID"); the form says what to do. */
function plainInviteMessages(errors: FieldErrors): FieldErrors {
  const plain: FieldErrors = { ...errors };
  if ('email' in plain) plain.email = ['Enter an e-mail address, like name@agency.gov'];
  if ('role' in plain) plain.role = ['Choose a role'];
  if ('agencyId' in plain) plain.agencyId = ['Choose the agency the person works for'];
  if ('name' in plain) plain.name = ['Enter the person’s name (2 to 200 characters)'];
  return plain;
}
