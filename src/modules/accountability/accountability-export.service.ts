import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { CsvColumn } from '../../common/http/csv';
import { SqlParams } from '../../common/http/sql-params';
import { ProgramClock } from '../../config/program-clock';
import { AuditService } from '../audit/audit.service';
import { Role } from '../../common/auth/role.enum';
import { AccountabilityQuery } from './accountability-query.dto';
import { resolvePeriod } from './accountability-period';
import { AccountabilityService, auditFilters, FIGURES_WORK_MEM, NO_JIT } from './accountability.service';
import { bindPeriod, businessDeadline, calendarSql, RESPONSE_FACTS_SQL, scopedReferralsSql, violationsSql } from './accountability.sql';
import { summaryTable, SummaryTableName } from './accountability-tables';

export const EXPORT_TABLES = ['swift', 'sure', 'outcomes', 'disparity', 'trends', 'unanswered', 'violations'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** Rows fetched from the cursor at a time: enough to keep the pipe full, few enough to keep memory flat. */
const FETCH_ROWS = 2_000;

export interface ViolationCsvRow {
  eventId: string;
  caseNumber: string;
  participantName?: string;
  court: string | null;
  probationDepartment: string | null;
  policy: string | null;
  group: string | null;
  language: string | null;
  kind: string;
  crossedAt: Date;
  crossedOn: string;
  probationNoticeSentAt: Date | null;
  probationNoticeDueBy: Date | null;
  probationAcknowledgedAt: Date | null;
  probationRespondBy: Date | null;
  probationFirstResponseAt: Date | null;
  probationFirstResponse: string | null;
  courtNoticeSentAt: Date | null;
  courtNoticeDueBy: Date | null;
  courtAcknowledgedAt: Date | null;
  courtRespondBy: Date | null;
  courtFirstResponseAt: Date | null;
  courtFirstResponse: string | null;
  courtAction: boolean;
  anyResponse: boolean;
}

const VIOLATION_COLUMNS: Array<CsvColumn<ViolationCsvRow>> = [
  { key: 'eventId', header: 'event id' },
  { key: 'caseNumber', header: 'case number' },
  { key: 'court', header: 'court' },
  { key: 'probationDepartment', header: 'probation department' },
  { key: 'policy', header: 'policy' },
  { key: 'group', header: 'group' },
  { key: 'language', header: 'language' },
  { key: 'kind', header: 'violation' },
  { key: 'crossedAt', header: 'crossed at (UTC)' },
  { key: 'crossedOn', header: 'crossed on (program day)' },
  { key: 'probationNoticeSentAt', header: 'probation notice sent at' },
  { key: 'probationNoticeDueBy', header: 'probation notice due by' },
  { key: 'probationAcknowledgedAt', header: 'probation acknowledged at' },
  { key: 'probationRespondBy', header: 'probation response due by' },
  { key: 'probationFirstResponseAt', header: 'probation first response at' },
  { key: 'probationFirstResponse', header: 'probation first response' },
  { key: 'courtNoticeSentAt', header: 'court notice sent at' },
  { key: 'courtNoticeDueBy', header: 'court notice due by' },
  { key: 'courtAcknowledgedAt', header: 'court acknowledged at' },
  { key: 'courtRespondBy', header: 'court response due by' },
  { key: 'courtFirstResponseAt', header: 'court first response at' },
  { key: 'courtFirstResponse', header: 'court first response' },
  { key: 'courtAction', header: 'court action' },
  { key: 'anyResponse', header: 'any response' },
];

/**
 * The figures as files for the interagency meeting: each table of the page, and the rows under
 * them (each violation with its dates and responses), streamed from a server-side cursor. Only
 * the program admin's file names the man; nobody's carries a note, a response's free text or
 * anything about a victim (the columns are chosen, never SELECT *). Every export is audited.
 */
@Injectable()
export class AccountabilityExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ProgramClock,
    private readonly audit: AuditService,
    private readonly figures: AccountabilityService,
  ) {}

  /** One table of the page: computed as the page computes it, as columns and rows. */
  async table(
    user: SignedInUser,
    query: AccountabilityQuery,
    table: SummaryTableName,
  ): Promise<{ columns: Array<CsvColumn<Record<string, unknown>>>; rows: Array<Record<string, unknown>> }> {
    const summary = await this.figures.summary(user, query, { audit: false });
    const result = summaryTable(summary, table);
    await this.audit.record({
      action: 'accountability.export',
      recordType: 'accountability',
      details: { table, filters: auditFilters(query, summary.period), rows: result.rows.length },
    });
    return result;
  }

  /** The violation rows' columns for this user (the man's name for the program admin only). */
  violationColumns(user: SignedInUser): Array<CsvColumn<ViolationCsvRow>> {
    if (user.role !== Role.Admin) return VIOLATION_COLUMNS;
    return [VIOLATION_COLUMNS[0], VIOLATION_COLUMNS[1], { key: 'participantName', header: 'participant' }, ...VIOLATION_COLUMNS.slice(2)];
  }

  /**
   * Each violation of the period with its notices, acknowledgements and first responses, oldest
   * first, read through a cursor in a read-only transaction: one statement, fetched in batches,
   * so 50,000 rows stream in flat memory. The audit entry is written before the first row.
   */
  async *violationRows(
    user: SignedInUser,
    query: AccountabilityQuery,
    options: { onlyUnanswered?: boolean; table?: ExportTable } = {},
  ): AsyncGenerator<ViolationCsvRow> {
    const period = resolvePeriod(query, this.clock.today());
    const params = new SqlParams();
    const scoped = scopedReferralsSql(user, query, params.bind);
    const p = bindPeriod(period, this.clock.timeZone, this.clock.now(), params.bind);
    const withName = user.role === Role.Admin;
    const leg = (alias: string, recipient: string, agency: 'probation' | 'court', days: string) => {
      const start = `COALESCE(nf.${alias}_sent_at, nf.${alias}_created_at)`;
      const respondBy = businessDeadline(start, days, p);
      return {
        notice: `max(n.sent_at) FILTER (WHERE n.recipient_kind = '${recipient}') AS ${alias}_sent_at,
                 max(n.due_by) FILTER (WHERE n.recipient_kind = '${recipient}') AS ${alias}_due_by,
                 max(n.acknowledged_at) FILTER (WHERE n.recipient_kind = '${recipient}') AS ${alias}_acknowledged_at,
                 max(n.created_at) FILTER (WHERE n.recipient_kind = '${recipient}') AS ${alias}_created_at`,
        select: `nf.${alias}_sent_at, nf.${alias}_due_by, nf.${alias}_acknowledged_at,
                 CASE WHEN nf.${alias}_created_at IS NOT NULL THEN ${respondBy} END AS ${alias}_respond_by,
                 rf.${agency}_at AS ${alias}_response_at, rf.${agency}_kind AS ${alias}_response`,
      };
    };
    const probation = leg('po', 'probation_officer', 'probation', 'v.probation_days');
    const court = leg('ct', 'court', 'court', 'v.court_days');
    // Notices and responses are gathered once per table (hash aggregates), not probed per row.
    const sql = `
      WITH scoped AS (${scoped}), cal AS (${calendarSql(p)}), v AS (${violationsSql(p)}),
           response_facts AS (${RESPONSE_FACTS_SQL}),
           notice_facts AS (
             SELECT n.event_id, ${probation.notice}, ${court.notice}
               FROM notices n WHERE n.purpose = 'event' AND n.recipient_kind IN ('probation_officer', 'court') AND n.event_id IN (SELECT id FROM v)
              GROUP BY n.event_id),
           latest_policy AS (SELECT DISTINCT ON (key) key, name FROM policies ORDER BY key, version DESC)
      SELECT v.id AS event_id, v.case_number, ${withName ? `pa.first_name || ' ' || pa.last_name` : 'NULL::text'} AS participant_name,
             court.name AS court, prob.name AS probation_department, pol.name AS policy, g.name AS group_name, v.language, v.kind,
             v.crossed_at, v.crossed_on::text AS crossed_on,
             ${probation.select}, ${court.select},
             rf.court_at IS NOT NULL AS court_action, rf.first_at IS NOT NULL AS any_response
        FROM v
        LEFT JOIN notice_facts nf ON nf.event_id = v.id
        LEFT JOIN response_facts rf ON rf.event_id = v.id
        LEFT JOIN agencies court ON court.id = v.court_agency_id
        LEFT JOIN agencies prob ON prob.id = v.probation_agency_id
        LEFT JOIN groups g ON g.id = v.group_id
        LEFT JOIN latest_policy pol ON pol.key = v.policy_key
        ${withName ? 'JOIN participants pa ON pa.id = v.participant_id' : ''}
       WHERE v.crossed_on >= ${p.from}
             ${options.onlyUnanswered ? 'AND rf.first_at IS NULL' : ''}
       ORDER BY v.crossed_at, v.id`;

    await this.audit.record({
      action: 'accountability.export',
      recordType: 'accountability',
      details: {
        table: options.table ?? (options.onlyUnanswered ? 'unanswered' : 'violations'),
        filters: auditFilters(query, period),
        participantNames: withName,
      },
    });
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.query('BEGIN READ ONLY');
      open = true;
      await runner.query(`SET LOCAL work_mem = '${FIGURES_WORK_MEM}'`);
      await runner.query(NO_JIT);
      await runner.query(`DECLARE accountability_rows NO SCROLL CURSOR FOR ${sql}`, params.values);
      for (;;) {
        const batch = (await runner.query(`FETCH ${FETCH_ROWS} FROM accountability_rows`)) as Array<Record<string, unknown>>;
        if (batch.length === 0) break;
        for (const row of batch) yield toCsvRow(row, withName);
      }
      await runner.query('COMMIT');
      open = false;
    } finally {
      // A download cut short (the client went away) ends here too: the cursor goes with the transaction.
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}

function toCsvRow(row: Record<string, unknown>, withName: boolean): ViolationCsvRow {
  const at = (value: unknown) => (value ? new Date(value as string) : null);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the row's values are text, numbers and dates
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    eventId: String(row.event_id),
    caseNumber: String(row.case_number),
    ...(withName ? { participantName: String(row.participant_name) } : {}),
    court: text(row.court),
    probationDepartment: text(row.probation_department),
    policy: text(row.policy),
    group: text(row.group_name),
    language: text(row.language),
    kind: String(row.kind),
    crossedAt: new Date(row.crossed_at as string),
    crossedOn: String(row.crossed_on),
    probationNoticeSentAt: at(row.po_sent_at),
    probationNoticeDueBy: at(row.po_due_by),
    probationAcknowledgedAt: at(row.po_acknowledged_at),
    probationRespondBy: at(row.po_respond_by),
    probationFirstResponseAt: at(row.po_response_at),
    probationFirstResponse: text(row.po_response),
    courtNoticeSentAt: at(row.ct_sent_at),
    courtNoticeDueBy: at(row.ct_due_by),
    courtAcknowledgedAt: at(row.ct_acknowledged_at),
    courtRespondBy: at(row.ct_respond_by),
    courtFirstResponseAt: at(row.ct_response_at),
    courtFirstResponse: text(row.ct_response),
    courtAction: Boolean(row.court_action),
    anyResponse: Boolean(row.any_response),
  };
}
