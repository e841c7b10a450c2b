import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/context/request-context';
import { SqlParams } from '../../common/http/sql-params';
import { AuditService } from '../audit/audit.service';
import { Role } from '../users/role.enum';

/** Worst first: what a probation officer must act on comes to the top. */
export const STANDING_ORDER = ['non_compliant', 'at_risk', 'failed_to_enroll', 'referred', 'active', 'completed', 'terminated', 'closed'] as const;
export type Standing = (typeof STANDING_ORDER)[number];

export interface CaseloadEntry {
  referralId: string;
  caseNumber: string;
  participantName: string;
  status: string;
  standing: Standing;
  sessionsAttended: number;
  sessionsRequired: number;
  absences: number;
  lastAttendedOn: string | null;
  nextDeadline: { label: string; date: string } | null;
  unacknowledgedNotices: number;
}

export interface Caseload {
  counts: Record<Standing, number>;
  items: CaseloadEntry[];
}

interface CaseloadRow {
  id: string;
  case_number: string;
  first_name: string;
  last_name: string;
  status: string;
  enroll_by: string;
  complete_by: string;
  required_sessions: number;
  attended: number;
  absences: number;
  last_attended: string | null;
  at_risk: boolean;
  unacknowledged: number;
}

/** A probation officer's caseload with standing, in one query however many men are on it. */
@Injectable()
export class CaseloadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async caseload(user: SignedInUser, options: { probationOfficerId?: string; includeClosed?: boolean } = {}): Promise<Caseload> {
    const params = new SqlParams();
    const officerId = user.role === Role.ProbationOfficer ? user.id : options.probationOfficerId;
    const where = [officerId ? `r.probation_officer_id = ${params.bind(officerId)}` : 'TRUE'];
    if (!options.includeClosed) where.push(`(r.status IN ('referred', 'failed_to_enroll', 'active', 'non_compliant') OR r.status_changed_at > now() - interval '30 days')`);
    const rows: CaseloadRow[] = await this.dataSource.query(
      `SELECT r.id, r.case_number, p.first_name, p.last_name, r.status, r.enroll_by::text AS enroll_by, r.complete_by::text AS complete_by,
              pol.required_sessions,
              COALESCE(att.attended, 0)::int AS attended, COALESCE(att.absences, 0)::int AS absences, att.last_attended::text AS last_attended,
              EXISTS (SELECT 1 FROM compliance_events ev WHERE ev.referral_id = r.id AND ev.kind = 'at_risk') AS at_risk,
              (SELECT count(*)::int FROM notices n WHERE n.referral_id = r.id AND n.recipient_kind = 'probation_officer'
                  AND n.purpose = 'event' AND n.status NOT IN ('acknowledged')) AS unacknowledged
         FROM referrals r
         JOIN participants p ON p.id = r.participant_id
         JOIN policies pol ON pol.id = r.policy_id
         LEFT JOIN LATERAL (
           SELECT count(*) FILTER (WHERE m.status IN ('present', 'late') OR (m.status = 'left_early' AND pol.left_early_counts)) AS attended,
                  count(*) FILTER (WHERE m.status IN ('absent_excused', 'absent_unexcused', 'removed')) AS absences,
                  max(s.date) FILTER (WHERE m.status IN ('present', 'late') OR (m.status = 'left_early' AND pol.left_early_counts)) AS last_attended
             FROM attendance_marks m JOIN sessions s ON s.id = m.session_id AND s.status = 'held'
            WHERE m.referral_id = r.id
         ) att ON TRUE
        WHERE ${where.join(' AND ')}
        ORDER BY r.complete_by, r.case_number
        LIMIT 2000`,
      params.values,
    );
    const items = rows.map(toEntry).sort((a, b) => STANDING_ORDER.indexOf(a.standing) - STANDING_ORDER.indexOf(b.standing));
    const counts = Object.fromEntries(STANDING_ORDER.map((standing) => [standing, 0])) as Record<Standing, number>;
    for (const item of items) counts[item.standing] += 1;
    // Names and standing of many men at once: a read of participant records, so it is audited.
    await this.audit.record({ action: 'caseload.read', recordType: 'referral', details: { probationOfficerId: officerId ?? null, referralIds: items.map((item) => item.referralId) } });
    return { counts, items };
  }
}

function toEntry(row: CaseloadRow): CaseloadEntry {
  const standing: Standing = row.status === 'active' && row.at_risk ? 'at_risk' : (row.status as Standing);
  const open = ['referred', 'failed_to_enroll', 'active', 'non_compliant'].includes(row.status);
  const enrolling = row.status === 'referred' || row.status === 'failed_to_enroll';
  return {
    referralId: row.id,
    caseNumber: row.case_number,
    participantName: `${row.first_name} ${row.last_name}`,
    status: row.status,
    standing,
    sessionsAttended: row.attended,
    sessionsRequired: row.required_sessions,
    absences: row.absences,
    lastAttendedOn: row.last_attended,
    nextDeadline: !open ? null : enrolling ? { label: 'enroll by', date: row.enroll_by } : { label: 'complete by', date: row.complete_by },
    unacknowledgedNotices: row.unacknowledged,
  };
}
