import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AuditService } from '../audit/audit.service';
import { AttendanceStatus } from '../attendance/attendance-status.enum';
import { countAttendance } from '../compliance/attendance-counts';
import { limitWarnings } from '../compliance/limit-warnings';
import { GroupAccess } from '../groups/group-access';
import { Role } from '../../common/auth/role.enum';
import { SESSION_ROW_SELECT, SessionRow, SessionView, toSessionView } from './session.view';

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

interface RosterRow {
  other_language: string | null;
  enrollment_id: string;
  referral_id: string;
  start_date: string;
  first_name: string;
  last_name: string;
  mark_status: AttendanceStatus | null;
  mark_note: string | null;
  marked_at: Date | null;
  required_sessions: number;
  level_key: string | null;
  left_early_counts: boolean;
  max_absences: number;
  max_unexcused_absences: number;
  max_consecutive_absences: number;
  history_statuses: AttendanceStatus[] | null;
  history_dates: string[] | null;
}

/**
 * Everyone enrolled in the session's group on its date, with the current mark and standing,
 * in one query with the session itself, whatever the roster's size.
 */
@Injectable()
export class RosterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: GroupAccess,
    private readonly audit: AuditService,
  ) {}

  async roster(user: SignedInUser, sessionId: string): Promise<Roster> {
    await this.access.requireSession(user, sessionId);
    const roster = await this.load(this.dataSource.manager, sessionId, user.role);
    if (user.role !== Role.Facilitator) {
      await this.audit.record({ action: 'session.roster_read', recordType: 'session', recordId: sessionId });
    }
    return roster;
  }

  /** The session's own note and who ran it when someone covered (pages only; the caller checked access). */
  async details(sessionId: string): Promise<{ note: string | null; runById: string | null; runByName: string | null }> {
    const [row] = (await this.dataSource.query(
      `SELECT s.note, s.run_by_id, u.name AS run_by_name FROM sessions s LEFT JOIN users u ON u.id = s.run_by_id WHERE s.id = $1`,
      [sessionId],
    )) as Array<{ note: string | null; run_by_id: string | null; run_by_name: string | null }>;
    return { note: row?.note ?? null, runById: row?.run_by_id ?? null, runByName: row?.run_by_name ?? null };
  }

  /** The session and its roster in one statement (a roster with nobody on it is the session's row alone). */
  async load(manager: EntityManager, sessionId: string, viewer: Role): Promise<Roster> {
    const rows: Array<SessionRow & { group_name: string } & ({ enrollment_id: null } | RosterRow)> = await manager.query(
      `SELECT ${SESSION_ROW_SELECT}, g.name AS group_name, ro.*
         FROM sessions s JOIN groups g ON g.id = s.group_id LEFT JOIN curriculum_units u ON u.id = s.curriculum_unit_id
         LEFT JOIN LATERAL (
           SELECT e.id AS enrollment_id, e.referral_id, e.start_date::text AS start_date, p.first_name, p.last_name,
                  NULLIF(p.language, g.language) AS other_language,
                  m.status AS mark_status, m.note AS mark_note, m.marked_at,
                  r.required_sessions, r.level_key, pol.left_early_counts, pol.max_absences, pol.max_unexcused_absences, pol.max_consecutive_absences,
                  h.statuses AS history_statuses, h.dates AS history_dates
             FROM enrollments e
             JOIN referrals r ON r.id = e.referral_id
             JOIN participants p ON p.id = r.participant_id
             JOIN policies pol ON pol.id = r.policy_id
             LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.enrollment_id = e.id
             LEFT JOIN LATERAL (
               SELECT array_agg(am.status::text ORDER BY hs.date, hs.start_time) AS statuses,
                      array_agg(hs.date::text ORDER BY hs.date, hs.start_time) AS dates
                 FROM attendance_marks am JOIN sessions hs ON hs.id = am.session_id
                WHERE am.referral_id = e.referral_id AND hs.status = 'held'
             ) h ON TRUE
            WHERE e.group_id = s.group_id AND e.start_date <= s.date AND (e.end_date IS NULL OR e.end_date >= s.date)
         ) ro ON TRUE
        WHERE s.id = $1
        ORDER BY ro.last_name, ro.first_name, ro.enrollment_id`,
      [sessionId],
    );
    const [sessionRow] = rows;
    return {
      session: { ...toSessionView(sessionRow), groupName: sessionRow.group_name },
      entries: rows.filter((row): row is SessionRow & { group_name: string } & RosterRow => row.enrollment_id !== null).map((row) => toRosterEntry(row, viewer)),
    };
  }
}

function toRosterEntry(row: RosterRow, viewer: Role): RosterEntry {
  const statuses = row.history_statuses ?? [];
  const dates = row.history_dates ?? [];
  const policy = {
    requiredSessions: row.required_sessions,
    leftEarlyCounts: row.left_early_counts,
    maxAbsences: row.max_absences,
    maxUnexcusedAbsences: row.max_unexcused_absences,
    maxConsecutiveAbsences: row.max_consecutive_absences,
  };
  const counts = countAttendance(
    statuses.map((status, index) => ({ status, date: dates[index] })),
    policy,
  );
  const fullName = viewer !== Role.Facilitator;
  return {
    enrollmentId: row.enrollment_id,
    ...(fullName ? { referralId: row.referral_id, lastName: row.last_name } : {}),
    firstName: row.first_name,
    lastInitial: row.last_name.charAt(0).toUpperCase(),
    level: row.level_key,
    enrolledSince: row.start_date,
    ...(row.other_language ? { otherLanguage: row.other_language } : {}),
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
