import { Client } from 'pg';

export interface GenerateOptions {
  referrals: number;
  groups: number;
  today: string;
  /** The California PC 1203.097 preset: 52 weekly sessions, which is what makes ~52 marks a man plausible. */
  policyId: string;
  curriculumId: string;
  log: (line: string) => void;
}

export interface Fixture {
  adminId: string;
  facilitatorId: string;
  clerkId: string;
  clerkCourtId: string;
  /** The probation officer with 80 men (P7's caseload and referral pages). */
  caseloadOfficerId: string;
  /** Last week's session of each 15-man group, each with the man who stands at the absence limit. */
  rosterSessions: string[];
  /** Last week's session of a group of about 20 men, to show the roster's query count does not grow. */
  bigSessionId: string;
  /** The referrals whose no-attendance crossing the notice benchmark (P3) raises: two notices each. */
  noticeReferralIds: string[];
  counts: Record<string, number>;
}

/**
 * The share of referrals by category (per 100). `notice` men (1 %, and one in 10,000 more to warm
 * the worker up) are kept for the notice benchmark (P3), which raises their no-attendance
 * crossing itself; the others cross on the sweep's first run.
 */
export const CATEGORY_SQL = `CASE WHEN n % 10000 = 6 THEN 'notice' ELSE CASE n % 100 WHEN 0 THEN 'never_enrolled' WHEN 1 THEN 'at_risk'
  WHEN 2 THEN 'no_attendance' WHEN 3 THEN 'no_attendance' WHEN 4 THEN 'report_due' WHEN 5 THEN 'notice' ELSE 'steady' END END`;
/** Held weeks of every group's history; the oldest men started 76 weeks ago. */
const HISTORY_WEEKS = 80;
export const ROSTER_SIZE = 15;
/** A probation officer's caseload (P7). */
export const CASELOAD_MEN = 80;
/** Marks are written in chunks of this many referrals, each with its progress line. */
const MARK_CHUNK_REFERRALS = 25_000;

const FIRST_NAMES = [
  'James',
  'Robert',
  'Michael',
  'David',
  'William',
  'Richard',
  'Joseph',
  'Thomas',
  'Carlos',
  'Daniel',
  'Matthew',
  'Anthony',
  'Mark',
  'Jose',
  'Steven',
  'Paul',
  'Andrew',
  'Joshua',
  'Kevin',
  'Brian',
  'Luis',
  'Eric',
  'Ryan',
  'Jacob',
];
const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Young',
  'Walker',
  'Hall',
  'Allen',
  'King',
];

/** The tables the generator fills in bulk (tens of millions of marks at statewide scale). */
const BULK_TABLES = ['sessions', 'attendance_marks', 'compliance_events', 'notices'];

/**
 * Drops the bulk tables' secondary indexes, foreign keys and the primary keys no other table references,
 * and answers a function that builds them again, exactly as the migrations made them (definitions
 * read from the catalog): an index built once over the loaded table is much cheaper than one
 * maintained row by row (random uuids scatter every insert over the whole tree), and a foreign key
 * validated once is one join instead of a lookup per row. The schema the benchmarks run on is the
 * migrated one; the tables stay logged.
 */
export async function deferBulkIndexes(client: Client, log: (line: string) => void): Promise<() => Promise<void>> {
  const catalog = async () => {
    const constraints = await client.query<{ table_name: string; name: string; def: string; kind: string }>(
      `SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype AS kind
         FROM pg_constraint c
        WHERE c.conrelid = ANY($1::regclass[])
          AND (c.contype = 'f' OR (c.contype IN ('p', 'u') AND NOT EXISTS (
                SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.confrelid = c.conrelid AND r.conrelid <> ALL($1::regclass[]))))
        ORDER BY 1, 2`,
      [BULK_TABLES],
    );
    const indexes = await client.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.tablename::regclass AND c.conname = i.indexname)
        ORDER BY 1`,
      [BULK_TABLES],
    );
    return { constraints: constraints.rows, indexes: indexes.rows };
  };
  const before = await catalog();
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const c of before.constraints.filter((c) => c.kind === 'f'))
    await client.query(`ALTER TABLE ${c.table_name} DROP CONSTRAINT ${quoted(c.name)}`);
  for (const c of before.constraints.filter((c) => c.kind !== 'f'))
    await client.query(`ALTER TABLE ${c.table_name} DROP CONSTRAINT ${quoted(c.name)}`);
  for (const index of before.indexes) await client.query(`DROP INDEX ${quoted(index.name)}`);
  log(`  dropped ${before.indexes.length} indexes and ${before.constraints.length} constraints of ${BULK_TABLES.join(', ')} for the load`);
  return async () => {
    const started = performance.now();
    await client.query(`SET maintenance_work_mem = '512MB'`);
    for (const c of before.constraints.filter((c) => c.kind !== 'f'))
      await client.query(`ALTER TABLE ${c.table_name} ADD CONSTRAINT ${quoted(c.name)} ${c.def}`);
    for (const index of before.indexes) await client.query(index.def);
    for (const c of before.constraints.filter((c) => c.kind === 'f'))
      await client.query(`ALTER TABLE ${c.table_name} ADD CONSTRAINT ${quoted(c.name)} ${c.def}`);
    await client.query('RESET maintenance_work_mem');
    const after = await catalog();
    if (JSON.stringify(after) !== JSON.stringify(before))
      throw new Error(`The bulk tables' indexes differ after the load: ${JSON.stringify({ before, after })}`);
    log(
      `  built ${before.indexes.length} indexes and ${before.constraints.length} constraints again in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  };
}

/** How many groups hold exactly 15 steady men (the P1 rosters): two thirds of the groups, as far as the steady men go. */
export function rosterGroupCount(referrals: number, groups: number): number {
  let steady = 0;
  for (let n = 1; n <= referrals; n++) if (n % 100 >= 6 && n % 10000 !== 6) steady++;
  return Math.max(2, Math.min(Math.floor((2 * groups) / 3), Math.floor((0.8 * steady) / ROSTER_SIZE)));
}

/**
 * A statewide registry, set-based (INSERT … SELECT over generate_series, which is faster than
 * COPY from the client because no row crosses the wire): agencies and users, `groups` weekly
 * groups with 80 held weeks of history and one scheduled next week, `referrals` open California
 * PC 1203.097 referrals (52 sessions), each enrolled 28–76 weeks ago with a mark for every week
 * since (about 52 a man, mostly present, at most three absences), and the quarterly progress
 * reports already raised with their notices. Two thirds of the groups hold exactly 15 men, one of
 * whom stands at the absence limit (P1's rosters).
 */
export async function generate(client: Client, options: GenerateOptions): Promise<Fixture> {
  const { today, log } = options;
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${(result.rowCount ?? 0).toLocaleString('en-US')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
  const rosterGroups = rosterGroupCount(options.referrals, options.groups);
  const rebuildIndexes = await deferBulkIndexes(client, log);

  const ids = await step(
    'agencies and users',
    `WITH program AS (INSERT INTO agencies (name, kind, notice_email) VALUES ('Bench program', 'program', 'program@bench.test') RETURNING id),
          probation AS (INSERT INTO agencies (name, kind, notice_email) VALUES ('Bench probation', 'probation', 'probation@bench.test') RETURNING id),
          courts AS (INSERT INTO agencies (name, kind, notice_email)
                     SELECT 'Bench court ' || lpad(i::text, 2, '0'), 'court', 'court' || i || '@bench.test' FROM generate_series(1, 10) i RETURNING id, name),
          admin AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'admin@bench.test', 'Bench Admin', 'admin', id, 'no-login' FROM program RETURNING id),
          facilitator AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'facilitator@bench.test', 'Bench Facilitator', 'facilitator', id, 'no-login' FROM program RETURNING id),
          clerk AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'clerk@bench.test', 'Bench Clerk', 'court_clerk', id, 'no-login' FROM courts WHERE name = 'Bench court 01' RETURNING id, agency_id),
          officers AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'po' || i || '@bench.test', 'Officer ' || i, 'probation_officer', probation.id, 'no-login'
                      FROM probation, generate_series(1, 100) i RETURNING id),
          caseload_officer AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'caseload-po@bench.test', 'Caseload Officer', 'probation_officer', probation.id, 'no-login' FROM probation RETURNING id)
     SELECT (SELECT id FROM admin) AS admin_id, (SELECT id FROM facilitator) AS facilitator_id,
            (SELECT id FROM clerk) AS clerk_id, (SELECT agency_id FROM clerk) AS clerk_court_id,
            (SELECT id FROM caseload_officer) AS caseload_officer_id,
            (SELECT count(*) FROM courts) + (SELECT count(*) FROM officers) + 4 AS n`,
  );
  const {
    admin_id: adminId,
    facilitator_id: facilitatorId,
    clerk_id: clerkId,
    clerk_court_id: clerkCourtId,
    caseload_officer_id: caseloadOfficerId,
  } = ids.rows[0] as Record<string, string>;

  await step(
    'groups',
    `INSERT INTO groups (name, curriculum_id, weekday, start_time, duration_minutes, capacity, location, language, starts_on)
     SELECT 'Bench group ' || lpad(i::text, 6, '0'), $1, extract(isodow FROM $2::date), '18:00', 120,
            CASE WHEN i < $4 THEN ${ROSTER_SIZE} ELSE 40 END, 'Room ' || i, 'en', $2::date - 7 * $5::int
       FROM generate_series(0, $3::int - 1) i`,
    [options.curriculumId, today, options.groups, rosterGroups, HISTORY_WEEKS],
  );
  await step(
    'bench_groups (the generator’s own table: idx → group)',
    `CREATE TABLE bench_groups AS SELECT substring(name from 13)::int AS idx, id FROM groups WHERE name LIKE 'Bench group %';
     ALTER TABLE bench_groups ADD PRIMARY KEY (idx)`,
  );
  await step('group facilitators', `INSERT INTO group_facilitators (group_id, user_id) SELECT id, $1 FROM groups`, [facilitatorId]);
  await step(
    `sessions (${HISTORY_WEEKS} held, 1 scheduled per group)`,
    `WITH units AS (SELECT id, position, count(*) OVER () AS total FROM curriculum_units WHERE curriculum_id = $2)
     INSERT INTO sessions (group_id, date, start_time, kind, status, curriculum_unit_id)
     SELECT g.id, $1::date - 7 * k, g.start_time, 'regular', CASE WHEN k > 0 THEN 'held' ELSE 'scheduled' END::session_status, u.id
       FROM groups g CROSS JOIN generate_series(-1, $3::int) k
       JOIN units u ON u.position = 1 + (k + 1) % u.total
      WHERE k <> 0`,
    [today, options.curriculumId, HISTORY_WEEKS],
  );

  // Who is who: category, group, week of enrollment, days since the order, and the man at the limit.
  await step(
    'bench_referrals (the generator’s own table: n, category, group, start week)',
    `CREATE TABLE bench_referrals (n integer PRIMARY KEY, category text NOT NULL, referral_id uuid NOT NULL, participant_id uuid NOT NULL,
                                   group_idx integer, start_week integer, ordered_days_ago integer NOT NULL, at_limit boolean NOT NULL DEFAULT false);
     WITH base AS (SELECT n, ${CATEGORY_SQL} AS category FROM generate_series(1, ${options.referrals}) n),
          ranked AS (
            SELECT b.*, row_number() OVER (PARTITION BY b.category = 'steady' ORDER BY n) - 1 AS rank
              FROM base b WHERE b.category <> 'never_enrolled'),
          placed AS (
            SELECT r.n,
                   CASE WHEN r.category = 'steady' AND r.rank < ${rosterGroups * ROSTER_SIZE} THEN (r.rank / ${ROSTER_SIZE})::int
                        WHEN r.category = 'steady' THEN ${rosterGroups} + ((r.rank - ${rosterGroups * ROSTER_SIZE}) % ${options.groups - rosterGroups})::int
                        ELSE ${rosterGroups} + (r.rank % ${options.groups - rosterGroups})::int END AS group_idx,
                   r.category = 'steady' AND r.rank < ${rosterGroups * ROSTER_SIZE} AND r.rank % ${ROSTER_SIZE} = 0 AS at_limit,
                   CASE r.category WHEN 'at_risk' THEN 20 ELSE 28 + r.n % 49 END AS start_week
              FROM ranked r)
     INSERT INTO bench_referrals
     SELECT b.n, b.category, gen_random_uuid(), gen_random_uuid(), p.group_idx, p.start_week,
            CASE b.category WHEN 'never_enrolled' THEN 40 WHEN 'at_risk' THEN 500 ELSE 7 * p.start_week + b.n % 7 END,
            COALESCE(p.at_limit, false)
       FROM base b LEFT JOIN placed p ON p.n = b.n`,
  );
  await step(
    'participants',
    `INSERT INTO participants (id, first_name, last_name, first_name_key, last_name_key, date_of_birth)
     SELECT participant_id, f, l || CASE WHEN n % 7 = 0 THEN '-' || (n % 97) ELSE '' END, lower(f), lower(l), DATE '1970-01-01' + (n * 37) % 12000
       FROM bench_referrals b,
            LATERAL (SELECT ($1::text[])[1 + n % array_length($1::text[], 1)] AS f, ($2::text[])[1 + (n / 7) % array_length($2::text[], 1)] AS l) x`,
    [FIRST_NAMES, LAST_NAMES],
  );
  await step(
    'referrals (California PC 1203.097)',
    `WITH courts AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS i FROM agencies WHERE kind = 'court'),
          officers AS (SELECT id, row_number() OVER (ORDER BY email) - 1 AS i FROM users WHERE role = 'probation_officer' AND email LIKE 'po%'),
          dated AS (SELECT b.*, $2::date - b.ordered_days_ago AS ordered_on FROM bench_referrals b)
     INSERT INTO referrals (id, participant_id, case_number, court_agency_id, probation_officer_id, policy_id, ordered_on, enroll_by, complete_by, status)
     SELECT d.referral_id, d.participant_id, 'BN-' || lpad(d.n::text, 7, '0'), c.id, o.id, p.id, d.ordered_on,
            d.ordered_on + p.enroll_within_days, (d.ordered_on + make_interval(months => p.complete_within_months))::date,
            CASE d.category WHEN 'never_enrolled' THEN 'referred' ELSE 'active' END::referral_status
       FROM dated d JOIN policies p ON p.id = $1
       JOIN courts c ON c.i = d.n % 10 JOIN officers o ON o.i = d.n % 100`,
    [options.policyId, today],
  );
  // P7's officer: 80 men picked across the state (every category but P3's), whatever its size.
  await step(
    `the caseload officer's ${CASELOAD_MEN} men`,
    `UPDATE referrals r SET probation_officer_id = $1
       FROM (SELECT referral_id FROM bench_referrals WHERE category <> 'notice' ORDER BY md5(n::text) LIMIT $2) x
      WHERE r.id = x.referral_id`,
    [caseloadOfficerId, Math.min(CASELOAD_MEN, Math.floor(options.referrals / 4))],
  );
  await step(
    'enrollments',
    `INSERT INTO enrollments (referral_id, group_id, start_date)
     SELECT b.referral_id, g.id, $1::date - 7 * b.start_week
       FROM bench_referrals b JOIN bench_groups g ON g.idx = b.group_idx`,
    [today],
  );
  // Fresh statistics before the marks: with the tables' sizes unknown the planner joined every
  // session to every enrollment for each chunk (26 million rows sorted per chunk at 500,000).
  await step('analyze before the marks', 'ANALYZE bench_referrals, bench_groups, enrollments, sessions, referrals');
  // Steady men: present or late the last two weeks, at most one absence (four or more weeks ago),
  // a few late or left early. The man at the limit has three excused absences, none in a row.
  const expectedMarks = Number(
    (await client.query<{ marks: string }>(`SELECT sum(start_week) AS marks FROM bench_referrals WHERE group_idx IS NOT NULL`)).rows[0]
      .marks,
  );
  const chunk = Math.min(MARK_CHUNK_REFERRALS, Math.ceil(options.referrals / 10));
  let written = 0;
  const marksStarted = performance.now();
  for (let from = 1; from <= options.referrals; from += chunk) {
    const result = await client.query(
      `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status, marked_by_id, marked_at)
       SELECT s.id, e.id, e.referral_id,
              CASE
                WHEN b.category = 'at_risk' THEN 'present'
                WHEN b.at_limit THEN CASE WHEN w.k IN (5, 9, 13) THEN 'absent_excused' ELSE 'present' END
                WHEN b.category IN ('no_attendance', 'notice') AND w.k <= 2 THEN 'absent_excused'
                WHEN w.k <= 2 THEN CASE WHEN (b.n + w.k) % 10 = 0 THEN 'late' ELSE 'present' END
                WHEN b.n % 8 = 0 AND w.k = 4 + b.n % 5 THEN 'absent_unexcused'
                WHEN b.n % 8 = 4 AND w.k = 4 + b.n % 5 THEN 'absent_excused'
                WHEN (b.n * 31 + w.k * 17) % 100 < 8 THEN 'late'
                WHEN (b.n * 31 + w.k * 17) % 100 < 11 THEN 'left_early'
                ELSE 'present'
              END::attendance_status,
              $2, s.date + time '20:00'
         FROM bench_referrals b
         JOIN enrollments e ON e.referral_id = b.referral_id
         JOIN sessions s ON s.group_id = e.group_id AND s.status = 'held' AND s.date >= e.start_date
         CROSS JOIN LATERAL (SELECT ($1::date - s.date) / 7 AS k) w
        WHERE b.n BETWEEN $3 AND $4`,
      [today, facilitatorId, from, Math.min(options.referrals, from + chunk - 1)],
    );
    written += result.rowCount ?? 0;
    const seconds = (performance.now() - marksStarted) / 1000;
    log(
      `  attendance marks: ${written.toLocaleString('en-US')} / ${expectedMarks.toLocaleString('en-US')} (${Math.round((100 * written) / expectedMarks)} %) in ${seconds.toFixed(1)} s`,
    );
  }
  // Quarterly progress reports already raised (the report-due men lack the current one).
  await step(
    'progress-report events already raised',
    `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts, created_at)
     SELECT r.id, 'progress_report_due', 'period:' || p, r.ordered_on + pol.progress_report_every_days * p,
            jsonb_build_object('period', p, 'dueOn', r.ordered_on + pol.progress_report_every_days * p, 'clause', 'periodic progress report'),
            (r.ordered_on + pol.progress_report_every_days * p)::timestamptz
       FROM referrals r JOIN bench_referrals b ON b.referral_id = r.id JOIN policies pol ON pol.id = r.policy_id
       CROSS JOIN LATERAL generate_series(1, ($1::date - r.ordered_on) / pol.progress_report_every_days - CASE WHEN b.category = 'report_due' THEN 1 ELSE 0 END) p`,
    [today],
  );
  // Their notices: acknowledged, except the latest of the report-due men, sent and never
  // acknowledged, which the sweep's escalation reminds.
  await step(
    'notices of those events',
    `INSERT INTO notices (event_id, referral_id, purpose, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id,
                          status, attempts, next_attempt_at, queued_at, due_by, subject, rendered_at, sent_at, message_id,
                          acknowledged_at, acknowledged_by_id, created_at, updated_at)
     SELECT e.id, e.referral_id, 'event', rk.kind,
            CASE rk.kind WHEN 'probation_officer' THEN po.email ELSE court.notice_email END,
            CASE rk.kind WHEN 'probation_officer' THEN po.id END,
            CASE rk.kind WHEN 'court' THEN court.id ELSE po.agency_id END,
            CASE WHEN x.unanswered THEN 'sent' ELSE 'acknowledged' END::notice_status, 1, e.created_at, e.created_at,
            e.created_at + interval '2 days', 'Progress report', e.created_at, e.created_at + interval '5 minutes',
            '<' || gen_random_uuid() || '@bench.test>',
            CASE WHEN NOT x.unanswered THEN e.created_at + interval '1 day' END, CASE WHEN NOT x.unanswered THEN po.id END,
            e.created_at, e.created_at
       FROM compliance_events e
       JOIN referrals r ON r.id = e.referral_id JOIN bench_referrals b ON b.referral_id = r.id JOIN policies pol ON pol.id = r.policy_id
       JOIN users po ON po.id = r.probation_officer_id JOIN agencies court ON court.id = r.court_agency_id
       CROSS JOIN unnest(ARRAY['probation_officer', 'court']::notice_recipient_kind[]) AS rk(kind)
       CROSS JOIN LATERAL (SELECT b.category = 'report_due'
                                  AND (e.facts ->> 'period')::int = ($1::date - r.ordered_on) / pol.progress_report_every_days - 1 AS unanswered) x`,
    [today],
  );
  await rebuildIndexes();
  await step('vacuum analyze', 'VACUUM ANALYZE');

  const rosterSessions = await client.query<{ id: string }>(
    `SELECT s.id FROM sessions s JOIN bench_groups g ON g.id = s.group_id
      WHERE g.idx < $2 AND s.date = $1::date - 7 ORDER BY g.idx`,
    [today, rosterGroups],
  );
  const bigSession = await client.query<{ id: string }>(
    `SELECT s.id FROM sessions s JOIN bench_groups g ON g.id = s.group_id WHERE g.idx = $2 AND s.date = $1::date - 7`,
    [today, rosterGroups],
  );
  const noticeReferrals = await client.query<{ referral_id: string }>(
    `SELECT referral_id FROM bench_referrals WHERE category = 'notice' ORDER BY n`,
  );
  const counts = await client.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM referrals) AS referrals, (SELECT count(*) FROM groups) AS groups,
            (SELECT count(*) FROM sessions WHERE status = 'held') AS held_sessions, (SELECT count(*) FROM enrollments) AS enrollments,
            (SELECT count(*) FROM attendance_marks) AS marks, (SELECT count(*) FROM compliance_events) AS events,
            (SELECT count(*) FROM notices) AS notices,
            (SELECT count(*) FROM referrals WHERE probation_officer_id = $1) AS caseload`,
    [caseloadOfficerId],
  );
  return {
    adminId,
    facilitatorId,
    clerkId,
    clerkCourtId,
    caseloadOfficerId,
    rosterSessions: rosterSessions.rows.map((row) => row.id),
    bigSessionId: bigSession.rows[0].id,
    noticeReferralIds: noticeReferrals.rows.map((row) => row.referral_id),
    counts: Object.fromEntries(Object.entries(counts.rows[0]).map(([key, value]) => [key, Number(value)])),
  };
}

/**
 * Puts the first-run crossings back so the first run can be measured again: deletes what a run
 * wrote after `since` (events, notices, reminders), un-escalates, restores the statuses. The
 * audit entries stay (append-only); the sweep never reads them.
 */
export async function undoSweep(client: Client, since: Date): Promise<void> {
  await client.query('BEGIN');
  await client.query(`DELETE FROM notices WHERE created_at >= $1`, [since]);
  await client.query(`UPDATE notices SET escalated_at = NULL WHERE escalated_at >= $1`, [since]);
  await client.query(`DELETE FROM compliance_events WHERE created_at >= $1`, [since]);
  await client.query(
    `UPDATE referrals r SET status = x.status, status_reason = NULL
       FROM (SELECT referral_id, CASE category WHEN 'never_enrolled' THEN 'referred' ELSE 'active' END::referral_status AS status
               FROM bench_referrals WHERE category <> 'notice') x
      WHERE x.referral_id = r.id AND r.status <> x.status`,
  );
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE referrals, compliance_events, notices');
}
