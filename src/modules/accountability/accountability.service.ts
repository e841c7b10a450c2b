import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../../common/auth/signed-in-user';
import { SqlParams } from '../../common/http/sql-params';
import { ProgramClock } from '../../config/program-clock';
import { AuditService } from '../audit/audit.service';
import { Role } from '../../common/auth/role.enum';
import { DISPARITY_RULE, disparityFlags, share, Share, Spread } from './accountability-figures';
import { AccountabilityQuery } from './accountability-query.dto';
import { monthLabel, resolvePeriod } from './accountability-period';
import {
  bindPeriod,
  calendarSql,
  COURT_NOTICE_JOIN,
  hours,
  legsSql,
  FIRST_RESPONSES_SQL,
  PeriodParams,
  PROGRAM_ZONE_SESSION,
  scopedReferralsSql,
  spreadSql,
  violationsSql,
} from './accountability.sql';
import { AccountabilitySummary, DisparityRow, OutcomeRow, SureRow, SwiftRow, TrendMonth, UnansweredViolation } from './accountability.view';
import { languageLabel } from './languages';

/**
 * Memory each figure statement may sort and hash in before spilling to disk: its sorts of the
 * period's violations (tens of thousands of rows) fit, and it is one statement's, for its transaction only.
 */
export const FIGURES_WORK_MEM = '64MB';

/**
 * The planner's row estimates for the figure statements are far too high (CTEs over CTEs), and
 * past its cost threshold PostgreSQL compiles the statement first: at 50,000 violations the
 * compiling took 7 of the export's 11 seconds (EXPLAIN's JIT timing). These statements run once.
 */
export const NO_JIT = 'SET LOCAL jit = off';

/**
 * No parallel workers for a figure statement: the summary runs its three side by side, which
 * keeps two cores busy already; workers on top of them only contend (the three side by side
 * finished ~11 % later with them, on 2 cores) and the workers' CPU is spent besides.
 */
export const NO_PARALLEL = 'SET LOCAL max_parallel_workers_per_gather = 0';

/** How many unanswered violations the summary lists (the CSV of the rows has all of them). */
export const UNANSWERED_LISTED = 100;

type Row = Record<string, unknown>;
export interface Option {
  value: string;
  label: string;
}
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const int = (value: unknown): number => Number(value ?? 0);

function spreadOf(row: Row, prefix: string): Spread {
  const percentiles = (row[`${prefix}_percentiles`] as Array<number | null> | null) ?? [null, null];
  return { count: int(row[`${prefix}_count`]), median: num(percentiles[0]), p90: num(percentiles[1]), max: num(row[`${prefix}_max`]) };
}

/**
 * The accountability view: how the community answers the crossings it is told of (swift, sure),
 * what becomes of the orders (outcomes), whether some men fare differently (disparity) and the
 * last twelve months. Two set-based statements (the violations, the orders) over the user's
 * scope and filters, whatever the volume; the figures' definitions are accountability-figures.ts.
 */
@Injectable()
export class AccountabilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ProgramClock,
    private readonly audit: AuditService,
  ) {}

  async summary(user: SignedInUser, query: AccountabilityQuery, options: { audit?: boolean } = {}): Promise<AccountabilitySummary> {
    const period = resolvePeriod(query, this.clock.today());
    const [violationFigures, outcomeFigures] = await Promise.all([
      this.violationFigures(user, query, period),
      this.outcomeFigures(user, query, period),
    ]);
    const names = await this.names(violationFigures, outcomeFigures);
    const summary = this.assemble(user, query, period, violationFigures, outcomeFigures, names);
    if (options.audit !== false) {
      await this.audit.record({
        action: 'accountability.summary',
        recordType: 'accountability',
        details: {
          filters: auditFilters(query, period),
          violations: summary.violations,
          unansweredListed: summary.sure.unanswered.items.map((item) => item.eventId),
        },
      });
    }
    return summary;
  }

  /**
   * What the filter form offers this user: courts, probation departments, policies, groups and
   * languages. An agency's own user is offered only his agency (the figures cover nothing else).
   */
  async filterOptions(
    user: SignedInUser,
  ): Promise<{ courts: Option[]; probationAgencies: Option[]; policies: Option[]; groups: Option[]; languages: Option[] }> {
    const own = user.role === Role.ProbationOfficer || user.role === Role.CourtClerk ? user.agencyId : null;
    const rows = await this.dataSource.query<Array<{ kind: string; value: string; label: string }>>(
      `SELECT 'court' AS kind, id::text AS value, name AS label FROM agencies WHERE kind = 'court' AND ($1::uuid IS NULL OR id = $1 OR $2 <> 'court_clerk')
       UNION ALL SELECT 'probation', id::text, name FROM agencies WHERE kind = 'probation' AND ($1::uuid IS NULL OR id = $1 OR $2 <> 'probation_officer')
       UNION ALL SELECT 'policy', id::text, name FROM policies WHERE is_current
       UNION ALL SELECT 'group', id::text, name FROM groups WHERE active
       UNION ALL SELECT DISTINCT 'language', lower(language), lower(language) FROM participants
       ORDER BY 1, 3 LIMIT 2000`,
      [own, user.role],
    );
    const of = (kind: string) =>
      rows
        .filter((row) => row.kind === kind)
        .map((row) => ({ value: row.value, label: kind === 'language' ? languageLabel(row.value) : row.label }));
    return {
      courts: of('court'),
      probationAgencies: of('probation'),
      policies: of('policy'),
      groups: of('group'),
      languages: of('language'),
    };
  }

  /**
   * One figure statement in a read-only transaction of its own, with room to sort; with
   * `programZone`, the session's time zone the program's for it (bindPeriod's `sessionZone`).
   */
  private figureQuery(sql: string, params: unknown[], options: { programZone?: boolean } = {}): Promise<unknown> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET TRANSACTION READ ONLY`);
      await manager.query(`SET LOCAL work_mem = '${FIGURES_WORK_MEM}'`);
      await manager.query(NO_JIT);
      await manager.query(NO_PARALLEL);
      if (options.programZone) await manager.query(PROGRAM_ZONE_SESSION, [this.clock.timeZone]);
      return manager.query<unknown>(sql, params);
    });
  }

  /**
   * The period's violations, in two statements run side by side on their own connections: the
   * timing of each notice (Swift) and what became of each violation (Sure, by court, language
   * and group, the trend, the unanswered). Each reads the violations itself; together they take
   * about half as long on two cores as one statement computing both.
   */
  private async violationFigures(user: SignedInUser, query: AccountabilityQuery, period: ReturnType<typeof resolvePeriod>) {
    const [swift, sure] = await Promise.all([this.swiftFigures(user, query, period), this.sureFigures(user, query, period)]);
    return { ...swift, ...sure };
  }

  /**
   * Swift: for each agency's notice, the hours from the crossing to its sending, acknowledgement
   * and first response, and each against its deadline. It returns numbers only, so it runs in
   * the program's zone (three conversions a notice as casts). Grouped by the recipient kind, an
   * enum, not by the agency's name as text: the same two groups, sorted without collation.
   */
  private async swiftFigures(user: SignedInUser, query: AccountabilityQuery, period: ReturnType<typeof resolvePeriod>) {
    const params = new SqlParams();
    const scoped = scopedReferralsSql(user, query, params.bind, { group: false, language: false });
    // A name with a slash is a zone, never an abbreviation, which AT TIME ZONE would read as a
    // fixed offset where the session's TimeZone reads the zone (CET, EET): only then the casts.
    const sessionZone = this.clock.timeZone.includes('/');
    const p = bindPeriod(period, this.clock.timeZone, this.clock.now(), params.bind, { sessionZone });
    const inTime = (at: string, by: string) => `CASE WHEN ${at} IS NOT NULL THEN ${at} <= ${by} WHEN ${by} < ${p.now} THEN FALSE END`;
    const [row] = (await this.figureQuery(
      `WITH scoped AS (${scoped}),
            cal AS (${calendarSql(p)}),
            v AS (${violationsSql(p)}),
            first_responses AS (${FIRST_RESPONSES_SQL}),
            legs AS (${legsSql(p)}),
            timed AS (
              SELECT l.recipient_kind,
                     ${hours('l.reached_at', 'l.crossed_at')} AS notice_h, ${inTime('l.reached_at', 'l.due_by')} AS notice_ok,
                     ${hours('l.acknowledged_at', 'l.crossed_at')} AS ack_h, ${inTime('l.acknowledged_at', 'l.acknowledge_by')} AS ack_ok,
                     ${hours('l.responded_at', 'l.crossed_at')} AS resp_h, ${inTime('l.responded_at', 'l.respond_by')} AS resp_ok
                FROM legs l WHERE l.crossed_on >= ${p.from}),
            swift AS (
              SELECT CASE WHEN GROUPING(recipient_kind) = 1 THEN 'all' WHEN recipient_kind = 'court' THEN 'court' ELSE 'probation' END AS agency,
                     count(*)::int AS notices,
                     ${spreadSql('notice', 'notice_h')}, count(notice_ok)::int AS notice_decided, count(*) FILTER (WHERE notice_ok)::int AS notice_within,
                     ${spreadSql('ack', 'ack_h')}, count(ack_ok)::int AS ack_decided, count(*) FILTER (WHERE ack_ok)::int AS ack_within,
                     ${spreadSql('resp', 'resp_h')}, count(resp_ok)::int AS resp_decided, count(*) FILTER (WHERE resp_ok)::int AS resp_within
                FROM timed GROUP BY GROUPING SETS ((recipient_kind), ()))
       SELECT (SELECT coalesce(json_agg(swift), '[]') FROM swift) AS swift`,
      params.values,
      { programZone: sessionZone },
    )) as Array<{ swift: Row[] }>;
    return row;
  }

  /** Sure: court action where the court was told, and no response at all, by court, language and group; the trend; the oldest unanswered. */
  private async sureFigures(user: SignedInUser, query: AccountabilityQuery, period: ReturnType<typeof resolvePeriod>) {
    const params = new SqlParams();
    const scoped = scopedReferralsSql(user, query, params.bind);
    const p = bindPeriod(period, this.clock.timeZone, this.clock.now(), params.bind);
    const [row] = (await this.figureQuery(
      `WITH scoped AS (${scoped}),
            v AS (${violationsSql(p)}),
            first_responses AS (${FIRST_RESPONSES_SQL}),
            pv AS (
              SELECT v.id, v.referral_id, v.kind, v.crossed_at, v.crossed_on, v.case_number, v.court_agency_id, lower(v.language) AS language, v.group_id,
                     cn.event_id IS NOT NULL AS court_told, rf.court_at IS NOT NULL AS court_action, rf.first_at AS first_response_at
                FROM v LEFT JOIN first_responses rf ON rf.event_id = v.id ${COURT_NOTICE_JOIN}),
            sure AS (
              SELECT court_agency_id, GROUPING(court_agency_id) AS overall, count(*)::int AS violations,
                     count(*) FILTER (WHERE court_told)::int AS court_told, count(*) FILTER (WHERE court_told AND court_action)::int AS court_action,
                     count(*) FILTER (WHERE first_response_at IS NULL)::int AS unanswered
                FROM pv WHERE crossed_on >= ${p.from} GROUP BY GROUPING SETS ((court_agency_id), ())),
            by_value AS (
              SELECT CASE WHEN GROUPING(language) = 0 THEN 'language' ELSE 'group' END AS dimension,
                     CASE WHEN GROUPING(language) = 0 THEN language ELSE group_id::text END AS value,
                     count(*) FILTER (WHERE court_told)::int AS court_told, count(*) FILTER (WHERE court_told AND court_action)::int AS court_action
                FROM pv WHERE crossed_on >= ${p.from} GROUP BY GROUPING SETS ((language), (group_id))),
            trend AS (
              SELECT to_char(crossed_on, 'YYYY-MM') AS month, count(*)::int AS violations,
                     percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours('first_response_at', 'crossed_at')}) AS median_response_h,
                     count(*) FILTER (WHERE court_told)::int AS court_told, count(*) FILTER (WHERE court_told AND court_action)::int AS court_action,
                     count(*) FILTER (WHERE first_response_at IS NULL)::int AS unanswered
                FROM pv WHERE crossed_on >= ${p.trendFrom} GROUP BY 1),
            unanswered AS (
              SELECT id, referral_id, case_number, kind, court_agency_id, crossed_at, crossed_on::text AS crossed_on,
                     (${p.local(p.now)}::date - crossed_on)::int AS days_waiting
                FROM pv WHERE first_response_at IS NULL AND crossed_on >= ${p.from}
               ORDER BY crossed_at, id LIMIT ${UNANSWERED_LISTED})
       SELECT (SELECT coalesce(json_agg(sure), '[]') FROM sure) AS sure,
              (SELECT coalesce(json_agg(by_value), '[]') FROM by_value) AS by_value,
              (SELECT coalesce(json_agg(trend), '[]') FROM trend) AS trend,
              (SELECT coalesce(json_agg(unanswered ORDER BY crossed_at, id), '[]') FROM unanswered) AS unanswered`,
      params.values,
    )) as Array<{ sure: Row[]; by_value: Row[]; trend: Row[]; unanswered: Row[] }>;
    return row;
  }

  /** The orders: enrollment, failure to enroll, completion, termination, by policy, group, court and language, and by month. */
  private async outcomeFigures(user: SignedInUser, query: AccountabilityQuery, period: ReturnType<typeof resolvePeriod>) {
    const params = new SqlParams();
    const scoped = scopedReferralsSql(user, query, params.bind, { firstStart: true });
    const p = bindPeriod(period, this.clock.timeZone, this.clock.now(), params.bind);
    const endedOn = `${p.local('s.status_changed_at')}::date`;
    const [row] = (await this.figureQuery(
      // Kept (three readers) with only the columns read here: every column of it was copied into
      // the stored rows (a sixth of this statement).
      `WITH scoped AS (SELECT s.id, s.court_agency_id, s.policy_key, s.language, s.group_id, s.first_start, s.ordered_on, s.enroll_by, s.status,
                              s.status_changed_at, s.left_early_counts FROM (${scoped}) s),
            -- Each order's facts gathered once per table (hash joins), not probed per order.
            -- A failure to enroll stands unless a correction withdrew it.
            failed AS (SELECT DISTINCT fe.referral_id FROM compliance_events fe WHERE fe.kind = 'failed_to_enroll'
                          AND NOT EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = fe.id)),
            ended AS (SELECT s.*, ${endedOn} AS ended_on FROM scoped s WHERE s.status IN ('completed', 'terminated')),
            facts AS (
              SELECT s.policy_key, s.group_id, s.court_agency_id, lower(s.language) AS language, 'enrollment_days' AS measure, s.first_start AS on_day, (s.first_start - s.ordered_on)::float8 AS value
                FROM scoped s
               WHERE s.first_start >= ${p.windowFrom} AND s.first_start <= ${p.to}
              UNION ALL
              -- Decided once the enroll-by date has passed.
              SELECT s.policy_key, s.group_id, s.court_agency_id, lower(s.language), 'failed_to_enroll', s.enroll_by, CASE WHEN f.referral_id IS NOT NULL THEN 1 ELSE 0 END::float8
                FROM scoped s LEFT JOIN failed f ON f.referral_id = s.id
               WHERE s.enroll_by < ${p.local(p.now)}::date AND s.enroll_by >= ${p.windowFrom} AND s.enroll_by <= ${p.to}
              UNION ALL
              SELECT e.policy_key, e.group_id, e.court_agency_id, lower(e.language), 'completed', e.ended_on, CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END::float8
                FROM ended e WHERE e.ended_on >= ${p.windowFrom} AND e.ended_on <= ${p.to}
              UNION ALL
              SELECT e.policy_key, e.group_id, e.court_agency_id, lower(e.language), 'terminated', e.ended_on, CASE WHEN e.status = 'terminated' THEN 1 ELSE 0 END::float8
                FROM ended e WHERE e.ended_on >= ${p.windowFrom} AND e.ended_on <= ${p.to}
              UNION ALL
              -- Sessions he attended before termination: held sessions only (a cancelled week counts for nobody).
              SELECT e.policy_key, e.group_id, e.court_agency_id, lower(e.language), 'sessions_before_termination', e.ended_on,
                     (SELECT count(*) FROM attendance_marks am JOIN sessions se ON se.id = am.session_id
                       WHERE am.referral_id = e.id AND se.status = 'held' AND se.date <= e.ended_on
                         AND (am.status IN ('present', 'late') OR (am.status = 'left_early' AND e.left_early_counts)))::float8
                FROM ended e WHERE e.status = 'terminated' AND e.ended_on >= ${p.windowFrom} AND e.ended_on <= ${p.to}),
            -- The two measures shown as spreads by sorted grouping sets (a percentile, an ordered-set
            -- aggregate, allows no hashing), the rates of the rest by hashed ones: sorting all the
            -- facts four times over for the percentiles of two measures took a fifth of this statement.
            figures AS (${figureSetsSql(p, { spreads: true })}
              UNION ALL ${figureSetsSql(p, { spreads: false })}),
            trend AS (
              SELECT measure, to_char(on_day, 'YYYY-MM') AS month, count(*)::int AS n, sum(value)::float8 AS total
                FROM facts WHERE on_day >= ${p.trendFrom} AND measure IN ('completed', 'failed_to_enroll') GROUP BY 1, 2)
       -- In the order one sorted pass gave them (set by set, measure, value): the page lists a
       -- dimension's values in the order they first come, where two share a name.
       SELECT (SELECT coalesce(json_agg((SELECT r FROM (SELECT f.measure, f.dimension, f.value, f.n, f.total, f.v_count, f.v_percentiles, f.v_max) r)
                                        ORDER BY f.grouping_set, f.measure, f.by_policy, f.by_group, f.by_court, f.by_language, f.dimension = 'all'), '[]')
                 FROM figures f) AS figures,
              (SELECT coalesce(json_agg(trend), '[]') FROM trend) AS trend`,
      params.values,
    )) as Array<{ figures: Row[]; trend: Row[] }>;
    return row;
  }

  /** The names the figures are shown under: courts, groups, policies (their latest version's name). */
  private async names(
    violations: { sure: Row[]; by_value: Row[]; unanswered: Row[] },
    outcomes: { figures: Row[] },
  ): Promise<Map<string, string>> {
    const ids = new Set<string>();
    const keys = new Set<string>();
    /* eslint-disable @typescript-eslint/no-base-to-string -- ids and policy keys, text in the rows */
    for (const row of [...violations.sure, ...violations.unanswered]) if (row.court_agency_id) ids.add(String(row.court_agency_id));
    for (const row of violations.by_value) if (row.dimension === 'group' && row.value) ids.add(String(row.value));
    for (const row of outcomes.figures) {
      if ((row.dimension === 'group' || row.dimension === 'court') && row.value) ids.add(String(row.value));
      if (row.dimension === 'policy' && row.value) keys.add(String(row.value));
    }
    /* eslint-enable @typescript-eslint/no-base-to-string */
    const rows = await this.dataSource.query<Array<{ id: string; name: string }>>(
      `SELECT id::text AS id, name FROM agencies WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, name FROM groups WHERE id = ANY($1::uuid[])
       UNION ALL SELECT * FROM (SELECT DISTINCT ON (key) key, name FROM policies WHERE key = ANY($2::text[]) ORDER BY key, version DESC) latest`,
      [[...ids], [...keys]],
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  private assemble(
    user: SignedInUser,
    query: AccountabilityQuery,
    period: ReturnType<typeof resolvePeriod>,
    violations: Awaited<ReturnType<AccountabilityService['violationFigures']>>,
    outcomes: Awaited<ReturnType<AccountabilityService['outcomeFigures']>>,
    names: Map<string, string>,
  ): AccountabilitySummary {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an id is text in the rows
    const nameOf = (id: unknown, none: string) => (id ? (names.get(String(id)) ?? String(id)) : none);
    const deadline = (row: Row, prefix: string): Share => share(int(row[`${prefix}_within`]), int(row[`${prefix}_decided`]));
    const swiftOrder = { probation: 0, court: 1, all: 2 } as Record<string, number>;
    const swift: SwiftRow[] = violations.swift
      .map((row) => ({
        agency: row.agency as SwiftRow['agency'],
        notices: int(row.notices),
        toNotice: { ...spreadOf(row, 'notice'), withinDeadline: deadline(row, 'notice') },
        toAcknowledgement: { ...spreadOf(row, 'ack'), withinDeadline: deadline(row, 'ack') },
        toFirstResponse: { ...spreadOf(row, 'resp'), withinDeadline: deadline(row, 'resp') },
      }))
      .sort((a, b) => swiftOrder[a.agency] - swiftOrder[b.agency]);
    if (!swift.some((row) => row.agency === 'all')) swift.push(emptySwift());

    const sureRow = (row: Row | undefined, courtId: string | null): SureRow => ({
      courtId,
      court: courtId ? nameOf(courtId, '') : 'All courts',
      violations: int(row?.violations),
      courtAction: share(int(row?.court_action), int(row?.court_told)),
      noResponse: share(int(row?.unanswered), int(row?.violations)),
    });
    const overallSure = violations.sure.find((row) => int(row.overall) === 1);
    const byCourt = violations.sure
      .filter((row) => int(row.overall) === 0)
      .map((row) => sureRow(row, String(row.court_agency_id)))
      .sort((a, b) => a.court.localeCompare(b.court));
    const unanswered: UnansweredViolation[] = violations.unanswered.map((row) => ({
      eventId: String(row.id),
      referralId: String(row.referral_id),
      caseNumber: String(row.case_number),
      kind: String(row.kind),
      court: nameOf(row.court_agency_id, ''),
      crossedAt: String(row.crossed_at),
      crossedOn: String(row.crossed_on),
      daysWaiting: int(row.days_waiting),
    }));

    // Looked up by key, not searched: at statewide scale there are thousands of groups, each row
    // asked for several figures, and a search of the rows for each took 0.4 s of the summary.
    const figures = firstByKey(outcomes.figures, (row) => [row.measure, row.dimension, row.value]);
    const figure = (measure: string, dimension: string, value: string | null) => figures.get([measure, dimension, value]);
    const rate = (measure: string, dimension: string, value: string | null): Share => {
      const row = figure(measure, dimension, value);
      return share(Math.round(Number(row?.total ?? 0)), int(row?.n));
    };
    const spreadFor = (measure: string, dimension: string, value: string | null): Spread => {
      const row = figure(measure, dimension, value);
      return row ? spreadOf(row, 'v') : { count: 0, median: null, p90: null, max: null };
    };
    const labelOf = (dimension: string, value: string | null): string => {
      if (dimension === 'all') return 'All orders';
      if (dimension === 'language') return value ? languageLabel(value) : 'not recorded';
      if (dimension === 'group') return value ? nameOf(value, '') : 'never enrolled';
      return nameOf(value, '—');
    };
    const outcomeRow = (dimension: OutcomeRow['dimension'], value: string | null): OutcomeRow => ({
      dimension,
      value,
      label: labelOf(dimension, value),
      enrollmentDays: spreadFor('enrollment_days', dimension, value),
      failedToEnroll: rate('failed_to_enroll', dimension, value),
      completed: rate('completed', dimension, value),
      terminated: rate('terminated', dimension, value),
      sessionsBeforeTermination: spreadFor('sessions_before_termination', dimension, value),
    });
    const valuesByDimension = new Map<string, Set<string | null>>();
    for (const row of outcomes.figures) {
      const dimension = String(row.dimension);
      if (!valuesByDimension.has(dimension)) valuesByDimension.set(dimension, new Set());
      valuesByDimension.get(dimension)?.add((row.value ?? null) as string | null);
    }
    const valuesOf = (dimension: string) => [...(valuesByDimension.get(dimension) ?? [])];
    const byLabel = <T extends { label: string }>(rows: T[]) => rows.sort((a, b) => a.label.localeCompare(b.label));

    const byValue = firstByKey(violations.by_value, (row) => [row.dimension, row.value]);
    const courtActionOf = (dimension: string, value: string | null): Share => {
      const row = byValue.get([dimension, value]);
      return share(int(row?.court_action), int(row?.court_told));
    };
    const disparityRows = (dimension: 'language' | 'group'): DisparityRow[] => {
      const values = new Set<string | null>([
        ...valuesOf(dimension),
        ...violations.by_value.filter((row) => row.dimension === dimension).map((row) => (row.value ?? null) as string | null),
      ]);
      return byLabel(
        [...values].map((value) => ({
          dimension,
          value,
          label: labelOf(dimension, value),
          failedToEnroll: rate('failed_to_enroll', dimension, value),
          completed: rate('completed', dimension, value),
          terminated: rate('terminated', dimension, value),
          courtAction: courtActionOf(dimension, value),
        })),
      );
    };
    const byLanguage = disparityRows('language');
    const byGroup = disparityRows('group');
    const rates: Array<[keyof Pick<DisparityRow, 'failedToEnroll' | 'completed' | 'terminated' | 'courtAction'>, string]> = [
      ['failedToEnroll', 'failed to enroll'],
      ['completed', 'completed'],
      ['terminated', 'terminated'],
      ['courtAction', 'court action on violations'],
    ];
    const flags = (['language', 'group'] as const).flatMap((dimension) =>
      rates.flatMap(([key, rateName]) =>
        disparityFlags(
          rateName,
          (dimension === 'language' ? byLanguage : byGroup).map((row) => ({
            value: row.value ?? '',
            label: row.label,
            count: row[key].count,
            of: row[key].of,
          })),
          DISPARITY_RULE,
        ).map((flag) => ({ ...flag, dimension, rateName })),
      ),
    );

    const violationMonths = firstByKey(violations.trend, (row) => [row.month]);
    const outcomeMonths = firstByKey(outcomes.trend, (row) => [row.month, row.measure]);
    const trends: TrendMonth[] = period.months.map((month) => {
      const v = violationMonths.get([month]);
      const completed = outcomeMonths.get([month, 'completed']);
      const failed = outcomeMonths.get([month, 'failed_to_enroll']);
      return {
        month,
        label: monthLabel(month),
        violations: int(v?.violations),
        medianHoursToFirstResponse: num(v?.median_response_h),
        courtAction: share(int(v?.court_action), int(v?.court_told)),
        noResponse: share(int(v?.unanswered), int(v?.violations)),
        completed: share(Math.round(Number(completed?.total ?? 0)), int(completed?.n)),
        failedToEnroll: share(Math.round(Number(failed?.total ?? 0)), int(failed?.n)),
      };
    });

    const overall = sureRow(overallSure, null);
    return {
      period: { from: period.from, to: period.to, timeZone: this.clock.timeZone, trendFrom: period.trendFrom },
      filters: {
        courtId: query.courtId ?? null,
        probationAgencyId: query.probationAgencyId ?? null,
        policyId: query.policyId ?? null,
        groupId: query.groupId ?? null,
        language: query.language ?? null,
      },
      scope: user.role === Role.Admin || user.role === Role.Coordinator ? 'program' : 'agency',
      violations: overall.violations,
      swift,
      sure: { overall, byCourt, unanswered: { items: unanswered, total: overall.noResponse.count, shown: unanswered.length } },
      outcomes: {
        overall: outcomeRow('all', null),
        byPolicy: byLabel(valuesOf('policy').map((value) => outcomeRow('policy', value))),
        byGroup: byLabel(valuesOf('group').map((value) => outcomeRow('group', value))),
        byCourt: byLabel(valuesOf('court').map((value) => outcomeRow('court', value))),
      },
      disparity: { margin: DISPARITY_RULE.margin, minimumCount: DISPARITY_RULE.minimumCount, byLanguage, byGroup, flags },
      trends,
    };
  }
}

/**
 * One column of a figure row's key as text, a missing value (null or absent) as a character of
 * its own, so that it never equals the text "null".
 */
function keyPart(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- ids, measures and months, text in the rows
  return value === null || value === undefined ? '\u0000' : String(value);
}

/** Rows by a key of several columns: a map per column, the last one to the row. */
interface RowsByKey {
  get(key: readonly unknown[]): Row | undefined;
}

/**
 * The rows by key, the first row of each key kept (what a search from the top would find). A
 * map per column, not one map of the columns joined as text: the summary asks it ~30,000 times
 * at statewide scale, and building and hashing a joined key each time was most of `assemble`.
 */
function firstByKey(rows: readonly Row[], key: (row: Row) => unknown[]): RowsByKey {
  type Level = Map<string, Level | Row>;
  const root: Level = new Map();
  for (const row of rows) {
    const columns = key(row);
    let level = root;
    for (let i = 0; i < columns.length - 1; i++) {
      const part = keyPart(columns[i]);
      let next = level.get(part) as Level | undefined;
      if (!next) level.set(part, (next = new Map()));
      level = next;
    }
    const last = keyPart(columns[columns.length - 1]);
    if (!level.has(last)) level.set(last, row);
  }
  return {
    get(columns) {
      let found: Level | Row | undefined = root;
      for (const column of columns) found = (found as Level | undefined)?.get(keyPart(column));
      return found as Row | undefined;
    },
  };
}

/** The orders' measures shown as spreads (median, 90th percentile), the others as rates. */
const SPREAD_MEASURES = `('enrollment_days', 'sessions_before_termination')`;

/**
 * The figures of the orders by each dimension (policy, group, court, language, all) for the
 * measures shown as spreads, with their percentiles, or for the rest, without (a rate reads
 * `n` and `total` only). Each row also carries the set it belongs to and its typed value, to
 * be ordered by.
 */
function figureSetsSql(p: PeriodParams, options: { spreads: boolean }): string {
  return `
              SELECT measure,
                     CASE WHEN GROUPING(policy_key) = 0 THEN 'policy' WHEN GROUPING(group_id) = 0 THEN 'group'
                          WHEN GROUPING(court_agency_id) = 0 THEN 'court' WHEN GROUPING(language) = 0 THEN 'language' ELSE 'all' END AS dimension,
                     COALESCE(CASE WHEN GROUPING(policy_key) = 0 THEN policy_key END, CASE WHEN GROUPING(group_id) = 0 THEN group_id::text END,
                              CASE WHEN GROUPING(court_agency_id) = 0 THEN court_agency_id::text END, CASE WHEN GROUPING(language) = 0 THEN language END) AS value,
                     count(*)::int AS n, sum(value)::float8 AS total, count(value)::int AS v_count,
                     ${options.spreads ? 'percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY value)' : 'NULL::float8[]'} AS v_percentiles,
                     max(value)::float8 AS v_max,
                     CASE WHEN GROUPING(group_id) = 0 THEN 1 WHEN GROUPING(court_agency_id) = 0 THEN 2 WHEN GROUPING(language) = 0 THEN 3 ELSE 0 END AS grouping_set,
                     policy_key AS by_policy, group_id AS by_group, court_agency_id AS by_court, language AS by_language
                FROM facts WHERE on_day >= ${p.from} AND measure ${options.spreads ? '' : 'NOT '}IN ${SPREAD_MEASURES}
               GROUP BY GROUPING SETS ((measure, policy_key), (measure, group_id), (measure, court_agency_id), (measure, language), (measure))`;
}

function emptySwift(): SwiftRow {
  const none = { count: 0, median: null, p90: null, max: null, withinDeadline: share(0, 0) };
  return { agency: 'all', notices: 0, toNotice: none, toAcknowledgement: none, toFirstResponse: none };
}

/** The filters as the audit keeps them: ids and dates, nothing that names a man. */
export function auditFilters(query: AccountabilityQuery, period: { from: string; to: string }): Record<string, string | null> {
  return {
    from: period.from,
    to: period.to,
    courtId: query.courtId ?? null,
    probationAgencyId: query.probationAgencyId ?? null,
    policyId: query.policyId ?? null,
    groupId: query.groupId ?? null,
    language: query.language ?? null,
  };
}
