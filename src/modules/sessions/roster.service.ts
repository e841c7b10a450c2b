import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AuditService } from '../audit/audit.service';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { countAttendance, MarkFact } from '../compliance/attendance-counts';
import { limitWarnings } from '../compliance/limit-warnings';
import { parseMarkFacts } from '../compliance/mark-facts.repository';
import { toAbsenceRules } from '../compliance/rule-policy.row';
import { AccessService } from '../access/access.service';
import { Role } from '../../common/auth/role.enum';
import { Statement } from '../../common/database/statement-pipeline';
import { RosterRepository, RosterRow, RosterSessionRow, SessionAndRosterRow, sessionAndRosterSql } from './roster.repository';
import { SessionView, toSessionView } from '../groups/session.view';

export interface RosterEntry {
  enrollmentId: string;
  /** Hidden from facilitators, who see the man, not the case. */
  referralId?: string;
  firstName: string;
  lastName?: string;
  lastInitial: string;
  /** His assessed level (the one thing of the intake assessment a facilitator sees), if any. */
  level: string | null;
  enrolledSince: string;
  /** His language, when it is not the one the group meets in (so the facilitator can arrange help). */
  otherLanguage?: string;
  mark: { status: AttendanceStatus; note: string | null; markedAt: Date } | null;
  standing: {
    sessionsAttended: number;
    sessionsRequired: number;
    absences: number;
    unexcusedAbsences: number;
    consecutiveAbsences: number;
    /** Plain-language warnings when one more absence would cross a limit (or one already has). */
    warnings: string[];
  };
}

export interface Roster {
  session: SessionView & { groupName: string };
  entries: RosterEntry[];
}

/**
 * Everyone enrolled in the session's group on its date, with the current mark and standing,
 * in one query with the session itself, whatever the roster's size.
 */
@Injectable()
export class RosterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly rosters: RosterRepository,
  ) {}

  async roster(user: SignedInUser, sessionId: string): Promise<Roster> {
    await this.access.requireAccess(user, 'session.read', [sessionId]);
    const roster = await this.load(this.dataSource.manager, sessionId, user.role);
    if (user.role !== Role.Facilitator) {
      await this.audit.record({ action: 'session.roster_read', recordType: 'session', recordId: sessionId });
    }
    return roster;
  }

  /** The session's own note and who ran it when someone covered (pages only; the caller checked access). */
  async details(sessionId: string): Promise<{ note: string | null; runById: string | null; runByName: string | null }> {
    const row = await this.rosters.details(sessionId);
    return { note: row?.note ?? null, runById: row?.run_by_id ?? null, runByName: row?.run_by_name ?? null };
  }

  /** The session and its roster in one statement (a roster with nobody on it is the session's row alone). */
  async load(manager: EntityManager, sessionId: string, viewer: Role): Promise<Roster> {
    return toRoster(await this.rosters.sessionAndRoster(manager, sessionId), viewer);
  }

  /**
   * The same read as a statement for the caller's pipelined transaction (sent after its marks'
   * write, it sees them), less the mark histories of `historyRead`, which the caller read in the
   * same transaction (the rules' read) and hands to `fromRows`, which makes the roster of its rows.
   */
  statement(sessionId: string, historyRead: string[]): Statement {
    return { text: SESSION_AND_ROSTER_WITHOUT_SQL, values: [sessionId, historyRead], prepared: true };
  }

  /** `historyOf`: the mark histories left out of the statement, by referral (every one of `historyRead`). */
  fromRows(rows: Array<Record<string, unknown>>, viewer: Role, historyOf: ReadonlyMap<string, readonly MarkFact[]>): Roster {
    return toRoster(rows as unknown as SessionAndRosterRow[], viewer, historyOf);
  }
}

const SESSION_AND_ROSTER_WITHOUT_SQL = sessionAndRosterSql('$1', '$2::uuid[]');

function toRoster(rows: SessionAndRosterRow[], viewer: Role, historyOf?: ReadonlyMap<string, readonly MarkFact[]>): Roster {
  const [sessionRow] = rows;
  return {
    session: { ...toSessionView(sessionRow), groupName: sessionRow.group_name },
    entries: rows
      .filter((row): row is RosterSessionRow & RosterRow => row.enrollment_id !== null)
      .map((row) => toRosterEntry(row, viewer, historyOf?.get(row.referral_id) ?? parseMarkFacts(row.history_marks))),
  };
}

function toRosterEntry(row: RosterRow, viewer: Role, history: readonly MarkFact[]): RosterEntry {
  const policy = toAbsenceRules(row);
  const counts = countAttendance(history, policy);
  const fullName = viewer !== Role.Facilitator;
  return {
    enrollmentId: row.enrollment_id,
    ...(fullName ? { referralId: row.referral_id, lastName: row.last_name } : {}),
    firstName: row.first_name,
    lastInitial: row.last_name.charAt(0).toUpperCase(),
    level: row.level_key,
    enrolledSince: row.start_date,
    ...(row.other_language ? { otherLanguage: row.other_language } : {}),
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a mark has the time it was made
    mark: row.mark_status ? { status: row.mark_status, note: row.mark_note, markedAt: row.marked_at! } : null,
    standing: {
      sessionsAttended: counts.sessionsAttended,
      sessionsRequired: counts.sessionsRequired,
      absences: counts.absences,
      unexcusedAbsences: counts.unexcusedAbsences,
      consecutiveAbsences: counts.consecutiveAbsences,
      warnings: limitWarnings(counts, policy),
    },
  };
}
