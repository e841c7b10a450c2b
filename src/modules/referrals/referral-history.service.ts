import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { AuditService } from '../audit/audit.service';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { AccessService } from '../access/access.service';
import { ReferralStatus } from '../../common/program/referral-status.enum';
import { StatusEvent, statusSince } from './status-since';
import { EnrollmentHistoryEntry } from './referral.view';
import { MarkFact } from '../compliance/attendance-counts';
import { queryPrepared } from '../../common/database/prepared-statement';
import { parseInstant } from '../../common/database/instant';
import { RequestContext } from '../../common/context/request-context';

export interface AttendanceHistoryEntry {
  sessionId: string;
  date: string;
  sessionStatus: string;
  groupId: string;
  groupName: string;
  unit: { theme: string; title: string } | null;
  enrollmentId: string;
  status: AttendanceStatus;
  note: string | null;
  markedAt: Date;
}

export interface AttendanceHistory {
  referralId: string;
  enrollments: EnrollmentHistoryEntry[];
  attendance: AttendanceHistoryEntry[];
}

/**
 * The marks of a history on held sessions, oldest first: what loadMarkFacts reads (the same marks,
 * in the same order), for a page that shows his history and counts his attendance from it.
 */
export function heldMarksOf(history: AttendanceHistory): MarkFact[] {
  return history.attendance.filter((entry) => entry.sessionStatus === 'held').map((entry) => ({ date: entry.date, status: entry.status }));
}

/** A man's whole history across groups: two queries whatever its length. */
@Injectable()
export class ReferralHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /**
   * `statusEvents`: for a page that asks statusSince too (the referral page), his events are read
   * with his enrollments, in their statement, and remembered for the request: no read of its own.
   */
  async attendance(user: SignedInUser, referralId: string, options: { statusEvents?: boolean } = {}): Promise<AttendanceHistory> {
    await this.access.requireAccess(user, 'referral.read', [referralId]);
    // His enrollments and his marks are independent reads: sent together, not one after the other.
    const [enrollments, rows] = await Promise.all([
      options.statusEvents ? this.enrollmentsAndStatusEvents(referralId) : this.enrollments(referralId),
      this.markRows(referralId),
    ]);
    return {
      referralId,
      enrollments,
      attendance: rows.map((row) => ({
        sessionId: row.session_id,
        date: row.date,
        sessionStatus: row.session_status,
        groupId: row.group_id,
        groupName: row.group_name,
        unit: row.theme && row.title ? { theme: row.theme, title: row.title } : null,
        enrollmentId: row.enrollment_id,
        status: row.status,
        note: row.note,
        markedAt: row.marked_at,
      })),
    };
  }

  private markRows(referralId: string) {
    return this.audit.auditedRead<{
      session_id: string;
      date: string;
      session_status: string;
      group_id: string;
      group_name: string;
      theme: string | null;
      title: string | null;
      enrollment_id: string;
      status: AttendanceStatus;
      note: string | null;
      marked_at: Date;
    }>(
      {
        // Audited by the statement that reads his marks.
        sql: `SELECT s.id AS session_id, s.date::text AS date, s.status AS session_status, g.id AS group_id, g.name AS group_name,
              u.theme, u.title, m.enrollment_id, m.status, m.note, m.marked_at
         FROM attendance_marks m
         JOIN sessions s ON s.id = m.session_id
         JOIN groups g ON g.id = s.group_id
         LEFT JOIN curriculum_units u ON u.id = s.curriculum_unit_id
        WHERE m.referral_id = $1
        ORDER BY s.date, s.start_time`,
        params: [referralId],
        // His own marks by his id, whatever the id: planned once per connection.
        prepared: true,
      },
      { action: 'referral.attendance_read', recordType: 'referral', recordId: referralId },
    );
  }

  /**
   * His enrollments and his events, in one statement; the events remembered for statusSince from
   * the moment it is sent (the page asks for them before this read has answered).
   */
  private async enrollmentsAndStatusEvents(referralId: string): Promise<EnrollmentHistoryEntry[]> {
    const read = queryPrepared<{
      enrollments: EnrollmentRow[];
      events: Array<Omit<StatusEventRow, 'created_at'> & { created_at: string }>;
    }>(
      this.dataSource,
      `SELECT COALESCE((SELECT json_agg(json_build_object(${ENROLLMENT_SQL.map(([name, sql]) => `'${name}', ${sql}`).join(', ')})
                                         ORDER BY e.start_date, e.created_at)
                          FROM enrollments e JOIN groups g ON g.id = e.group_id WHERE e.referral_id = $1), '[]') AS enrollments,
              COALESCE((SELECT json_agg(json_build_object('kind', e.kind, 'occurred_on', e.occurred_on::text, 'created_at', e.created_at::text,
                                                          'withdrawn', ${WITHDRAWN_SQL}))
                          FROM compliance_events e WHERE e.referral_id = $1), '[]') AS events`,
      [referralId],
    ).then(([row]) => row);
    void RequestContext.remember(`status events ${referralId}`, () =>
      read.then((row) => row.events.map((event) => toStatusEvent({ ...event, created_at: parseInstant(event.created_at) }))),
    ).catch(() => undefined);
    return (await read).enrollments.map(toEnrollment);
  }

  async enrollments(referralId: string): Promise<EnrollmentHistoryEntry[]> {
    const rows = await queryPrepared<EnrollmentRow>(
      this.dataSource,
      `SELECT ${ENROLLMENT_SQL.map(([name, sql]) => `${sql} AS ${name}`).join(', ')}
           FROM enrollments e JOIN groups g ON g.id = e.group_id
          WHERE e.referral_id = $1 ORDER BY e.start_date, e.created_at`,
      [referralId],
    );
    return rows.map(toEnrollment);
  }

  /** The day his current status dates from (the crossing's day), or null when no event says. */
  async statusSince(referralId: string, status: ReferralStatus): Promise<string | null> {
    const events = await RequestContext.remember(`status events ${referralId}`, async () =>
      (
        await queryPrepared<StatusEventRow>(
          this.dataSource,
          `SELECT e.kind, e.occurred_on::text AS occurred_on, e.created_at, ${WITHDRAWN_SQL} AS withdrawn
             FROM compliance_events e WHERE e.referral_id = $1`,
          [referralId],
        )
      ).map(toStatusEvent),
    );
    return statusSince(status, events);
  }
}

/** An enrollment's columns as his history lists it, each name with its SQL (e = enrollments, g = groups). */
const ENROLLMENT_SQL: ReadonlyArray<[keyof EnrollmentRow, string]> = [
  ['id', 'e.id'],
  ['group_id', 'e.group_id'],
  ['group_name', 'g.name'],
  ['start_date', 'e.start_date::text'],
  ['end_date', 'e.end_date::text'],
  ['end_reason', 'e.end_reason'],
];

interface EnrollmentRow {
  id: string;
  group_id: string;
  group_name: string;
  start_date: string;
  end_date: string | null;
  end_reason: string | null;
}

function toEnrollment(row: EnrollmentRow): EnrollmentHistoryEntry {
  return {
    id: row.id,
    groupId: row.group_id,
    groupName: row.group_name,
    startDate: row.start_date,
    endDate: row.end_date,
    endReason: row.end_reason,
  };
}

/** A correction withdrew the event (e = compliance_events). */
const WITHDRAWN_SQL = 'EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = e.id)';

interface StatusEventRow {
  kind: StatusEvent['kind'];
  occurred_on: string;
  created_at: Date;
  withdrawn: boolean;
}

function toStatusEvent(row: StatusEventRow): StatusEvent {
  return { kind: row.kind, occurredOn: row.occurred_on, createdAt: row.created_at, withdrawn: row.withdrawn };
}
