import { Get, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { UpdateGroupDto } from '../groups/create-group.dto';
import { GroupEditService } from '../groups/group-edit.service';
import { GroupsService } from '../groups/groups.service';
import { Role } from '../../common/auth/role.enum';
import { UsersService } from '../user-admin/users.service';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFlags, PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { formView } from './page-format';
import { formErrorsOf, formInteger, formList, formText, REFERENCE_LIMIT, refusalOf, validateForm } from './page-forms';
import { GROUP_EMPTY_MESSAGES, GroupForm, plainGroupErrors } from './group-form';
import { PageRenderer } from './page-renderer';

const GROUP_EDIT_FIELDS = ['name', 'startTime', 'durationMinutes', 'capacity', 'location'] as const;

const PLAIN_MESSAGES: Record<string, string> = {
  durationMinutes: 'A session lasts 30 to 480 minutes',
  capacity: 'A group takes 1 to 30 men',
  startTime: 'Enter the time as HH:MM, like 18:30',
  facilitatorIds: 'Choose one to six of the facilitators listed',
};

/** One group: the men in it now (with their referrals) and its time, place, capacity and facilitators. */
@PagesController('groups')
@PageRoles(Role.Admin)
export class GroupEditPagesController {
  constructor(
    private readonly groups: GroupsService,
    private readonly edits: GroupEditService,
    private readonly users: UsersService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) groupId: string,
    @PageFlags() { saved }: PageFlags,
  ): Promise<void> {
    const group = await this.groups.get(signedInUser(req), groupId);
    const values = {
      name: group.name,
      startTime: group.startTime,
      durationMinutes: String(group.durationMinutes),
      capacity: String(group.capacity),
      location: group.location,
    };
    await this.renderGroup(
      req,
      res,
      groupId,
      { values, facilitatorIds: group.facilitators.map((facilitator) => facilitator.id), errors: {} },
      { saved: saved === '1' },
    );
  }

  @PageFormPost(':id/edit')
  async save(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const values: Record<string, string> = Object.fromEntries(GROUP_EDIT_FIELDS.map((name) => [name, formText(body, name)]));
    const facilitatorIds = formList(body, 'facilitatorIds');
    const form = await validateForm(UpdateGroupDto, {
      name: values.name,
      startTime: values.startTime,
      durationMinutes: formInteger(values.durationMinutes),
      capacity: formInteger(values.capacity),
      location: values.location,
      facilitatorIds,
    });
    if (form.errors) {
      const plain = Object.fromEntries(
        Object.entries(form.errors).map(([field, messages]) => [field, [PLAIN_MESSAGES[field] ?? messages[0]]]),
      );
      const errors = plainGroupErrors(plain, { values, facilitatorIds }, GROUP_EMPTY_MESSAGES);
      return this.renderGroup(req, res, id, { values, facilitatorIds, errors }, {}, 400);
    }
    const refused = await refusalOf(() => this.edits.update(user, id, form.value));
    if (refused) return this.renderGroup(req, res, id, { values, facilitatorIds, ...formErrorsOf(refused) }, {}, 422);
    res.redirect(303, `/groups/${id}?saved=1`);
  }

  private async renderGroup(
    req: PageRequest,
    res: Response,
    id: string,
    form: GroupForm,
    flags: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = signedInUser(req);
    const [group, members, facilitators] = await Promise.all([
      this.groups.get(user, id),
      this.edits.members(user, id),
      this.users.list(REFERENCE_LIMIT, 0, Role.Facilitator),
    ]);
    // A facilitator deactivated since stays listed while he is still named on the group.
    const offered = facilitators.items.filter(
      (facilitator) => facilitator.active || group.facilitators.some((named) => named.id === facilitator.id),
    );
    this.renderer.render(
      req,
      res,
      'group',
      {
        title: group.name,
        group: { ...group, full: group.enrolledCount >= group.capacity },
        members,
        ...formView(form),
        facilitators: offered.map((facilitator) => ({
          id: facilitator.id,
          name: facilitator.active ? facilitator.name : `${facilitator.name} (deactivated)`,
          checked: form.facilitatorIds.includes(facilitator.id),
        })),
        ...flags,
      },
      status,
    );
  }
}
