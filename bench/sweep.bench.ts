import { Client } from 'pg';
import { ProgramClock } from '../src/common/program-clock';
import { AppConfig } from '../src/config/app-config';
import { ComplianceSweepService, SWEEP_BATCH_SIZE, SweepResult } from '../src/modules/compliance/compliance-sweep.service';
import { ComplianceService } from '../src/modules/compliance/compliance.service';
import { OutboxTransaction } from '../src/modules/notices/outbox-transaction';
import { OPEN_REFERRAL_STATUSES } from '../src/modules/referrals/referral-status.enum';
import { BenchApp } from './app';
import { undoSweep } from './generate';
import { QueryCounter, stats, Stats, timed } from './measure';
import { countEvents, existingEventsPass } from './probes';

export interface SweepBench {
  referrals: number;
  batches: number;
  baseline: Stats & { queries: number };
  first: Stats & { queries: number; outcome: SweepResult; queued: number };
  steady: Stats & { queries: number; outcome: SweepResult };
  /** The existing-events statement alone over all batches (median of the steady rounds), and the events it reads from. */
  existingEvents: { ms: number; events: number };
}

/**
 * The cost of just reading what the sweep reads, with plain `pg` on one connection: the same
 * keyset batches of open referrals, each batch's referral + policy + enrollment facts (with his
 * group's latest held session), every held-session mark in date order and the existing events
 * (their corrects_event_id, from which the rules' "corrected" flag follows). No ORM, no
 * transaction, no locks, no rules, no writes.
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
              p.required_sessions, p.left_early_counts, p.max_absences, p.max_unexcused_absences, p.max_consecutive_absences,
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

/** Waits until the notices written since `since` were queued (the dispatch is not awaited by the sweep). */
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
  options: { firstRuns: number; steadyRuns: number; log: (line: string) => void },
): Promise<SweepBench> {
  const { app, today } = bench;
  const { log } = options;
  // Built by hand as the demo seed does: the worker module (and its processors) stays out.
  const sweep = new ComplianceSweepService(bench.dataSource, app.get(ComplianceService), app.get(OutboxTransaction), app.get(ProgramClock), app.get(AppConfig));

  log('  warming up (one unmeasured baseline pass)');
  const warm = await readSweepFacts(client, today);
  const baselineQueries = await counter.around(() => readSweepFacts(client, today));

  const firstSamples: number[] = [];
  let first: { queries: number; outcome: SweepResult; queued: number } | null = null;
  for (let run = 0; run < options.firstRuns; run++) {
    const since = (await client.query<{ now: Date }>('SELECT now() AS now')).rows[0].now;
    const { ms, result } = await timed(() => counter.around(() => sweep.run(today)));
    const dispatch = await settleDispatch(client, since);
    firstSamples.push(ms);
    first = { queries: result.queries, outcome: result.result, queued: dispatch.queued };
    log(`  first run ${run + 1}/${options.firstRuns}: ${(ms / 1000).toFixed(2)} s, ${result.result.eventsCreated} events, ${result.result.noticesCreated} notices, ${result.queries} queries; ${dispatch.queued}/${dispatch.total} notices queued`);
    if (run < options.firstRuns - 1) await undoSweep(client, since);
  }

  const baselineSamples: number[] = [];
  const steadySamples: number[] = [];
  const probeSamples: number[] = [];
  let steady: { queries: number; outcome: SweepResult } | null = null;
  for (let run = 0; run < options.steadyRuns; run++) {
    baselineSamples.push((await timed(() => readSweepFacts(client, today))).ms);
    const { ms, result } = await timed(() => counter.around(() => sweep.run(today)));
    steadySamples.push(ms);
    steady = { queries: result.queries, outcome: result.result };
    probeSamples.push(await existingEventsPass(client));
    log(`  baseline ${(baselineSamples[run] / 1000).toFixed(2)} s, steady run ${(ms / 1000).toFixed(2)} s, ${result.result.eventsCreated} events, ${result.queries} queries; existing-events statement alone ${(probeSamples[run] / 1000).toFixed(2)} s`);
  }

  return {
    referrals: warm.referrals,
    batches: steady!.outcome.batches,
    baseline: { ...stats(baselineSamples), queries: baselineQueries.queries },
    first: { ...stats(firstSamples), ...first! },
    steady: { ...stats(steadySamples), ...steady! },
    existingEvents: { ms: stats(probeSamples).median, events: await countEvents(client) },
  };
}
