import { SignedInUser } from '../../common/auth/signed-in-user';
import { ComplianceEventKind, VIOLATION_KINDS } from '../../common/program/compliance-event-kind.enum';
import { scopeSql } from '../access/permissions';
import { AccountabilityQuery } from './accountability-query.dto';
import { AccountabilityPeriod } from './accountability-period';

/**
 * The crossings the community must answer: the violations, and a failure to enroll (the first
 * failure is the strongest predictor of failing the program). Program decisions (enrolled,
 * reinstated, closed, transferred), reports, warnings and corrections are not crossings.
 */
export const ACCOUNTABLE_KINDS: readonly ComplianceEventKind[] = [...VIOLATION_KINDS, ComplianceEventKind.FailedToEnroll];

/**
 * His group: the group of his latest enrollment (where he is, or where he ended), for every order
 * in one sorted pass. Probed per order (a lateral walk of the index and a sort each) it took a
 * third of the summary's time; an array_agg per order three times this. With `firstStart`, the
 * start of his first enrollment from the same sorted pass (a window over his enrollments).
 */
const latestGroupJoin = (firstStart: boolean) => `LEFT JOIN (SELECT DISTINCT ON (en.referral_id) en.referral_id, en.group_id${
  firstStart ? ', min(en.start_date) OVER (PARTITION BY en.referral_id) AS first_start' : ''
} FROM enrollments en
                    ORDER BY en.referral_id, en.start_date DESC, en.created_at DESC) lg ON lg.referral_id = r.id`;

/**
 * The referrals the figures are about: the user's scope and the filters, with what each figure
 * groups by; with `firstStart`, the start of each one's first enrollment (`first_start`).
 */
export function scopedReferralsSql(
  user: SignedInUser,
  query: AccountabilityQuery,
  bind: (value: unknown) => string,
  options: { group?: boolean; language?: boolean; firstStart?: boolean } = {},
): string {
  // The group costs a pass over every enrollment: read only where a figure groups or filters by it.
  const withGroup = options.group !== false || Boolean(query.groupId) || Boolean(options.firstStart);
  // The language, a join of every participant (each referral has exactly one: participant_id is
  // a required foreign key, so leaving it out drops no referral): likewise.
  const withLanguage = options.language !== false || Boolean(query.language);
  // Whose orders the figures cover (access/permissions.ts, accountability.read).
  const where = [scopeSql(user, 'accountability.read', { referral: 'r', probationOfficer: 'po' }, bind)];
  if (query.courtId) where.push(`r.court_agency_id = ${bind(query.courtId)}`);
  if (query.probationAgencyId) where.push(`po.agency_id = ${bind(query.probationAgencyId)}`);
  // A policy is every version of it: a referral keeps the version it was ordered under.
  if (query.policyId) where.push(`pol.key = (SELECT p2.key FROM policies p2 WHERE p2.id = ${bind(query.policyId)})`);
  if (query.groupId) where.push(`lg.group_id = ${bind(query.groupId)}`);
  if (query.language) where.push(`lower(pa.language) = lower(${bind(query.language)})`);
  return `
    SELECT r.id, r.case_number, r.court_agency_id, po.agency_id AS probation_agency_id, pol.key AS policy_key,
           ${withLanguage ? 'pa.language' : 'NULL::text AS language'},
           lg.group_id,${options.firstStart ? ' lg.first_start,' : ''} r.ordered_on, r.enroll_by, r.status, r.status_changed_at, r.participant_id, pol.left_early_counts,
           pol.escalate_after_business_days AS acknowledge_days,
           pol.probation_response_business_days AS probation_days, pol.court_response_business_days AS court_days
      FROM referrals r
      JOIN users po ON po.id = r.probation_officer_id
      JOIN policies pol ON pol.id = r.policy_id
      ${withLanguage ? 'JOIN participants pa ON pa.id = r.participant_id' : ''}
      ${withGroup ? latestGroupJoin(Boolean(options.firstStart)) : 'CROSS JOIN (SELECT NULL::uuid AS group_id) lg'}
     WHERE ${where.join(' AND ')}`;
}

/**
 * The program's calendar as two arrays in one row: for each local day, how many business days
 * (is_business_day, where a holiday calendar joins) fall on or before it, and the business days
 * in order. N business days after an instant is then the business day numbered N more than its
 * day, at the same wall-clock hour: what add_business_days answers, but by two array subscripts
 * instead of a loop per row (100,000 calls of the function take over a second; the e2e suite
 * checks the two agree).
 */
export function calendarSql(p: PeriodParams): string {
  return `
    SELECT min(d)::date AS first_day,
           array_agg(n ORDER BY d) AS number_of_day,
           array_agg(d::date ORDER BY d) FILTER (WHERE business) AS business_days
      FROM (SELECT d, is_business_day(d::date) AS business, count(*) FILTER (WHERE is_business_day(d::date)) OVER (ORDER BY d) AS n
              FROM generate_series(${p.windowFrom} - 7, GREATEST(${p.to}, ${p.local(p.now)}::date) + 400, interval '1 day') d) days`;
}

/**
 * "N business days after `start`" in the program's zone, read from the calendar CTE `cal`, with
 * the statement's conversions (PeriodParams). The arrays are scalar subqueries (computed once,
 * passed as parameters): joined in, they would ride along in every row through every sort
 * (kilobytes a row; a summary took 20 s that way).
 */
export function businessDeadline(start: string, days: string, p: Pick<PeriodParams, 'local' | 'instant'>): string {
  return businessDeadlineFromLocal(start, p.local(start), days, p.instant);
}

/**
 * The same, given the start's local wall-clock time already converted (a lateral column): the
 * conversion is then made once a row instead of three times in each deadline. `instant` turns
 * the deadline's local wall-clock time back into an instant (PeriodParams.instant).
 */
export function businessDeadlineFromLocal(start: string, local: string, days: string, instant: (local: string) => string): string {
  const numberOfDay = `(SELECT c.number_of_day FROM cal c)[(${local}::date - (SELECT c.first_day FROM cal c)) + 1]`;
  return `CASE WHEN ${days} <= 0 THEN ${start}
               ELSE ${instant(`(SELECT c.business_days FROM cal c)[${numberOfDay} + ${days}] + ${local}::time`)} END`;
}

/** The parameters every statement binds, in one place so the statements cannot disagree. */
export interface PeriodParams {
  zone: string;
  from: string;
  to: string;
  windowFrom: string;
  trendFrom: string;
  /** The instant "now" for deadlines still running. */
  now: string;
  kinds: string;
  /** An instant's wall-clock time in the program's zone (a timestamp). */
  local: (instant: string) => string;
  /** The instant a wall-clock time in the program's zone names (a timestamptz). */
  instant: (local: string) => string;
}

/**
 * With `sessionZone`, the statement runs with the session's TimeZone set to the program's (see
 * PROGRAM_ZONE_SESSION): the conversions are then plain casts, which read the session's zone
 * directly, instead of an AT TIME ZONE that looks the zone's name up again on every row (three
 * times a notice in the Swift figures). The same conversion, the same instants. Only for a
 * statement that returns no timestamptz, which the session's zone would print differently.
 */
export function bindPeriod(
  period: AccountabilityPeriod,
  timeZone: string,
  now: Date,
  bind: (value: unknown) => string,
  options: { sessionZone?: boolean } = {},
): PeriodParams {
  // Bound on first use: PostgreSQL refuses a parameter the statement never mentions.
  const lazy = (value: unknown, cast: string) => {
    let placeholder: string | null = null;
    return () => (placeholder ??= `${bind(value)}::${cast}`);
  };
  const values = {
    zone: lazy(timeZone, 'text'),
    from: lazy(period.from, 'date'),
    to: lazy(period.to, 'date'),
    windowFrom: lazy(period.windowFrom, 'date'),
    trendFrom: lazy(period.trendFrom, 'date'),
    now: lazy(now.toISOString(), 'timestamptz'),
    kinds: lazy(ACCOUNTABLE_KINDS, 'compliance_event_kind[]'),
  };
  return {
    get zone() {
      return values.zone();
    },
    get from() {
      return values.from();
    },
    get to() {
      return values.to();
    },
    get windowFrom() {
      return values.windowFrom();
    },
    get trendFrom() {
      return values.trendFrom();
    },
    get now() {
      return values.now();
    },
    get kinds() {
      return values.kinds();
    },
    local: (instant) => (options.sessionZone ? `(${instant})::timestamp` : `((${instant}) AT TIME ZONE ${values.zone()})`),
    instant: (local) => (options.sessionZone ? `(${local})::timestamptz` : `((${local}) AT TIME ZONE ${values.zone()})`),
  };
}

/** The statement's setting for a `sessionZone` PeriodParams: the program's zone as the session's, for its transaction only. */
export const PROGRAM_ZONE_SESSION = `SELECT set_config('TimeZone', $1, true)`;

/**
 * The violations raised in the window (the instant the rules raised them, counted by its day in
 * the program's zone), each with its referral's facts. A violation a correction withdrew is not
 * one: it and its `corrected` follow-up are left out.
 */
export function violationsSql(p: PeriodParams): string {
  return `
    SELECT e.id, e.referral_id, e.kind, e.created_at AS crossed_at, ${p.local('e.created_at')}::date AS crossed_on,
           s.case_number, s.court_agency_id, s.probation_agency_id, s.policy_key, s.language, s.group_id, s.participant_id,
           s.acknowledge_days, s.probation_days, s.court_days
      FROM compliance_events e JOIN scoped s ON s.id = e.referral_id
     WHERE e.kind = ANY(${p.kinds})
       AND e.created_at >= ${p.instant(`${p.windowFrom}::timestamp`)}
       AND e.created_at < ${p.instant(`(${p.to} + 1)::timestamp`)}
       AND NOT EXISTS (SELECT 1 FROM compliance_events w WHERE w.corrects_event_id = e.id)`;
}

/**
 * Each violation's notice to each agency, timed from the crossing: reached (sent, or read in
 * Throughline before the e-mail went, whichever came first), acknowledged, first response of
 * that agency; each against its deadline (the notice's due-by; the policy's business days for
 * acknowledging and for answering, counted from the sending as the response clock does). A
 * deadline is "decided" once met or passed; one still running counts for neither side.
 */
export function legsSql(p: PeriodParams): string {
  const acknowledgeBy = businessDeadlineFromLocal('x.started_at', 'x.started_local', 'v.acknowledge_days', p.instant);
  const respondBy = businessDeadlineFromLocal(
    'x.started_at',
    'x.started_local',
    `CASE n.recipient_kind WHEN 'court' THEN v.court_days ELSE v.probation_days END`,
    p.instant,
  );
  return `
    SELECT v.id AS event_id, v.crossed_at, v.crossed_on, v.court_agency_id, n.recipient_kind,
           x.reached_at, n.acknowledged_at, fr.responded_at, n.due_by,
           ${acknowledgeBy} AS acknowledge_by, ${respondBy} AS respond_by
      FROM v
      JOIN notices n ON n.event_id = v.id AND n.purpose = 'event' AND n.recipient_kind IN ('probation_officer', 'court')
      -- The clocks run from the sending (or, not yet sent, from the writing), as the response clock does.
      CROSS JOIN LATERAL (SELECT LEAST(n.sent_at, n.acknowledged_at) AS reached_at, COALESCE(n.sent_at, n.created_at) AS started_at,
                                 ${p.local('COALESCE(n.sent_at, n.created_at)')} AS started_local
                          OFFSET 0) x  -- not pulled up into the deadlines, where each use would convert again
      LEFT JOIN first_responses rf ON rf.event_id = v.id
      CROSS JOIN LATERAL (SELECT CASE n.recipient_kind WHEN 'court' THEN rf.court_at ELSE rf.probation_at END AS responded_at) fr`;
}

/**
 * Each crossing's responses in one pass (a hash aggregate, not a probe per row): the first of any
 * agency, of probation and of the court; joined to the violations `v`, which keep their own.
 * Not restricted to `v` (an `IN (SELECT id FROM v)` here): the statement reads every response
 * either way, and a `v` read twice is kept in memory without statistics, so the planner hashed
 * all the notices (450,000 rows) to meet it instead of the violations' 50,000.
 */
export const FIRST_RESPONSES_SQL = `
    SELECT er.event_id, min(er.recorded_at) AS first_at,
           min(er.recorded_at) FILTER (WHERE er.agency = 'probation') AS probation_at,
           min(er.recorded_at) FILTER (WHERE er.agency = 'court') AS court_at
      FROM event_responses er GROUP BY er.event_id`;

/** The same with the kind of each agency's first response, for the rows of the export. */
export const RESPONSE_FACTS_SQL = `
    SELECT er.event_id, min(er.recorded_at) AS first_at,
           min(er.recorded_at) FILTER (WHERE er.agency = 'probation') AS probation_at,
           min(er.recorded_at) FILTER (WHERE er.agency = 'court') AS court_at,
           (array_agg(er.kind ORDER BY er.recorded_at, er.id) FILTER (WHERE er.agency = 'probation'))[1]::text AS probation_kind,
           (array_agg(er.kind ORDER BY er.recorded_at, er.id) FILTER (WHERE er.agency = 'court'))[1]::text AS court_kind
      FROM event_responses er WHERE er.event_id IN (SELECT id FROM v) GROUP BY er.event_id`;

/**
 * Whether the court was sent a notice of violation `v` (`cn.event_id IS NOT NULL` after this
 * join): the court-action share counts only those (the court cannot act on what it was never
 * told). At most one row (the notices' unique index on event, recipient and purpose). Joined,
 * not an EXISTS per violation: that became a hashed subplan reading every court notice ever
 * sent through the index (a quarter of the Sure figures' time at statewide scale).
 */
export const COURT_NOTICE_JOIN = `LEFT JOIN notices cn ON cn.event_id = v.id AND cn.recipient_kind = 'court' AND cn.purpose = 'event'`;

/** Hours between two instants (null when either is missing). */
export const hours = (later: string, earlier: string) => `(EXTRACT(EPOCH FROM (${later}) - (${earlier})) / 3600.0)::float8`;

/** count, median, p90 and max of an expression, under a prefix: both percentiles from one sort. */
export function spreadSql(prefix: string, expression: string, filter = 'TRUE'): string {
  return `count(${expression}) FILTER (WHERE ${filter})::int AS ${prefix}_count,
          percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY ${expression}) FILTER (WHERE ${filter}) AS ${prefix}_percentiles,
          max(${expression}) FILTER (WHERE ${filter})::float8 AS ${prefix}_max`;
}
