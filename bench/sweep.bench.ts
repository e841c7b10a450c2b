import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { Client } from 'pg';
import { AuditService } from '../src/modules/audit/audit.service';
import { NoticeRelay } from '../src/modules/notices/notice-relay.service';
import { NoticeWakeups } from '../src/modules/notices/notice-wakeups';
import { QueueName } from '../src/modules/queues/queue-names';
import { ProgramClock } from '../src/config/program-clock';
import { AppConfig } from '../src/config/app-config';
import { ComplianceSweepService, SWEEP_BATCH_SIZE, SweepResult } from '../src/modules/compliance/compliance-sweep.service';
import { ComplianceService } from '../src/modules/compliance/compliance.service';
import { OutboxTransaction } from '../src/modules/mail/outbox-transaction';
import { OPEN_REFERRAL_STATUSES } from '../src/common/program/referral-status.enum';
import { BenchApp } from './app';
import { undoSweep } from './generate';
import { QueryCounter, stats, Stats, timed } from './measure';

export interface SweepBench {
  referrals: number;
  batches: number;
  /** P2's baseline: one hand-written set-based query computing every open referral's standing and due crossings. */
  baseline: Stats & { queries: number; crossings: { first: number; steady: number } };
  /** Diagnosis: the plain `pg` read of the facts the sweep reads, batch by batch (no rules, no writes). */
  rawRead: Stats & { queries: number };
  first: Stats & { queries: number; outcome: SweepResult; queued: number };
  steady: Stats & { queries: number; outcome: SweepResult };
}

const ABSENCE = `m.status IN ('absent_excused', 'absent_unexcused', 'removed')`;
/** Whether the crossing with this key is on record already (the unique crossing index answers it). */
const raised = (kind: string, key: string) =>
  `EXISTS (SELECT 1 FROM compliance_events ev WHERE ev.referral_id = s.id AND ev.kind = ${kind} AND ev.threshold_key = ${key})`;

/**
 * The standings the rules compute, for every open referral in one statement: sessions
 * attended, absences, unexcused absences, the current and the longest run of absences (gaps
 * and islands over all his held-session marks), the day he last attended, and the crossings
 * due today — enroll-by passed without enrollment, no attendance for the policy's days while
 * his group met, at risk, deadline passed, a progress report not yet raised, and an absence
 * limit crossed without its event.
 */
export const STANDINGS_SQL = `
WITH open AS (
  SELECT r.id, r.status, r.ordered_on, r.enroll_by, r.complete_by, r.required_sessions, pol.left_early_counts, pol.max_absences,
         pol.max_unexcused_absences, pol.max_consecutive_absences, pol.no_attendance_days, pol.progress_report_every_days
    FROM referrals r JOIN policies pol ON pol.id = r.policy_id
   WHERE r.status = ANY($2::referral_status[])),
marked AS (
  SELECT m.referral_id, s.date, m.status, ${ABSENCE} AS absent,
         (m.status IN ('present', 'late') OR (m.status = 'left_early' AND o.left_early_counts)) AS attended,
         row_number() OVER (PARTITION BY m.referral_id ORDER BY s.date, s.start_time)
           - row_number() OVER (PARTITION BY m.referral_id, ${ABSENCE} ORDER BY s.date, s.start_time) AS island
    FROM attendance_marks m JOIN sessions s ON s.id = m.session_id AND s.status = 'held' JOIN open o ON o.id = m.referral_id),
runs AS (
  SELECT referral_id, count(*) AS length, max(date) AS ended_on FROM marked WHERE absent GROUP BY referral_id, island),
counts AS (
  SELECT referral_id, count(*) FILTER (WHERE attended) AS attended, count(*) FILTER (WHERE absent) AS absences,
         count(*) FILTER (WHERE status IN ('absent_unexcused', 'removed')) AS unexcused,
         max(date) FILTER (WHERE attended) AS last_attended_on, max(date) AS last_marked_on
    FROM marked GROUP BY referral_id),
streaks AS (
  SELECT r.referral_id, max(r.length) AS longest, max(r.length) FILTER (WHERE r.ended_on = c.last_marked_on) AS current
    FROM runs r JOIN counts c USING (referral_id) GROUP BY r.referral_id),
groups_met AS (
  SELECT group_id, max(date) AS last_held FROM sessions WHERE status = 'held' AND date <= $1::date GROUP BY group_id),
standings AS (
  SELECT o.*, COALESCE(c.attended, 0) AS attended, COALESCE(c.absences, 0) AS absences, COALESCE(c.unexcused, 0) AS unexcused,
         COALESCE(st.current, 0) AS consecutive, COALESCE(st.longest, 0) AS longest_run, c.last_attended_on,
         e.start_date AS enrolled_on, gm.last_held, EXISTS (SELECT 1 FROM enrollments x WHERE x.referral_id = o.id) AS ever_enrolled,
         ($1::date - o.ordered_on) / o.progress_report_every_days AS period
    FROM open o
    LEFT JOIN counts c ON c.referral_id = o.id
    LEFT JOIN streaks st ON st.referral_id = o.id
    LEFT JOIN enrollments e ON e.referral_id = o.id AND e.end_date IS NULL
    LEFT JOIN groups_met gm ON gm.group_id = e.group_id)
SELECT s.id, s.attended, s.absences, s.unexcused, s.consecutive, s.longest_run, s.last_attended_on,
       (s.status = 'referred' AND NOT s.ever_enrolled AND $1::date > s.enroll_by
          AND NOT ${raised("'failed_to_enroll'", "'enroll_by:' || s.enroll_by")}) AS failed_to_enroll,
       ($1::date > s.complete_by AND NOT ${raised("'completion_deadline_missed'", "'complete_by:' || s.complete_by")}) AS deadline_missed,
       (s.status IN ('active', 'non_compliant') AND s.enrolled_on IS NOT NULL AND s.last_held > COALESCE(s.last_attended_on, s.enrolled_on)
          AND $1::date - COALESCE(s.last_attended_on, s.enrolled_on) > s.no_attendance_days
          AND NOT ${raised("'no_attendance'", "'since:' || COALESCE(s.last_attended_on, s.enrolled_on)")}) AS no_attendance,
       (s.status IN ('active', 'non_compliant') AND s.required_sessions > s.attended AND s.complete_by >= $1::date
          AND s.required_sessions - s.attended > (s.complete_by - $1::date) / 7 + 1 AND NOT ${raised("'at_risk'", "'at_risk'")}) AS at_risk,
       (s.period >= 1 AND NOT ${raised("'progress_report_due'", "'period:' || s.period")}) AS report_due,
       ((s.absences > s.max_absences OR s.unexcused > s.max_unexcused_absences OR s.longest_run > s.max_consecutive_absences)
          AND NOT EXISTS (SELECT 1 FROM compliance_events ev WHERE ev.referral_id = s.id AND ev.kind IN ('absence_limit_exceeded', 'consecutive_absences'))) AS limit_crossed
  FROM standings s`;

/** P2's baseline: the standings of every open referral in one statement; answers how many have a crossing due. */
export async function setBasedStandings(client: Client, today: string): Promise<{ referrals: number; crossings: number }> {
  const { rows } = await client.query<{
    failed_to_enroll: boolean;
    deadline_missed: boolean;
    no_attendance: boolean;
    at_risk: boolean;
    report_due: boolean;
    limit_crossed: boolean;
  }>(STANDINGS_SQL, [today, OPEN_REFERRAL_STATUSES]);
  const crossings = rows.filter(
    (row) => row.failed_to_enroll || row.deadline_missed || row.no_attendance || row.at_risk || row.report_due || row.limit_crossed,
  ).length;
  return { referrals: rows.length, crossings };
}

/**
 * The cost of just reading what the sweep reads, with plain `pg` on one connection: the same
 * keyset batches of open referrals, each batch's referral + policy + enrollment facts (with his
 * group's latest held session), every held-session mark in date order and the existing events.
 * No ORM, no transaction, no locks, no rules, no writes.
 */
export async function readSweepFacts(client: Client, today: string): Promise<{ referrals: number; marks: number; events: number }> {
  const totals = { referrals: 0, marks: 0, events: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await client.query<{ id: string }>(
      `SELECT id FROM referrals WHERE status = ANY($1::referral_status[]) AND id > $2 ORDER BY id LIMIT $3`,
      [OPEN_REFERRAL_STATUSES, after, SWEEP_BATCH_SIZE],
    );
    if (batch.rows.length === 0) break;
    const ids = batch.rows.map((row) => row.id);
    const facts = await client.query(
      `SELECT r.id, r.status, r.ordered_on::text AS ordered_on, r.enroll_by::text AS enroll_by, r.complete_by::text AS complete_by,
              e.start_date::text AS current_enrollment_start,
              (SELECT max(s.date)::text FROM sessions s WHERE s.group_id = e.group_id AND s.status = 'held' AND s.date <= $2::date) AS last_held_session_on,
              EXISTS (SELECT 1 FROM enrollments x WHERE x.referral_id = r.id) AS ever_enrolled,
              r.required_sessions, p.left_early_counts, p.max_absences, p.max_unexcused_absences, p.max_consecutive_absences,
              p.no_attendance_days, p.progress_report_every_days, p.progress_report_day_of_month
         FROM referrals r JOIN policies p ON p.id = r.policy_id
         LEFT JOIN enrollments e ON e.referral_id = r.id AND e.end_date IS NULL
        WHERE r.id = ANY($1::uuid[])`,
      [ids, today],
    );
    const marks = await client.query(
      `SELECT m.referral_id, s.date::text AS date, m.status
         FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
        WHERE m.referral_id = ANY($1::uuid[]) AND s.status = 'held'
        ORDER BY m.referral_id, s.date, s.start_time`,
      [ids],
    );
    const events = await client.query(
      `SELECT id, referral_id, kind, threshold_key, corrects_event_id FROM compliance_events WHERE referral_id = ANY($1::uuid[])`,
      [ids],
    );
    totals.referrals += facts.rowCount ?? 0;
    totals.marks += marks.rowCount ?? 0;
    totals.events += events.rowCount ?? 0;
    after = ids[ids.length - 1];
  }
  return totals;
}

/** Waits until the notices written since `since` were queued (by the listener, on the signal of each batch's commit). */
async function settleDispatch(client: Client, since: Date): Promise<{ queued: number; total: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await client.query<{ queued: string; total: string }>(
      `SELECT count(*) FILTER (WHERE queued_at IS NOT NULL) AS queued, count(*) AS total FROM notices WHERE created_at >= $1`,
      [since],
    );
    const counts = { queued: Number(rows[0].queued), total: Number(rows[0].total) };
    if (counts.queued === counts.total || Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function benchSweep(
  bench: BenchApp,
  client: Client,
  counter: QueryCounter,
  options: {
    firstRuns: number;
    steadyRuns: number;
    log: (line: string) => void;
    /** The raw read of the sweep's facts (the scaling run skips it). */ diagnose?: boolean;
  },
): Promise<SweepBench> {
  const { app } = bench;
  // Built by hand as the demo seed does: the worker module (and its processors) stays out.
  const sweep = new ComplianceSweepService(
    bench.dataSource,
    app.get(ComplianceService),
    app.get(OutboxTransaction),
    app.get(ProgramClock),
    app.get(AppConfig),
  );
  // The sweep runs in a worker, whose listener queues each batch's notices when it commits: built
  // by hand beside it, in this process as in the worker.
  const config = app.get(AppConfig);
  const wakeups = new NoticeWakeups(
    new NoticeRelay(bench.dataSource, app.get<Queue>(getQueueToken(QueueName.Notices)), config, app.get(AuditService)),
    config,
  );
  wakeups.onApplicationBootstrap();
  try {
    return await measureSweep(sweep, bench, client, counter, options);
  } finally {
    await wakeups.onModuleDestroy();
  }
}

async function measureSweep(
  sweep: ComplianceSweepService,
  { today }: BenchApp,
  client: Client,
  counter: QueryCounter,
  options: Parameters<typeof benchSweep>[3],
): Promise<SweepBench> {
  const { log } = options;
  // The warm-up baseline query is also the one whose statements are counted; the raw read of the
  // sweep's facts is a diagnosis, read once (its samples were three full reads of the facts).
  log("  warming up (one unmeasured baseline query), then one raw read of the sweep's facts");
  const warm = await counter.around(() => setBasedStandings(client, today));
  const crossingsFirst = warm.result.crossings;
  const raw =
    options.diagnose === false
      ? { ms: NaN, result: { queries: NaN } }
      : await timed(() => counter.around(() => readSweepFacts(client, today)));
  const rawQueries = raw.result;

  const firstSamples: number[] = [];
  let first: { queries: number; outcome: SweepResult; queued: number } | null = null;
  for (let run = 0; run < options.firstRuns; run++) {
    const since = (await client.query<{ now: Date }>('SELECT now() AS now')).rows[0].now;
    const { ms, result } = await timed(() => counter.around(() => sweep.run(today)));
    const dispatch = await settleDispatch(client, since);
    firstSamples.push(ms);
    first = { queries: result.queries, outcome: result.result, queued: dispatch.queued };
    log(
      `  first run ${run + 1}/${options.firstRuns}: ${(ms / 1000).toFixed(2)} s, ${result.result.eventsCreated} events, ${result.result.noticesCreated} notices, ${result.queries} queries; ${dispatch.queued}/${dispatch.total} notices queued`,
    );
    if (run < options.firstRuns - 1) await undoSweep(client, since);
  }

  const baselineSamples: number[] = [];
  const rawSamples: number[] = [raw.ms];
  const steadySamples: number[] = [];
  let steady: { queries: number; outcome: SweepResult } | null = null;
  let crossings = 0;
  for (let run = 0; run < options.steadyRuns; run++) {
    const baseline = await timed(() => setBasedStandings(client, today));
    baselineSamples.push(baseline.ms);
    crossings = baseline.result.crossings;
    const { ms, result } = await timed(() => counter.around(() => sweep.run(today)));
    steadySamples.push(ms);
    steady = { queries: result.queries, outcome: result.result };
    log(`  baseline ${(baseline.ms / 1000).toFixed(2)} s, steady run ${(ms / 1000).toFixed(2)} s (${result.queries} queries)`);
  }
  if (options.diagnose !== false) log(`  raw read of the sweep's facts (once, before the first run) ${(raw.ms / 1000).toFixed(2)} s`);

  return {
    referrals: warm.result.referrals,
    batches: steady!.outcome.batches,
    baseline: { ...stats(baselineSamples), queries: warm.queries, crossings: { first: crossingsFirst, steady: crossings } },
    rawRead: { ...stats(rawSamples), queries: rawQueries.queries },
    first: { ...stats(firstSamples), ...first! },
    steady: { ...stats(steadySamples), ...steady! },
  };
}
