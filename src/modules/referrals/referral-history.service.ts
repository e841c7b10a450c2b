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

  async attendance(user: SignedInUser, referralId: string): Promise<AttendanceHistory> {
    await this.access.requireAccess(user, 'referral.read', [referralId]);
    // His enrollments and his marks are independent reads: sent together, not one after the other.
    const [enrollments, rows] = await Promise.all([this.enrollments(referralId), this.markRows(referralId)]);
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

  async enrollments(referralId: string): Promise<EnrollmentHistoryEntry[]> {
    const rows: Array<{
      id: string;
      group_id: string;
      group_name: string;
      start_date: string;
      end_date: string | null;
      end_reason: string | null;
    }> = await queryPrepared(
      this.dataSource,
      `SELECT e.id, e.group_id, g.name AS group_name, e.start_date::text AS start_date, e.end_date::text AS end_date, e.end_reason
           FROM enrollments e JOIN groups g ON g.id = e.group_id
          WHERE e.referral_id = $1 ORDER BY e.start_date, e.created_at`,
      [referralId],
    );
    return rows.map((row) => ({
      id: row.id,
      groupId: row.group_id,
      groupName: row.group_name,
      startDate: row.start_date,
      endDate: row.end_date,
      endReason: row.end_reason,
    }));
  }

  /** The day his current status dates from (the crossing's day), or null when no event says. */
  async statusSince(referralId: string, status: ReferralStatus): Promise<string | null> {
    const rows = await queryPrepared<{ kind: StatusEvent['kind']; occurred_on: string; created_at: Date; withdrawn: boolean }>(
      this.dataSource,
      `SELECT e.kind, e.occurred_on::text AS occurred_on, e.created_at,
              EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = e.id) AS withdrawn
         FROM compliance_events e WHERE e.referral_id = $1`,
      [referralId],
    );
    return statusSince(
      status,
      rows.map((row) => ({ kind: row.kind, occurredOn: row.occurred_on, createdAt: row.created_at, withdrawn: row.withdrawn })),
    );
  }
}
