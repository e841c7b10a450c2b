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
  total: number;
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
  standing: Standing;
  unacknowledged: number;
}

/** A probation officer's caseload with standing, in one query however many men are on it. */
@Injectable()
export class CaseloadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async caseload(
    user: SignedInUser,
    options: { probationOfficerId?: string; includeClosed?: boolean; limit?: number; offset?: number } = {},
  ): Promise<Caseload> {
    const params = new SqlParams();
    const officerId = user.role === Role.ProbationOfficer ? user.id : options.probationOfficerId;
    const where = [officerId ? `r.probation_officer_id = ${params.bind(officerId)}` : 'TRUE'];
    if (!options.includeClosed) where.push(`(r.status IN ('referred', 'failed_to_enroll', 'active', 'non_compliant') OR r.status_changed_at > now() - interval '30 days')`);
    const standing = `CASE WHEN r.status = 'active' AND EXISTS (SELECT 1 FROM compliance_events ev WHERE ev.referral_id = r.id AND ev.kind = 'at_risk')
                           THEN 'at_risk' ELSE r.status::text END`;
    const rank = `array_position(ARRAY[${STANDING_ORDER.map((name) => `'${name}'`).join(',')}]::text[], ${standing})`;
    const countRows: Array<{ standing: Standing; count: number }> = await this.dataSource.query(
      `SELECT ${standing} AS standing, count(*)::int AS count FROM referrals r WHERE ${where.join(' AND ')} GROUP BY 1`,
      params.values,
    );
    const rows: CaseloadRow[] = await this.dataSource.query(
      `SELECT r.id, r.case_number, p.first_name, p.last_name, r.status, ${standing} AS standing,
              r.enroll_by::text AS enroll_by, r.complete_by::text AS complete_by, pol.required_sessions,
              COALESCE(att.attended, 0)::int AS attended, COALESCE(att.absences, 0)::int AS absences, att.last_attended::text AS last_attended,
              (SELECT count(*)::int FROM notices n WHERE n.referral_id = r.id AND n.recipient_kind = 'probation_officer'
                  AND n.purpose = 'event' AND n.status <> 'acknowledged') AS unacknowledged
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
        ORDER BY ${rank}, CASE WHEN r.status IN ('referred', 'failed_to_enroll') THEN r.enroll_by ELSE r.complete_by END, r.case_number
        LIMIT ${params.bind(options.limit ?? 200)} OFFSET ${params.bind(options.offset ?? 0)}`,
      params.values,
    );
    const items = rows.map(toEntry);
    const counts = Object.fromEntries(STANDING_ORDER.map((name) => [name, 0])) as Record<Standing, number>;
    for (const row of countRows) counts[row.standing] = row.count;
    // Names and standing of many men at once: a read of participant records, so it is audited.
    await this.audit.record({ action: 'caseload.read', recordType: 'referral', details: { probationOfficerId: officerId ?? null, referralIds: items.map((item) => item.referralId) } });
    return { counts, items, total: countRows.reduce((sum, row) => sum + row.count, 0) };
  }
}

function toEntry(row: CaseloadRow): CaseloadEntry {
  const standing = row.standing;
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
