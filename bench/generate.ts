import { Client } from 'pg';

export interface GenerateOptions {
  referrals: number;
  groups: number;
  today: string;
  policyId: string;
  curriculumId: string;
  log: (line: string) => void;
}

export interface Fixture {
  adminId: string;
  facilitatorId: string;
  /** The last held session (a week ago) of the 15-man group. */
  rosterSessionId: string;
  /** The same week's session of one of the big groups, to show the roster's query count does not grow. */
  bigSessionId: string;
  counts: Record<string, number>;
}

/** The share of referrals that cross something on the sweep's first run, by category (per 100). */
export const CATEGORY_SQL = `CASE n % 100 WHEN 0 THEN 'never_enrolled' WHEN 1 THEN 'at_risk' WHEN 2 THEN 'no_attendance'
  WHEN 3 THEN 'no_attendance' WHEN 4 THEN 'report_due' ELSE 'steady' END`;
export const ROSTER_GROUP_MEMBERS = { from: 5, to: 19 };

const FIRST_NAMES = ['James', 'Robert', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Carlos', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Jose', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin', 'Brian', 'Luis', 'Eric', 'Ryan', 'Jacob'];
const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Young', 'Walker', 'Hall', 'Allen', 'King'];

/**
 * A statewide registry, set-based: a few agencies and users, `groups` big weekly groups plus one
 * 15-man group, each with ten held sessions over the last ten weeks and one scheduled next week,
 * `referrals` open Duluth referrals (each in one group, 8–10 marks, mostly present), the monthly
 * progress reports already raised with their notices. About 5 % cross something on the sweep's
 * first run: 1 % never enrolled past enroll-by, 2 % no attendance for three weeks, 1 % a progress
 * report due, 1 % at risk of missing complete-by; the rest are in steady state.
 */
export async function generate(client: Client, options: GenerateOptions): Promise<Fixture> {
  const { today, log } = options;
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };

  const ids = await step(
    'agencies and users',
    `WITH program AS (INSERT INTO agencies (name, kind, notice_email) VALUES ('Bench program', 'program', 'program@bench.test') RETURNING id),
          probation AS (INSERT INTO agencies (name, kind, notice_email) VALUES ('Bench probation', 'probation', 'probation@bench.test') RETURNING id),
          courts AS (INSERT INTO agencies (name, kind, notice_email)
                     SELECT 'Bench court ' || i, 'court', 'court' || i || '@bench.test' FROM generate_series(1, 10) i RETURNING id),
          admin AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'admin@bench.test', 'Bench Admin', 'admin', id, 'no-login' FROM program RETURNING id),
          facilitator AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'facilitator@bench.test', 'Bench Facilitator', 'facilitator', id, 'no-login' FROM program RETURNING id),
          officers AS (INSERT INTO users (email, name, role, agency_id, password_hash)
                    SELECT 'po' || i || '@bench.test', 'Officer ' || i, 'probation_officer', probation.id, 'no-login'
                      FROM probation, generate_series(1, 100) i RETURNING id)
     SELECT (SELECT id FROM admin) AS admin_id, (SELECT id FROM facilitator) AS facilitator_id,
            (SELECT count(*) FROM courts) + (SELECT count(*) FROM officers) AS n`,
  );
  const { admin_id: adminId, facilitator_id: facilitatorId } = ids.rows[0] as { admin_id: string; facilitator_id: string };

  await step(
    'groups',
    `INSERT INTO groups (name, curriculum_id, weekday, start_time, duration_minutes, capacity, location, language, starts_on)
     SELECT CASE WHEN i = 0 THEN 'Bench roster group' ELSE 'Bench group ' || lpad(i::text, 4, '0') END, $1,
            extract(isodow FROM $2::date), '18:00', 90, CASE WHEN i = 0 THEN 15 ELSE 2000 END, 'Room ' || i, 'en', $2::date - 70
       FROM generate_series(0, $3) i`,
    [options.curriculumId, today, options.groups],
  );
  await step('group facilitators', `INSERT INTO group_facilitators (group_id, user_id) SELECT id, $1 FROM groups`, [facilitatorId]);
  await step(
    'sessions (10 held, 1 scheduled per group)',
    `INSERT INTO sessions (group_id, date, start_time, kind, status, curriculum_unit_id)
     SELECT g.id, $1::date - 7 * k, g.start_time, 'regular', CASE WHEN k > 0 THEN 'held' ELSE 'scheduled' END::session_status, u.id
       FROM groups g CROSS JOIN generate_series(-1, 10) k
       JOIN curriculum_units u ON u.curriculum_id = g.curriculum_id AND u.position = 11 - k
      WHERE k <> 0`,
    [today],
  );

  await step(
    'bench_referrals (the generator’s own table: n, category)',
    `CREATE TABLE bench_referrals (n integer PRIMARY KEY, category text NOT NULL, referral_id uuid NOT NULL, participant_id uuid NOT NULL);
     INSERT INTO bench_referrals SELECT n, ${CATEGORY_SQL}, gen_random_uuid(), gen_random_uuid() FROM generate_series(1, ${Number(options.referrals)}) n`,
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
    'referrals (Duluth 24)',
    `WITH courts AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS i FROM agencies WHERE kind = 'court'),
          officers AS (SELECT id, row_number() OVER (ORDER BY email) - 1 AS i FROM users WHERE role = 'probation_officer'),
          dated AS (
            SELECT b.*, $2::date - CASE b.category WHEN 'never_enrolled' THEN 20 WHEN 'at_risk' THEN 250 ELSE 70 + b.n % 31 END AS ordered_on
              FROM bench_referrals b)
     INSERT INTO referrals (id, participant_id, case_number, court_agency_id, probation_officer_id, policy_id, ordered_on, enroll_by, complete_by, status)
     SELECT d.referral_id, d.participant_id, 'BN-' || lpad(d.n::text, 7, '0'), c.id, o.id, p.id, d.ordered_on,
            d.ordered_on + p.enroll_within_days, (d.ordered_on + make_interval(months => p.complete_within_months))::date,
            CASE d.category WHEN 'never_enrolled' THEN 'referred' ELSE 'active' END::referral_status
       FROM dated d JOIN policies p ON p.id = $1
       JOIN courts c ON c.i = d.n % 10 JOIN officers o ON o.i = d.n % 100`,
    [options.policyId, today],
  );
  await step(
    'enrollments',
    `WITH numbered AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS i FROM groups WHERE name LIKE 'Bench group %'),
          roster AS (SELECT id FROM groups WHERE name = 'Bench roster group')
     INSERT INTO enrollments (referral_id, group_id, start_date)
     SELECT b.referral_id,
            CASE WHEN b.n BETWEEN $3 AND $4 THEN (SELECT id FROM roster) ELSE (SELECT id FROM numbered WHERE i = b.n % $2) END,
            $1::date - 7 * CASE b.category WHEN 'at_risk' THEN 10 ELSE 8 + b.n % 3 END
       FROM bench_referrals b WHERE b.category <> 'never_enrolled'`,
    [today, options.groups, ROSTER_GROUP_MEMBERS.from, ROSTER_GROUP_MEMBERS.to],
  );
  // Steady men: present or late the last two weeks, at most one absence, a few late or left early.
  await step(
    'attendance marks',
    `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status, marked_by_id, marked_at)
     SELECT s.id, e.id, e.referral_id,
            CASE
              WHEN b.category = 'at_risk' THEN 'present'
              WHEN b.category = 'no_attendance' THEN CASE WHEN w.k <= 2 THEN 'absent_excused' ELSE 'present' END
              WHEN w.k <= 2 THEN CASE WHEN (b.n + w.k) % 10 = 0 THEN 'late' ELSE 'present' END
              WHEN b.n % 8 = 0 AND w.k = 3 + b.n % 5 THEN 'absent_unexcused'
              WHEN b.n % 8 = 4 AND w.k = 3 + b.n % 5 THEN 'absent_excused'
              WHEN (b.n * 31 + w.k * 17) % 100 < 8 THEN 'late'
              WHEN (b.n * 31 + w.k * 17) % 100 < 11 THEN 'left_early'
              ELSE 'present'
            END::attendance_status,
            $2, s.date + time '20:00'
       FROM enrollments e
       JOIN bench_referrals b ON b.referral_id = e.referral_id
       JOIN sessions s ON s.group_id = e.group_id AND s.status = 'held' AND s.date >= e.start_date
       CROSS JOIN LATERAL (SELECT ($1::date - s.date) / 7 AS k) w`,
    [today, facilitatorId],
  );
  // Monthly progress reports already raised (the report-due men lack the current one).
  await step(
    'progress-report events already raised',
    `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts, created_at)
     SELECT r.id, 'progress_report_due', 'period:' || p, r.ordered_on + 30 * p,
            jsonb_build_object('period', p, 'dueOn', r.ordered_on + 30 * p, 'clause', 'periodic progress report'),
            (r.ordered_on + 30 * p)::timestamptz
       FROM referrals r JOIN bench_referrals b ON b.referral_id = r.id
       CROSS JOIN LATERAL generate_series(1, ($1::date - r.ordered_on) / 30 - CASE WHEN b.category = 'report_due' THEN 1 ELSE 0 END) p`,
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
       JOIN referrals r ON r.id = e.referral_id JOIN bench_referrals b ON b.referral_id = r.id
       JOIN users po ON po.id = r.probation_officer_id JOIN agencies court ON court.id = r.court_agency_id
       CROSS JOIN unnest(ARRAY['probation_officer', 'court']::notice_recipient_kind[]) AS rk(kind)
       CROSS JOIN LATERAL (SELECT b.category = 'report_due' AND (e.facts ->> 'period')::int = ($1::date - r.ordered_on) / 30 - 1 AS unanswered) x`,
    [today],
  );
  await step('vacuum analyze', 'VACUUM ANALYZE');

  const sessions = await client.query<{ roster: string; big: string }>(
    `SELECT (SELECT s.id FROM sessions s JOIN groups g ON g.id = s.group_id WHERE g.name = 'Bench roster group' AND s.date = $1::date - 7) AS roster,
            (SELECT s.id FROM sessions s JOIN groups g ON g.id = s.group_id WHERE g.name = 'Bench group 0001' AND s.date = $1::date - 7) AS big`,
    [today],
  );
  const counts = await client.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM referrals) AS referrals, (SELECT count(*) FROM groups) AS groups,
            (SELECT count(*) FROM sessions WHERE status = 'held') AS held_sessions, (SELECT count(*) FROM enrollments) AS enrollments,
            (SELECT count(*) FROM attendance_marks) AS marks, (SELECT count(*) FROM compliance_events) AS events,
            (SELECT count(*) FROM notices) AS notices`,
  );
  return {
    adminId,
    facilitatorId,
    rosterSessionId: sessions.rows[0].roster,
    bigSessionId: sessions.rows[0].big,
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
       FROM (SELECT referral_id, CASE category WHEN 'never_enrolled' THEN 'referred' ELSE 'active' END::referral_status AS status FROM bench_referrals) x
      WHERE x.referral_id = r.id AND r.status <> x.status`,
  );
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE referrals, compliance_events, notices');
}
