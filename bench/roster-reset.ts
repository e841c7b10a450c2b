import { Client } from 'pg';

/**
 * Diagnosis helper for A/B runs of P1 on one kept database (`bench/profile-api.ts attendance` with
 * FRESH=1): every run must start from the same rosters, or a second run replays the first one's
 * marks (a replay writes nothing and is ~3× cheaper) and the comparison is of different work.
 *
 * The first call brings the profiled rosters (the sessions given) to a state where the run's first
 * visits change every mark and cross the man at the limit: every mark present, his absence-limit
 * events (and their corrections and notices) from earlier runs removed, and he active again; then
 * keeps that state in bench_roster_* tables. Every later call puts it back: the marks, the men's
 * status columns, and removes the events and notices written since. Audit entries stay (append-only).
 */
export async function freshRosters(client: Client, sessionIds: string[]): Promise<'kept' | 'restored'> {
  const kept = (await client.query<{ t: string | null }>(`SELECT to_regclass('bench_roster_marks')::text AS t`)).rows[0].t !== null;
  await client.query('BEGIN');
  try {
    if (!kept) {
      await client.query(
        `CREATE TABLE bench_roster_men AS
         SELECT DISTINCT e.referral_id, b.at_limit FROM sessions s
           JOIN enrollments e ON e.group_id = s.group_id AND e.start_date <= s.date AND (e.end_date IS NULL OR e.end_date >= s.date)
           JOIN bench_referrals b ON b.referral_id = e.referral_id
          WHERE s.id = ANY($1::uuid[])`,
        [sessionIds],
      );
      await client.query(`CREATE TABLE bench_roster_sessions AS SELECT unnest($1::uuid[]) AS session_id`, [sessionIds]);
      const crossings = `SELECT ev.id FROM compliance_events ev JOIN bench_roster_men m ON m.referral_id = ev.referral_id
                          WHERE m.at_limit AND (ev.threshold_key LIKE 'absences:%' OR ev.threshold_key LIKE 'corrects:%')`;
      await client.query(`DELETE FROM notices WHERE event_id IN (${crossings})`);
      await client.query(`DELETE FROM compliance_events WHERE id IN (${crossings})`);
      await client.query(
        `UPDATE referrals r SET status = 'active', status_reason = NULL FROM bench_roster_men m
          WHERE m.referral_id = r.id AND m.at_limit AND r.status = 'non_compliant'`,
      );
      await client.query(
        `UPDATE attendance_marks SET status = 'present' WHERE session_id IN (SELECT session_id FROM bench_roster_sessions)`,
      );
      await client.query(
        `CREATE TABLE bench_roster_marks AS SELECT m.* FROM attendance_marks m WHERE m.session_id IN (SELECT session_id FROM bench_roster_sessions)`,
      );
      await client.query(
        `CREATE TABLE bench_roster_referrals AS SELECT r.id, r.status, r.status_reason, r.status_changed_at, r.updated_at, r.reinstated_at
           FROM referrals r JOIN bench_roster_men m ON m.referral_id = r.id`,
      );
      await client.query(
        `CREATE TABLE bench_roster_events AS SELECT ev.id FROM compliance_events ev JOIN bench_roster_men m ON m.referral_id = ev.referral_id`,
      );
      await client.query(
        `CREATE TABLE bench_roster_notices AS SELECT n.id FROM notices n JOIN bench_roster_men m ON m.referral_id = n.referral_id`,
      );
    } else {
      await client.query(
        `DELETE FROM notices n USING bench_roster_men m WHERE n.referral_id = m.referral_id AND n.id NOT IN (SELECT id FROM bench_roster_notices)`,
      );
      await client.query(
        `DELETE FROM compliance_events ev USING bench_roster_men m
          WHERE ev.referral_id = m.referral_id AND ev.id NOT IN (SELECT id FROM bench_roster_events)`,
      );
      await client.query(
        `UPDATE referrals r SET status = k.status, status_reason = k.status_reason, status_changed_at = k.status_changed_at,
                updated_at = k.updated_at, reinstated_at = k.reinstated_at
           FROM bench_roster_referrals k WHERE k.id = r.id`,
      );
      await client.query(
        `UPDATE attendance_marks m SET status = k.status, note = k.note, marked_by_id = k.marked_by_id, marked_at = k.marked_at
           FROM bench_roster_marks k WHERE k.session_id = m.session_id AND k.enrollment_id = m.enrollment_id`,
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  await client.query('VACUUM ANALYZE attendance_marks, compliance_events, notices, referrals');
  return kept ? 'restored' : 'kept';
}
