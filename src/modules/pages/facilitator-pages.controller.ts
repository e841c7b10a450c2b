import { Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { addDays } from '../../common/dates';
import { ProgramClock } from '../../config/program-clock';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { AttendanceService } from '../attendance/attendance.service';
import { MarkAttendanceDto } from '../attendance/mark-attendance.dto';
import { GroupsService } from '../groups/groups.service';
import { Roster, RosterService } from '../sessions/roster.service';
import { SessionStatus } from '../groups/session.entity';
import { Role } from '../../common/auth/role.enum';
import { UsersService } from '../user-admin/users.service';
import { PageRequest, PageRoles, signedInUser } from './page-auth.guard';
import { PageFormPost, PagesController, SignedInForm } from './page-controller.decorator';
import { ATTENDANCE_CHOICES } from './page-format';
import { describeChanges, encodeChanges } from './roster-changes';
import { usDate } from '../../common/dates';
import { FieldErrors, formList, formText, isFormProblem, validateForm } from './page-forms';
import { PageRenderer } from './page-renderer';

const RECENT_DAYS = 14;
const EARLIER_STEP_DAYS = 28;
const MAX_BACK_DAYS = 364;
const UPCOMING_DAYS = 7;
const MAX_GROUPS = 50;
const MAX_FACILITATORS = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SubmittedMark {
  enrollmentId: string;
  status: string;
  note: string;
}

/** The facilitator's tablet: today's and recent sessions of my groups, and the roster to mark. */
@PagesController('sessions')
@PageRoles(Role.Facilitator, Role.Admin)
export class FacilitatorPagesController {
  constructor(
    private readonly groups: GroupsService,
    private readonly rosters: RosterService,
    private readonly attendance: AttendanceService,
    private readonly clock: ProgramClock,
    private readonly renderer: PageRenderer,
    private readonly users: UsersService,
  ) {}

  @Get()
  async mySessions(@Req() req: PageRequest, @Res() res: Response, @Query('back') back?: string): Promise<void> {
    const user = signedInUser(req);
    const today = this.clock.today();
    // How far back "Recent" reaches: two weeks, four more per "Earlier sessions", up to a year (to correct a mark weeks later).
    const days = back && /^\d{1,3}$/.test(back) ? Math.min(MAX_BACK_DAYS, Math.max(RECENT_DAYS, Number(back))) : RECENT_DAYS;
    const { items: groups } = await this.groups.list(user, MAX_GROUPS, 0);
    const perGroup = await Promise.all(
      groups
        .filter((group) => group.active)
        .map(async (group) =>
          (await this.groups.sessions(user, group.id, addDays(today, -days), addDays(today, UPCOMING_DAYS))).map((session) => ({
            ...session,
            groupName: group.name,
            location: group.location,
            enrolledCount: group.enrolledCount,
            cancelled: session.status === SessionStatus.Cancelled,
            held: session.status === SessionStatus.Held,
          })),
        ),
    );
    const sessions = perGroup.flat();
    const byDate = (a: { date: string; startTime: string }, b: { date: string; startTime: string }) =>
      a.date.localeCompare(b.date) || a.startTime.localeCompare(b.startTime);
    // An admin sees every group's sessions here, so the page is not "my" sessions for him.
    const heading = user.role === Role.Admin ? 'Sessions of all groups' : 'My sessions';
    this.renderer.render(req, res, 'sessions', {
      title: heading,
      heading,
      since: usDate(addDays(today, -days)),
      earlier: days < MAX_BACK_DAYS ? `/sessions?back=${Math.min(MAX_BACK_DAYS, days + EARLIER_STEP_DAYS)}` : null,
      today: usDate(today, { weekday: true }),
      todays: sessions.filter((session) => session.date === today).sort(byDate),
      recent: sessions.filter((session) => session.date < today).sort((a, b) => byDate(b, a)),
      upcoming: sessions.filter((session) => session.date > today).sort(byDate),
      hasGroups: groups.length > 0,
    });
  }

  @Get(':id/roster')
  async roster(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) sessionId: string,
    @Query('saved') saved?: string,
    @Query('changed') changed?: string,
  ): Promise<void> {
    const roster = await this.rosters.roster(signedInUser(req), sessionId);
    const savedCount = saved && /^\d{1,3}$/.test(saved) ? Number(saved) : null;
    await this.renderRoster(req, res, roster, { savedCount, changes: savedCount !== null ? describeChanges(roster, changed) : [] });
  }

  /**
   * The sign-in sheet to print before the session: each man (first name and last initial, as on the
   * roster), a box to sign, arrival and leaving times, and the facilitator's signature line.
   */
  @Get(':id/sign-in-sheet')
  async signInSheet(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) sessionId: string): Promise<void> {
    const { session, entries } = await this.rosters.roster(signedInUser(req), sessionId);
    this.renderer.render(req, res, 'sign-in-sheet', {
      title: `Sign-in sheet — ${session.groupName}, ${usDate(session.date, { weekday: true })}`,
      session,
      men: entries.map((entry) => `${entry.firstName} ${entry.lastInitial}.`).sort((a, b) => a.localeCompare(b)),
      facilitator: signedInUser(req).name,
    });
  }

  /** One Save for the whole roster: a man without a status, or any refusal, saves nothing. */
  @PageFormPost(':id/roster')
  async saveRoster(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) sessionId: string,
    @SignedInForm() { user, body }: SignedInForm,
  ): Promise<void> {
    const submitted: SubmittedMark[] = formList(body, 'enrollment').map((enrollmentId) => ({
      enrollmentId,
      status: formText(body, `status:${enrollmentId}`),
      note: formText(body, `note:${enrollmentId}`),
    }));
    const runById = formText(body, 'runById');
    const details = { note: formText(body, 'sessionNote').slice(0, 2000) || null, runById: UUID.test(runById) ? runById : null };
    const manErrors: FieldErrors = {};
    for (const mark of submitted) {
      if (!mark.status) manErrors[mark.enrollmentId] = ['Choose how he attended'];
    }
    const form = await validateForm(MarkAttendanceDto, {
      marks: submitted.map((mark) => ({ enrollmentId: mark.enrollmentId, status: mark.status, ...(mark.note ? { note: mark.note } : {}) })),
    });
    let problem: string | null = null;
    if (form.errors) {
      for (const [path, messages] of Object.entries(form.errors)) {
        const index = /^marks\.(\d+)\./.exec(path)?.[1];
        const enrollmentId = index !== undefined ? submitted[Number(index)]?.enrollmentId : undefined;
        if (enrollmentId) manErrors[enrollmentId] ??= messages;
        else problem = messages.join('; ');
      }
    }
    if (!form.errors && Object.keys(manErrors).length === 0) {
      try {
        const before = await this.rosters.roster(user, sessionId);
        const { raised } = await this.attendance.markAndTell(user, sessionId, form.value.marks, details);
        const changed = encodeChanges(before, form.value.marks, raised);
        res.redirect(303, `/sessions/${sessionId}/roster?saved=${submitted.length}${changed ? `&changed=${changed}` : ''}`);
        return;
      } catch (error) {
        if (!isFormProblem(error)) throw error;
        const strangers = (error.details?.enrollmentIds as string[] | undefined) ?? [];
        for (const enrollmentId of strangers) manErrors[enrollmentId] = ['He is not on this session’s roster any more; reload the page'];
        problem = error.message;
      }
    }
    const roster = await this.rosters.roster(user, sessionId);
    const count = Object.keys(manErrors).length;
    problem ??= `Nothing was saved: ${count === 1 ? 'one man needs' : `${count} men need`} a status.`;
    await this.renderRoster(req, res, roster, { submitted, manErrors, problem, details }, 422);
  }

  private async renderRoster(
    req: PageRequest,
    res: Response,
    roster: Roster,
    form: {
      submitted?: SubmittedMark[];
      manErrors?: FieldErrors;
      problem?: string | null;
      savedCount?: number | null;
      changes?: string[];
      details?: { note: string | null; runById: string | null };
    },
    status = 200,
  ): Promise<void> {
    const saved = await this.rosters.details(roster.session.id);
    const details = form.details ?? saved;
    // Anyone who facilitates may cover: the group's own facilitators are the default (no one named).
    const { items: facilitators } = await this.users.list(MAX_FACILITATORS, 0, Role.Facilitator);
    const today = this.clock.today();
    const { session } = roster;
    const submittedBy = new Map((form.submitted ?? []).map((mark) => [mark.enrollmentId, mark]));
    const notMarkable =
      session.status === SessionStatus.Cancelled
        ? `This session was cancelled${session.cancelledReason ? ` (${session.cancelledReason})` : ''}; it cannot be marked.`
        : session.date > today
          ? `This session is on ${usDate(session.date, { weekday: true })}; it can be marked from that day.`
          : null;
    const entries = roster.entries.map((entry) => {
      const chosen = submittedBy.get(entry.enrollmentId)?.status ?? entry.mark?.status ?? null;
      const errors = form.manErrors?.[entry.enrollmentId] ?? null;
      return {
        enrollmentId: entry.enrollmentId,
        name: `${entry.firstName} ${entry.lastInitial}.`,
        otherLanguage: entry.otherLanguage ?? null,
        note: submittedBy.get(entry.enrollmentId)?.note ?? entry.mark?.note ?? '',
        choices: ATTENDANCE_CHOICES.map((choice) => ({
          ...choice,
          id: `s-${entry.enrollmentId}-${choice.status}`,
          checked: chosen === choice.status,
          absence: choice.status !== AttendanceStatus.Present && choice.status !== AttendanceStatus.Late,
        })),
        standing: entry.standing,
        warnings: entry.standing.warnings,
        errors,
      };
    });
    this.renderer.render(
      req,
      res,
      'roster',
      {
        title: `Roster — ${session.groupName}, ${usDate(session.date, { weekday: true })}`,
        sessionsLabel: signedInUser(req).role === Role.Admin ? 'Sessions' : 'My sessions',
        session,
        entries,
        markedCount: roster.entries.filter((entry) => entry.mark).length,
        notMarkable,
        problem: form.problem ?? null,
        errorLinks: entries.flatMap((entry) =>
          entry.errors ? [{ id: `man-${entry.enrollmentId}`, label: `${entry.name}: ${entry.errors[0]}` }] : [],
        ),
        savedCount: form.savedCount ?? null,
        sessionNote: details.note ?? '',
        runBy: facilitators
          .filter((facilitator) => facilitator.active || facilitator.id === details.runById)
          .map((facilitator) => ({ value: facilitator.id, label: facilitator.name, selected: facilitator.id === details.runById })),
        runByName: saved.runByName,
        changes: form.changes ?? [],
        changesHeading: form.changes?.length ? `${form.changes.length} ${form.changes.length === 1 ? 'change' : 'changes'} saved:` : null,
      },
      status,
    );
  }
}
