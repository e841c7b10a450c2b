import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { SqlParams } from '../../common/http/sql-params';
import { queryPrepared } from '../../common/database/prepared-statement';
import { AuditService } from '../audit/audit.service';
import { Role } from '../../common/auth/role.enum';
import { scopeSql } from '../access/permissions';
import { VIOLATION_KINDS } from '../../common/program/compliance-event-kind.enum';
import { heldMarks } from './mark-facts.repository';

/** Worst first: what a probation officer must act on comes to the top. */
export const STANDING_ORDER = [
  'non_compliant',
  'at_risk',
  'failed_to_enroll',
  'referred',
  'active',
  'completed',
  'terminated',
  'closed',
] as const;
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
  /** Why he stands where he does: the crossing (which limit) and its day; null when nothing stands. */
  why: { kind: string; key: string; since: string } | null;
}

/** The columns a caseload sorts by; the default is worst standing first. */
export const CASELOAD_SORTS = ['standing', 'name', 'case', 'attended', 'absences', 'deadline', 'notices', 'since'] as const;
export type CaseloadSort = (typeof CASELOAD_SORTS)[number];

export interface CaseloadOptions {
  probationOfficerId?: string;
  includeClosed?: boolean;
  limit?: number;
  offset?: number;
  /** Part of his name or of the case number (spaces, dashes and case ignored in the number). */
  search?: string;
  standing?: Standing;
  sort?: CaseloadSort;
  descending?: boolean;
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
  why_kind: string | null;
  why_key: string | null;
  why_since: string | null;
}

/** A probation officer's caseload with standing, in one query however many men are on it. */
@Injectable()
export class CaseloadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async caseload(user: SignedInUser, options: CaseloadOptions = {}): Promise<Caseload> {
    const params = new SqlParams();
    const officerId = user.role === Role.ProbationOfficer ? user.id : options.probationOfficerId;
    // An officer's own cases (his scope); the admin every case, or one officer's when he asks for them.
    const where = [scopeSql(user, 'referral.read', 'r', params.bind)];
    if (user.role !== Role.ProbationOfficer && officerId) where.push(`r.probation_officer_id = ${params.bind(officerId)}`);
    if (!options.includeClosed)
      where.push(
        `(r.status IN ('referred', 'failed_to_enroll', 'active', 'non_compliant') OR r.status_changed_at > now() - interval '30 days')`,
      );
    const search = options.search?.trim().slice(0, 80);
    if (search) {
      const name = `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      const number = search.toUpperCase().replace(/[^A-Z0-9]/g, '');
      where.push(
        `(lower(p.first_name || ' ' || p.last_name) LIKE ${params.bind(name)}` +
          (number ? ` OR strpos(regexp_replace(upper(r.case_number), '[^A-Z0-9]', '', 'g'), ${params.bind(number)}) > 0)` : ')'),
      );
    }
    const standing = `CASE WHEN r.status = 'active' AND EXISTS (SELECT 1 FROM compliance_events ev WHERE ev.referral_id = r.id AND ev.kind = 'at_risk')
                           THEN 'at_risk' ELSE r.status::text END`;
    const rank = `array_position(ARRAY[${STANDING_ORDER.map((name) => `'${name}'`).join(',')}]::text[], ${standing})`;
    const countSql = `SELECT ${standing} AS standing, count(*)::int AS count FROM referrals r JOIN participants p ON p.id = r.participant_id WHERE ${where.join(' AND ')} GROUP BY 1`;
    const countValues = [...params.values];
    const listed = [...where];
    if (options.standing && (STANDING_ORDER as readonly string[]).includes(options.standing))
      listed.push(`${standing} = ${params.bind(options.standing)}`);
    const deadline = `CASE WHEN r.status IN ('referred', 'failed_to_enroll') THEN r.enroll_by ELSE r.complete_by END`;
    const orderBy: Record<CaseloadSort, string> = {
      standing: rank,
      name: 'lower(p.last_name), lower(p.first_name)',
      case: 'r.case_number',
      attended: 'COALESCE(att.attended, 0)',
      absences: 'COALESCE(att.absences, 0)',
      deadline,
      notices: unacknowledgedOf('r.id'),
      since: 'why.occurred_on',
    };
    const sort = options.sort && orderBy[options.sort] ? options.sort : 'standing';
    const direction = options.descending ? 'DESC' : 'ASC';
    // His attendance, why he stands where he does and his new notices are each a read of his own
    // rows: done for the page's men only, after the LIMIT, unless the page is sorted by it (50 of
    // 80 men on his first page; the lateral of his events and the count of his notices were
    // otherwise run for every man of the caseload).
    const attendanceFirst = sort === 'attended' || sort === 'absences';
    const whyFirst = sort === 'since';
    const noticesFirst = sort === 'notices';
    const whyColumns = 'why.kind::text AS why_kind, why.threshold_key AS why_key, why.occurred_on::text AS why_since';
    const pageSql = `SELECT r.id, r.case_number, p.first_name, p.last_name, r.status, ${standing} AS standing,
              r.enroll_by::text AS enroll_by, r.complete_by::text AS complete_by, r.required_sessions, pol.left_early_counts,
              ${attendanceFirst ? 'att.attended, att.absences, att.last_attended,' : ''}
              ${noticesFirst ? `${unacknowledgedOf('r.id')} AS unacknowledged,` : ''}
              ${whyFirst ? `${whyColumns},` : 'r.reinstated_at,'}
              row_number() OVER (ORDER BY ${orderBy[sort]} ${direction} NULLS LAST, ${rank}, ${deadline}, r.case_number) AS caseload_order
         FROM referrals r
         JOIN participants p ON p.id = r.participant_id
         JOIN policies pol ON pol.id = r.policy_id
         ${attendanceFirst ? `LEFT JOIN LATERAL (${attendanceOf('r.id', 'pol.left_early_counts')}) att ON TRUE` : ''}
         ${whyFirst ? `LEFT JOIN LATERAL (${whyOf('r.id', standing, 'r.reinstated_at')}) why ON TRUE` : ''}
        WHERE ${listed.join(' AND ')}
        ORDER BY caseload_order
        LIMIT ${params.bind(Math.min(options.limit ?? 200, 1000))} OFFSET ${params.bind(options.offset ?? 0)}`;
    const att = attendanceFirst ? 'pg' : 'att';
    // Names and standing of many men at once: a read of participant records, audited in the same statement.
    // The counts by standing travel with the page's rows (their own CTE, the same text in each
    // row, parsed once): one statement fewer, its round trip and its protocol work on both sides.
    const rows = await this.audit.auditedRead<CaseloadRow & { standing_counts?: string | null }>(
      {
        sql: `WITH standing_counts AS (${countSql})
       SELECT pg.id, pg.case_number, pg.first_name, pg.last_name, pg.status, pg.standing, pg.enroll_by, pg.complete_by, pg.required_sessions,
              COALESCE(${att}.attended, 0)::int AS attended, COALESCE(${att}.absences, 0)::int AS absences, ${att}.last_attended::text AS last_attended,
              ${noticesFirst ? 'pg.unacknowledged' : `${unacknowledgedOf('pg.id')} AS unacknowledged`},
              ${whyFirst ? 'pg.why_kind, pg.why_key, pg.why_since' : whyColumns},
              (SELECT json_agg(c)::text FROM standing_counts c) AS standing_counts
         FROM (${pageSql}) pg
         ${attendanceFirst ? '' : `LEFT JOIN LATERAL (${attendanceOf('pg.id', 'pg.left_early_counts')}) att ON TRUE`}
         ${whyFirst ? '' : `LEFT JOIN LATERAL (${whyOf('pg.id', 'pg.standing', 'pg.reinstated_at')}) why ON TRUE`}
        ORDER BY pg.caseload_order`,
        params: params.values,
        // Without a search the plan does not depend on the values (his id, the page's LIMIT and
        // OFFSET; the sort and the standing are in the text): planned once per connection.
        prepared: !search,
      },
      {
        action: 'caseload.read',
        recordType: 'referral',
        details: { probationOfficerId: officerId ?? null },
        returned: { column: 'id', as: 'referralIds' },
      },
    );
    // An empty page (a standing no man has, an offset past the last) carries no counts: read on their own.
    const countRows: Array<{ standing: Standing; count: number }> =
      rows.length > 0
        ? (JSON.parse(rows[0].standing_counts ?? '[]') as Array<{ standing: Standing; count: number }>)
        : search
          ? await this.dataSource.query(countSql, countValues)
          : await queryPrepared(this.dataSource, countSql, countValues);
    const items = rows.map(toEntry);
    const counts = Object.fromEntries(STANDING_ORDER.map((name) => [name, 0])) as Record<Standing, number>;
    for (const row of countRows) counts[row.standing] = row.count;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the standing comes from the address, checked only against its type
    const total = options.standing ? (counts[options.standing] ?? 0) : countRows.reduce((sum, row) => sum + row.count, 0);
    return { counts, items, total };
  }
}

/**
 * His new notices: counted among his own (~8 each) with the inbox's conditions in the aggregate's
 * FILTER; with them in the WHERE, the planner also scanned the whole officer-inbox partial index
 * for every man (0.8 ms each).
 */
function unacknowledgedOf(referral: string): string {
  return `(SELECT (count(*) FILTER (WHERE n.recipient_kind = 'probation_officer' AND n.purpose = 'event' AND n.status <> 'acknowledged'))::int
             FROM notices n WHERE n.referral_id = ${referral})`;
}

/**
 * Why he stands where he does: the first crossing still standing that no reinstatement covers (as
 * on his page's "Status since"), for his standing (text) and when he was last reinstated.
 * "Not corrected" is a probe of the corrections index per event (a subquery that answers NULL when
 * there is none): as NOT EXISTS the planner chose a merge anti join that read that index from its
 * start for every man with a crossing (~900 entries each) and sorted his events to do it. A man
 * whose standing has no crossing (most of a caseload: active) reads none of his events: the
 * standing, a condition on him alone, which the plan checks once before the scan.
 */
function whyOf(referral: string, standing: string, reinstatedAt: string): string {
  const violations = VIOLATION_KINDS.map((kind) => `'${kind}'`).join(',');
  return `SELECT e.kind, e.threshold_key, e.occurred_on FROM compliance_events e
            WHERE e.referral_id = ${referral} AND ${standing} IN ('non_compliant', 'at_risk', 'failed_to_enroll')
              AND e.kind::text = ANY(CASE ${standing}
                    WHEN 'non_compliant' THEN ARRAY[${violations}]
                    WHEN 'at_risk' THEN ARRAY['at_risk'] WHEN 'failed_to_enroll' THEN ARRAY['failed_to_enroll'] ELSE ARRAY[]::text[] END)
              AND (SELECT w.id FROM compliance_events w WHERE w.corrects_event_id = e.id LIMIT 1) IS NULL
              AND (${reinstatedAt} IS NULL OR e.created_at > ${reinstatedAt} OR e.kind <> ALL(ARRAY[${violations}]::compliance_event_kind[]))
            ORDER BY e.occurred_on, e.created_at LIMIT 1`;
}

/**
 * A man's attended sessions, absences and last attended day, counted from his marks through his
 * groups' sessions (heldMarks), not one probe of sessions per mark (~4,000 a page). The marks are
 * compared as the enum they are: as text (`mark`), each of a page's ~2,900 marks was turned into
 * text once per condition, which cost ~1 ms of the page's read.
 */
function attendanceOf(referral: string, leftEarlyCounts: string): string {
  const attended = `m.status IN ('present', 'late') OR (m.status = 'left_early' AND ${leftEarlyCounts})`;
  return `SELECT count(*) FILTER (WHERE ${attended}) AS attended,
                 count(*) FILTER (WHERE m.status IN ('absent_excused', 'absent_unexcused', 'removed')) AS absences,
                 max(m.date) FILTER (WHERE ${attended}) AS last_attended
            FROM (${heldMarks(referral)}) m`;
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
    why: row.why_kind && row.why_since ? { kind: row.why_kind, key: row.why_key ?? '', since: row.why_since } : null,
  };
}
