import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { maybeOne, rows } from '../../common/database/sql';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { markHistory } from '../compliance/mark-facts.repository';
import { AbsenceRulesRow } from '../compliance/rule-policy.row';
import { SESSION_ROW_SELECT, SessionRow } from '../groups/session.view';

export interface RosterRow extends AbsenceRulesRow {
  other_language: string | null;
  enrollment_id: string;
  referral_id: string;
  start_date: string;
  first_name: string;
  last_name: string;
  mark_status: AttendanceStatus | null;
  mark_note: string | null;
  marked_at: Date | null;
  level_key: string | null;
  /** His mark history (markHistory), NULL before his first marked held session. */
  history_marks: string | null;
}

/** The session's own columns, on every row of its roster (alone when nobody is on it). */
export type RosterSessionRow = SessionRow & { group_name: string };

export interface SessionDetailsRow {
  note: string | null;
  run_by_id: string | null;
  run_by_name: string | null;
}

/** The roster's statements: the session and everyone on it in one, whatever the roster's size. */
@Injectable()
export class RosterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  details(sessionId: string): Promise<SessionDetailsRow | null> {
    return maybeOne<SessionDetailsRow>(
      this.dataSource,
      `SELECT s.note, s.run_by_id, u.name AS run_by_name FROM sessions s LEFT JOIN users u ON u.id = s.run_by_id WHERE s.id = $1`,
      [sessionId],
    );
  }

  sessionAndRoster(manager: EntityManager, sessionId: string): Promise<SessionAndRosterRow[]> {
    return rows<SessionAndRosterRow>(manager, sessionAndRosterSql('$1'), [sessionId]);
  }

  /** Who was on the group's roster on that date (any enrollment open then). */
  async referralsEnrolledOn(manager: EntityManager, groupId: string, date: string): Promise<string[]> {
    const roster = await rows<{ referral_id: string }>(
      manager,
      `SELECT DISTINCT referral_id FROM enrollments WHERE group_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)`,
      [groupId, date],
    );
    return roster.map((row) => row.referral_id);
  }
}

/** A row of the roster's read: the session's columns, and one man's (none when nobody is on it). */
export type SessionAndRosterRow = RosterSessionRow & ({ enrollment_id: null } | RosterRow);

/**
 * The session `session` (a parameter or expression of its id) and everyone on its roster, ordered by
 * name. `historyRead`, the SQL of a uuid[] of referrals whose mark histories the caller has read
 * already in the same transaction (the roster save's rules' read): theirs come back NULL, not read
 * a second time (it was most of this statement's time).
 */
export function sessionAndRosterSql(session: string, historyRead?: string): string {
  const history = historyRead
    ? `CASE WHEN e.referral_id = ANY(${historyRead}) THEN NULL ELSE (${markHistory('e.referral_id')}) END`
    : 'h.marks';
  return `SELECT ${SESSION_ROW_SELECT}, g.name AS group_name, ro.*
         FROM sessions s JOIN groups g ON g.id = s.group_id LEFT JOIN curriculum_units u ON u.id = s.curriculum_unit_id
         LEFT JOIN LATERAL (
           SELECT e.id AS enrollment_id, e.referral_id, e.start_date::text AS start_date, p.first_name, p.last_name,
                  NULLIF(p.language, g.language) AS other_language,
                  m.status AS mark_status, m.note AS mark_note, m.marked_at,
                  r.required_sessions, r.level_key, pol.left_early_counts, pol.max_absences, pol.max_unexcused_absences, pol.max_consecutive_absences,
                  ${history} AS history_marks
             FROM enrollments e
             JOIN referrals r ON r.id = e.referral_id
             JOIN participants p ON p.id = r.participant_id
             JOIN policies pol ON pol.id = r.policy_id
             LEFT JOIN attendance_marks m ON m.session_id = s.id AND m.enrollment_id = e.id
             ${historyRead ? '' : `LEFT JOIN LATERAL (${markHistory('e.referral_id')}) h ON TRUE`}
            WHERE e.group_id = s.group_id AND e.start_date <= s.date AND (e.end_date IS NULL OR e.end_date >= s.date)
         ) ro ON TRUE
        WHERE s.id = ${session}
        ORDER BY ro.last_name, ro.first_name, ro.enrollment_id`;
}
