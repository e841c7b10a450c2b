import { Client, Pool, PoolClient } from 'pg';
import { LoadRequest, LoadResult, runLoad, runWork } from './load';
import { QueryCounter } from './measure';

/** One 15-man roster: the session, its men, and the man who stands at the absence limit. */
export interface Roster {
  sessionId: string;
  marks: Array<{ enrollmentId: string; referralId: string; atLimit: boolean }>;
}

export interface AttendanceLoadBench {
  concurrency: number;
  rosters: { app: number; baseline: number; warmUp: number };
  app: LoadResult;
  baseline: LoadResult;
  /** What the saves wrote, from the database (events, notices, status changes). */
  written: { app: Written; baseline: Written };
  /** SQL statements of one save with a crossing and one with its correction: the app (in process, over HTTP) and the baseline. */
  statements: { app: [number, number]; baseline: [number, number] };
}

interface Written {
  events: number;
  notices: number;
}

export async function loadRosters(client: Client, sessionIds: string[]): Promise<Roster[]> {
  const { rows } = await client.query<{ session_id: string; enrollment_id: string; referral_id: string; at_limit: boolean }>(
    `SELECT s.id AS session_id, e.id AS enrollment_id, e.referral_id, b.at_limit
       FROM sessions s
       JOIN enrollments e ON e.group_id = s.group_id AND e.start_date <= s.date AND (e.end_date IS NULL OR e.end_date >= s.date)
       JOIN bench_referrals b ON b.referral_id = e.referral_id
      WHERE s.id = ANY($1::uuid[])
      ORDER BY s.id, e.id`,
    [sessionIds],
  );
  const bySession = new Map<string, Roster>(sessionIds.map((id) => [id, { sessionId: id, marks: [] }]));
  for (const row of rows)
    bySession.get(row.session_id)!.marks.push({ enrollmentId: row.enrollment_id, referralId: row.referral_id, atLimit: row.at_limit });
  return [...bySession.values()];
}

/**
 * The i-th save of a run: the rosters in turn, each visited twice. The first visit marks the
 * man at the limit absent (his fourth absence: an event, two notices, non-compliant) and the
 * others late; the second marks everyone present (the crossing corrected: a `corrected` event,
 * two notices, active again). Every mark changes on every save.
 */
export function rosterSave(
  rosters: Roster[],
  index: number,
): { roster: Roster; marks: Array<{ enrollmentId: string; referralId: string; status: string }> } {
  const roster = rosters[index % rosters.length];
  const firstVisit = Math.floor(index / rosters.length) % 2 === 0;
  return {
    roster,
    marks: roster.marks.map((mark) => ({
      enrollmentId: mark.enrollmentId,
      referralId: mark.referralId,
      status: firstVisit ? (mark.atLimit ? 'absent_excused' : 'late') : 'present',
    })),
  };
}

const ABSENCES = `('absent_excused', 'absent_unexcused', 'removed')`;

/** Rosters each side saves (twice: a crossing, its correction) before it is measured. */
const WARM_UP_ROSTERS = 25;

/**
 * P1's baseline: the same save written by hand with plain `pg`, one transaction: lock the
 * session, upsert the marks, audit them, compute each man's standing (counts over all his held
 * sessions) and his absence-limit event, write a crossing or its correction with its notices,
 * the status change and their audit rows.
 */
export async function baselineSave(pool: Pool, userId: string, save: ReturnType<typeof rosterSave>): Promise<void> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    const session = await client.query<{ id: string; date: string }>(
      `SELECT id, date::text AS date FROM sessions WHERE id = $1 FOR UPDATE`,
      [save.roster.sessionId],
    );
    await client.query(
      `INSERT INTO attendance_marks (session_id, enrollment_id, referral_id, status, marked_by_id, marked_at)
       SELECT $1, x.enrollment_id, x.referral_id, x.status::attendance_status, $2, now()
         FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS x(enrollment_id, referral_id, status)
       ON CONFLICT (session_id, enrollment_id) DO UPDATE SET status = EXCLUDED.status, marked_by_id = EXCLUDED.marked_by_id, marked_at = now()`,
      [
        session.rows[0].id,
        userId,
        save.marks.map((m) => m.enrollmentId),
        save.marks.map((m) => m.referralId),
        save.marks.map((m) => m.status),
      ],
    );
    await client.query(
      `INSERT INTO audit_entries (actor_user_id, actor_role, action, record_type, record_id, details)
       SELECT $1, 'facilitator', 'attendance.correct', 'attendance', x.enrollment_id, jsonb_build_object('sessionId', $2::uuid, 'to', x.status)
         FROM unnest($3::uuid[], $4::text[]) AS x(enrollment_id, status)`,
      [userId, save.roster.sessionId, save.marks.map((m) => m.enrollmentId), save.marks.map((m) => m.status)],
    );
    const standings = await client.query<{
      referral_id: string;
      status: string;
      absences: number;
      max_absences: number;
      event_id: string | null;
      corrected: boolean;
    }>(
      `SELECT r.id AS referral_id, r.status, st.absences, pol.max_absences, ev.id AS event_id,
              EXISTS (SELECT 1 FROM compliance_events c WHERE c.corrects_event_id = ev.id) AS corrected
         FROM referrals r JOIN policies pol ON pol.id = r.policy_id
         CROSS JOIN LATERAL (
           SELECT count(*) FILTER (WHERE m.status IN ${ABSENCES})::int AS absences,
                  count(*) FILTER (WHERE m.status IN ('present', 'late'))::int AS attended
             FROM attendance_marks m JOIN sessions s ON s.id = m.session_id AND s.status = 'held'
            WHERE m.referral_id = r.id) st
         LEFT JOIN compliance_events ev ON ev.referral_id = r.id AND ev.kind = 'absence_limit_exceeded' AND ev.threshold_key = 'absences:' || (pol.max_absences + 1)
        WHERE r.id = ANY($1::uuid[])
        ORDER BY r.id
        FOR UPDATE OF r`,
      [save.marks.map((m) => m.referralId)],
    );
    const crossings = standings.rows.filter((row) => row.absences > row.max_absences && !row.event_id);
    const corrections = standings.rows.filter(
      (row): row is typeof row & { event_id: string } => row.absences <= row.max_absences && row.event_id !== null && !row.corrected,
    );
    const drafts = [
      ...crossings.map((row) => ({
        referralId: row.referral_id,
        kind: 'absence_limit_exceeded',
        key: `absences:${row.max_absences + 1}`,
        corrects: null as string | null,
        to: 'non_compliant',
        from: row.status,
      })),
      ...corrections.map((row) => ({
        referralId: row.referral_id,
        kind: 'corrected',
        key: `corrects:${row.event_id}`,
        corrects: row.event_id,
        to: 'active',
        from: row.status,
      })),
    ];
    if (drafts.length) {
      const events = await client.query<{ id: string; referral_id: string }>(
        `INSERT INTO compliance_events (referral_id, kind, threshold_key, occurred_on, facts, corrects_event_id)
         SELECT x.referral_id, x.kind::compliance_event_kind, x.threshold_key, $5::date, '{}'::jsonb, x.corrects
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS x(referral_id, kind, threshold_key, corrects)
         ON CONFLICT (referral_id, kind, threshold_key) DO NOTHING RETURNING id, referral_id`,
        [
          drafts.map((d) => d.referralId),
          drafts.map((d) => d.kind),
          drafts.map((d) => d.key),
          drafts.map((d) => d.corrects),
          session.rows[0].date,
        ],
      );
      await client.query(
        `INSERT INTO notices (event_id, referral_id, purpose, recipient_kind, recipient_email, recipient_user_id, recipient_agency_id, due_by, next_attempt_at)
         SELECT e.id, e.referral_id, 'event', rk.kind, CASE rk.kind WHEN 'probation_officer' THEN po.email ELSE court.notice_email END,
                CASE rk.kind WHEN 'probation_officer' THEN po.id END, CASE rk.kind WHEN 'court' THEN court.id ELSE po.agency_id END, now(), now()
           FROM compliance_events e JOIN referrals r ON r.id = e.referral_id
           JOIN users po ON po.id = r.probation_officer_id JOIN agencies court ON court.id = r.court_agency_id
           CROSS JOIN unnest(ARRAY['probation_officer', 'court']::notice_recipient_kind[]) AS rk(kind)
          WHERE e.id = ANY($1::uuid[])`,
        [events.rows.map((row) => row.id)],
      );
      await client.query(
        `UPDATE referrals r SET status = x.status::referral_status, status_changed_at = now(), updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS x(id, status) WHERE r.id = x.id`,
        [drafts.map((d) => d.referralId), drafts.map((d) => d.to)],
      );
      await client.query(
        `INSERT INTO audit_entries (actor_user_id, actor_role, action, record_type, record_id, details)
         SELECT $1, 'facilitator', x.action, 'referral', x.referral_id, '{}'::jsonb
           FROM unnest($2::uuid[], $3::text[]) AS x(referral_id, action)`,
        [
          userId,
          [...drafts.map((d) => d.referralId), ...drafts.map((d) => d.referralId)],
          [...drafts.map(() => 'compliance.event'), ...drafts.map(() => 'referral.status_change')],
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function writtenSince(client: Client, since: Date, referralIds: string[]): Promise<Written> {
  const { rows } = await client.query<{ events: string; notices: string }>(
    `SELECT (SELECT count(*) FROM compliance_events WHERE created_at >= $1 AND referral_id = ANY($2::uuid[])) AS events,
            (SELECT count(*) FROM notices WHERE created_at >= $1 AND referral_id = ANY($2::uuid[])) AS notices`,
    [since, referralIds],
  );
  return { events: Number(rows[0].events), notices: Number(rows[0].notices) };
}

/**
 * Counts the statements of a crossing save and of its correction on one roster kept out of the
 * load: through the in-process app over HTTP (the same code as the api process: token check,
 * save, roster read back) and through the baseline, on a copy of the roster's state.
 */
export async function countSaveStatements(
  counter: QueryCounter,
  options: { inProcessUrl: string; token: string; appRoster: Roster; baselineRoster: Roster; pool: Pool; facilitatorId: string },
): Promise<{ app: [number, number]; baseline: [number, number] }> {
  const put = async (index: number) => {
    const save = rosterSave([options.appRoster], index);
    const response = await fetch(`${options.inProcessUrl}/api/v1/sessions/${save.roster.sessionId}/attendance`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ marks: save.marks.map((mark) => ({ enrollmentId: mark.enrollmentId, status: mark.status })) }),
    });
    if (response.status !== 200) throw new Error(`PUT attendance answered ${response.status}: ${await response.text()}`);
  };
  const app: [number, number] = [(await counter.around(() => put(0))).queries, (await counter.around(() => put(1))).queries];
  const baseline: [number, number] = [
    (await counter.around(() => baselineSave(options.pool, options.facilitatorId, rosterSave([options.baselineRoster], 0)))).queries,
    (await counter.around(() => baselineSave(options.pool, options.facilitatorId, rosterSave([options.baselineRoster], 1)))).queries,
  ];
  return { app, baseline };
}

/**
 * P1: `PUT /api/v1/sessions/:id/attendance` over HTTP to the api process at a fixed concurrency,
 * against the baseline script at the same concurrency on the other half of the rosters. Both
 * make the same sequence of saves (each roster twice: a crossing, then its correction) and stop
 * after it or after `durationMs`.
 */
export async function benchAttendanceLoad(
  client: Client,
  options: {
    apiUrl: string;
    databaseUrl: string;
    token: string;
    facilitatorId: string;
    rosterSessions: string[];
    concurrency: number;
    durationMs: number;
    counter: QueryCounter;
    inProcessUrl: string;
    log: (line: string) => void;
  },
): Promise<AttendanceLoadBench> {
  // Two rosters are kept out of the load to count one save's statements on each side, and a few
  // for each side's warm-up.
  const [appCountSession, baselineCountSession, ...rest] = options.rosterSessions;
  const warmUp = Math.min(WARM_UP_ROSTERS, Math.floor(rest.length / 10));
  const appWarmRosters = await loadRosters(client, rest.slice(0, warmUp));
  const baselineWarmRosters = await loadRosters(client, rest.slice(warmUp, 2 * warmUp));
  const loadSessions = rest.slice(2 * warmUp);
  const half = Math.floor(loadSessions.length / 2);
  const appRosters = await loadRosters(client, loadSessions.slice(0, half));
  const baselineRosters = await loadRosters(client, loadSessions.slice(half, 2 * half));
  const saves = 2 * half;
  const referralsOf = (rosters: Roster[]) => rosters.flatMap((roster) => roster.marks.map((mark) => mark.referralId));

  const request = (index: number, rosters = appRosters): LoadRequest => {
    const save = rosterSave(rosters, index);
    return {
      method: 'PUT',
      path: `/api/v1/sessions/${save.roster.sessionId}/attendance`,
      headers: { authorization: `Bearer ${options.token}` },
      body: JSON.stringify({ marks: save.marks.map((mark) => ({ enrollmentId: mark.enrollmentId, status: mark.status })) }),
    };
  };
  // Warm the api process up (JIT, pools, each connection's plans of the save's statements) with the
  // same saves as the load's, a crossing and its correction, on rosters of its own: replays alone
  // never reach the rules' write, whose first plans on each connection then fell in the measured
  // run's first second, where all of its slowest 1 % were (bench/findings.md, 2026-12-04).
  const countRoster = (await loadRosters(client, [appCountSession]))[0];
  if (warmUp)
    await runLoad({
      baseUrl: options.apiUrl,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      maxRequests: 2 * appWarmRosters.length,
      next: (index) => request(index, appWarmRosters),
    });
  const since = (await client.query<{ now: Date }>('SELECT now() AS now')).rows[0].now;
  const app = await runLoad({
    baseUrl: options.apiUrl,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    maxRequests: saves,
    next: request,
  });
  options.log(
    `  api: ${app.requests} saves in ${(app.elapsedMs / 1000).toFixed(1)} s, ${app.throughput.toFixed(1)}/s, p99 ${app.p99.toFixed(1)} ms, ${app.errors} errors${app.firstError ? ` (${app.firstError})` : ''}`,
  );

  const pool = new Pool({ connectionString: options.databaseUrl, max: 20, application_name: 'throughline-bench-baseline' });
  try {
    // The baseline is warmed up the same way (its pool's connections, the same saves on rosters of its own).
    if (warmUp)
      await runWork({
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        maxCalls: 2 * baselineWarmRosters.length,
        work: (index) => baselineSave(pool, options.facilitatorId, rosterSave(baselineWarmRosters, index)),
      });
    const baseline = await runWork({
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      maxCalls: saves,
      work: (index) => baselineSave(pool, options.facilitatorId, rosterSave(baselineRosters, index)),
    });
    options.counter.install();
    const statements = await countSaveStatements(options.counter, {
      inProcessUrl: options.inProcessUrl,
      token: options.token,
      appRoster: countRoster,
      baselineRoster: (await loadRosters(client, [baselineCountSession]))[0],
      pool,
      facilitatorId: options.facilitatorId,
    });
    options.counter.uninstall();
    options.log(
      `  statements per save (crossing, correction): app ${statements.app.join(', ')}, baseline ${statements.baseline.join(', ')}`,
    );
    options.log(
      `  baseline: ${baseline.requests} saves in ${(baseline.elapsedMs / 1000).toFixed(1)} s, ${baseline.throughput.toFixed(1)}/s, p99 ${baseline.p99.toFixed(1)} ms, ${baseline.errors} errors${baseline.firstError ? ` (${baseline.firstError})` : ''}`,
    );
    return {
      concurrency: options.concurrency,
      rosters: { app: appRosters.length, baseline: baselineRosters.length, warmUp },
      app,
      baseline,
      written: {
        app: await writtenSince(client, since, referralsOf(appRosters)),
        baseline: await writtenSince(client, since, referralsOf(baselineRosters)),
      },
      statements,
    };
  } finally {
    await pool.end();
  }
}
