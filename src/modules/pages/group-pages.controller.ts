import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Response } from 'express';
import { addDays } from '../../common/dates';
import { DomainError } from '../../common/errors/domain-error';
import { ProgramClock } from '../../config/program-clock';
import { CurriculaService } from '../curricula/curricula.service';
import { CreateGroupDto, OneOffSessionDto } from '../groups/create-group.dto';
import { GroupsService } from '../groups/groups.service';
import { SCHEDULE_WEEKS_AHEAD } from '../groups/session-schedule.service';
import { SessionsService } from '../sessions/sessions.service';
import { Role } from '../../common/auth/role.enum';
import { UsersService } from '../user-admin/users.service';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { formView, weekdayName } from './page-format';
import {
  FieldErrors,
  formErrorsOf,
  formInteger,
  formList,
  formText,
  plainEmptyMessages,
  REFERENCE_LIMIT,
  refusalOf,
  validateForm,
} from './page-forms';
import { GROUP_EMPTY_MESSAGES, GroupForm, plainGroupErrors } from './group-form';
import { LANGUAGES } from './languages';
import { PageRenderer } from './page-renderer';

/** How many weeks of each group's schedule the groups page shows. */
const SCHEDULE_WEEKS = 4;

const GROUP_FIELDS = [
  'name',
  'curriculumId',
  'weekday',
  'startTime',
  'durationMinutes',
  'capacity',
  'location',
  'language',
  'startsOn',
] as const;

const NEW_GROUP_EMPTY_MESSAGES: Record<string, string> = {
  ...GROUP_EMPTY_MESSAGES,
  curriculumId: 'Choose the curriculum',
  weekday: 'Choose the day it meets',
  language: 'Choose the language it is held in',
};

/** The make-up session form of one group on the groups page, shown again with what went wrong. */
interface MakeUpForm {
  groupId: string;
  values: { date: string; startTime: string };
  errors: FieldErrors;
  problem: string | null;
}

/** Program staff: the groups, their schedules, a new group and make-up sessions. */
@PagesController('groups')
@PageRoles(Role.Admin)
export class GroupPagesController {
  constructor(
    private readonly groups: GroupsService,
    private readonly sessions: SessionsService,
    private readonly curricula: CurriculaService,
    private readonly users: UsersService,
    private readonly clock: ProgramClock,
    private readonly renderer: PageRenderer,
  ) {}

  @Get()
  async groupSchedules(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Query('cancelled') cancelled?: string,
    @Query('created') created?: string,
    @Query('added') added?: string,
    @Query('session') session?: string,
  ): Promise<void> {
    // The new session's roster is linked: one dated in the past is not in the schedule shown.
    const addedSession = added === '1' && session && isUUID(session) ? session : null;
    await this.renderGroups(req, res, { cancelled: cancelled === '1', created: created === '1', added: added === '1', addedSession });
  }

  @Get('new')
  async newGroupForm(@Req() req: PageRequest, @Res() res: Response): Promise<void> {
    const values = { durationMinutes: '90', capacity: '12', language: 'en', startsOn: this.clock.today() };
    await this.renderNewGroup(req, res, { values, facilitatorIds: [], errors: {} });
  }

  @PageFormPost('new')
  async createGroup(@Req() req: PageRequest, @Res() res: Response, @SignedInForm() { body }: SignedInForm): Promise<void> {
    const values: Record<string, string> = Object.fromEntries(GROUP_FIELDS.map((name) => [name, formText(body, name)]));
    const facilitatorIds = formList(body, 'facilitatorIds');
    const form = await validateForm(CreateGroupDto, {
      name: values.name,
      curriculumId: values.curriculumId,
      weekday: formInteger(values.weekday),
      startTime: values.startTime,
      durationMinutes: formInteger(values.durationMinutes),
      capacity: formInteger(values.capacity),
      location: values.location,
      language: values.language,
      facilitatorIds,
      // Left empty, the schedule starts today, as when an API client leaves it out.
      ...(values.startsOn ? { startsOn: values.startsOn } : {}),
    });
    if (form.errors) {
      const errors = plainGroupErrors(form.errors, { values, facilitatorIds }, NEW_GROUP_EMPTY_MESSAGES);
      return this.renderNewGroup(req, res, { values, facilitatorIds, errors }, 400);
    }
    const refused = await refusalOf(() => this.groups.create(form.value));
    if (refused)
      return this.renderNewGroup(req, res, { values, facilitatorIds, ...formErrorsOf(refused) }, refused.kind === 'conflict' ? 409 : 422);
    res.redirect(303, '/groups?created=1');
  }

  /** A make-up or extra meeting of one group, possibly recorded after it took place. */
  @PageFormPost(':id/sessions')
  async addMakeUpSession(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) groupId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const values = { date: formText(body, 'date'), startTime: formText(body, 'startTime') };
    // An empty start time means the group's usual one, as when an API client leaves it out.
    const form = await validateForm(OneOffSessionDto, { date: values.date, ...(values.startTime ? { startTime: values.startTime } : {}) });
    if (form.errors) {
      const errors = plainEmptyMessages(form.errors, values, { date: 'Enter the date of the make-up session' });
      return this.renderGroups(req, res, { makeUp: { groupId, values, errors, problem: null } satisfies MakeUpForm }, 400);
    }
    const refused = await refusalOf(async () => {
      const session = await this.groups.addOneOffSession(user, groupId, form.value);
      res.redirect(303, `/groups?added=1&session=${session.id}`);
    });
    if (refused) {
      const makeUp: MakeUpForm = { groupId, values, ...formErrorsOf(refused) };
      await this.renderGroups(req, res, { makeUp }, refused.kind === 'conflict' ? 409 : 422);
    }
  }

  /** A week that will not happen (snow, illness): later sessions move up one unit; nobody is marked. */
  @PageFormPost('sessions/:id/cancel')
  async cancelSession(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) sessionId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const reason = formText(body, 'reason').trim();
    if (reason.length < 3)
      return this.renderGroups(
        req,
        res,
        { problem: 'Say why the session is cancelled (at least 3 characters).', problemSession: sessionId },
        400,
      );
    try {
      await this.sessions.cancel(user, sessionId, reason);
      res.redirect(303, '/groups?cancelled=1');
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'unprocessable') throw error;
      await this.renderGroups(req, res, { problem: error.message, problemSession: sessionId }, 422);
    }
  }

  private async renderGroups(
    req: PageRequest,
    res: Response,
    extra: { makeUp?: MakeUpForm } & Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = signedInUser(req);
    const today = this.clock.today();
    const { items } = await this.groups.list(user, REFERENCE_LIMIT, 0);
    const groups = await Promise.all(
      items.map(async (group) => {
        const makeUp = extra.makeUp?.groupId === group.id ? extra.makeUp : null;
        return {
          ...group,
          full: group.enrolledCount >= group.capacity,
          sessions: group.active ? await this.groups.sessions(user, group.id, today, addDays(today, SCHEDULE_WEEKS * 7)) : [],
          makeUp: makeUp ?? { values: { date: '', startTime: '' }, errors: {}, problem: null },
          makeUpOpen: makeUp !== null,
        };
      }),
    );
    this.renderer.render(
      req,
      res,
      'groups',
      { title: 'Groups and schedules', groups, weeks: SCHEDULE_WEEKS, weeksAhead: SCHEDULE_WEEKS_AHEAD, today, ...extra },
      status,
    );
  }

  private async renderNewGroup(req: PageRequest, res: Response, form: GroupForm, status = 200): Promise<void> {
    const [curricula, facilitators] = await Promise.all([
      this.curricula.list(REFERENCE_LIMIT, 0),
      this.users.list(REFERENCE_LIMIT, 0, Role.Facilitator),
    ]);
    // With a single curriculum (the usual case) there is nothing to choose.
    const curriculumId = form.values.curriculumId || (curricula.items.length === 1 ? curricula.items[0].id : '');
    const options = (items: Array<{ value: string; label: string }>, selected: string | undefined) =>
      items.map((item) => ({ ...item, selected: item.value === selected }));
    this.renderer.render(
      req,
      res,
      'group-new',
      {
        title: 'New group',
        ...formView(form),
        weeksAhead: SCHEDULE_WEEKS_AHEAD,
        curricula: options(
          curricula.items.map((curriculum) => ({ value: curriculum.id, label: `${curriculum.name} (${curriculum.unitCount} units)` })),
          curriculumId,
        ),
        weekdays: options(
          [1, 2, 3, 4, 5, 6, 7].map((day) => ({ value: String(day), label: weekdayName(day) })),
          form.values.weekday,
        ),
        languages: options([...LANGUAGES], form.values.language),
        facilitators: facilitators.items
          .filter((facilitator) => facilitator.active)
          .map((facilitator) => ({ id: facilitator.id, name: facilitator.name, checked: form.facilitatorIds.includes(facilitator.id) })),
      },
      status,
    );
  }
}
