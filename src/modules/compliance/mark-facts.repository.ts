import { EntityManager } from 'typeorm';
import { AttendanceStatus } from '../../common/program/attendance-status.enum';
import { MarkFact } from './attendance-counts';

/**
 * Every mark of held sessions for these referrals, oldest first, in one query.
 * Cancelled sessions count for nobody and against nobody, so they never appear here.
 */
export async function loadMarkFacts(manager: EntityManager, referralIds: string[]): Promise<Map<string, MarkFact[]>> {
  const byReferral = new Map<string, MarkFact[]>(referralIds.map((id) => [id, []]));
  if (referralIds.length === 0) return byReferral;
  // One row per man ("date status,date status,…"), not one per mark: a sweep batch is ~50,000
  // marks, and parsing that many rows cost more than the query (bench/RESULTS.md, P2).
  const rows: Array<{ referral_id: string; marks: string | null }> = await manager.query(
    `SELECT b.referral_id, h.marks FROM unnest($1::uuid[]) AS b(referral_id) LEFT JOIN LATERAL (${markHistory('b.referral_id')}) h ON TRUE`,
    [referralIds],
  );
  for (const row of rows) {
    if (byReferral.has(row.referral_id)) byReferral.set(row.referral_id, parseMarkFacts(row.marks));
  }
  return byReferral;
}

/**
 * One man's mark history as one row, one column `marks`: "date status,date status,…" in date order,
 * every mark of his on a held session (NULL: none), the one way a mark history is read (parsed by
 * parseMarkFacts). `referral` is the SQL of his referral id, e.g. a lateral's outer column.
 */
export function markHistory(referral: string): string {
  return `SELECT string_agg(hx.date::text || ' ' || hx.mark, ',' ORDER BY hx.date, hx.start_time) AS marks FROM (${heldMarks(referral)}) hx`;
}

/**
 * Every mark of his on a held session, one row each: `date`, `start_time` (of the session), `mark`
 * (the attendance status as text) and `status` (the same, as the attendance_status enum), in no
 * order. The rows markHistory aggregates, and what the caseload counts a man's attendance from (by
 * `status`: compared as the enum, a mark is not turned into text once per condition, ~4 a mark).
 *
 * Why not a plain join of his marks to their sessions: the planner either probes the sessions'
 * primary key once per mark (~51 probes a man, the slowest part of a save's read, of its roster
 * read back and of a caseload's 80 men) or, for a sweep batch, hashes every session of the program
 * (240,000 at 50,000 referrals) to join ~51,000 marks. A man's marks are on his groups' sessions,
 * which are a short range of sessions_group_window_idx each, so those are read and hashed instead.
 * A mark on a session of a group he is no longer enrolled in (nothing in the schema forbids it)
 * still counts: its session is then looked up by id, which costs nothing when no such mark exists
 * (the fallbacks never run).
 */
export function heldMarks(referral: string): string {
  // Aliases of their own (h…), so the caller's (r, e, m, s) stay free for `referral`.
  const session = (column: string) => `COALESCE(hg.${column}, (SELECT hf.${column} FROM sessions hf WHERE hf.id = hm.session_id))`;
  return `SELECT hk.date, hk.start_time, hk.mark, hk.status
    FROM (SELECT ${session('date')} AS date, ${session('start_time')} AS start_time, ${session('status')} AS session_status, hm.status::text AS mark, hm.status
            FROM attendance_marks hm
            LEFT JOIN (SELECT hs.id, hs.date, hs.start_time, hs.status FROM sessions hs
                        WHERE hs.group_id IN (SELECT he.group_id FROM enrollments he WHERE he.referral_id = ${referral})) hg ON hg.id = hm.session_id
           WHERE hm.referral_id = ${referral}) hk
   WHERE hk.session_status = 'held'`;
}

/** The marks of a mark-history string; none when the aggregate was NULL (no held session marked). */
export function parseMarkFacts(aggregate: string | null): MarkFact[] {
  if (aggregate === null) return [];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the attendance_status enum's own text, read back
  return aggregate.split(',').map((mark) => ({ date: mark.slice(0, 10), status: mark.slice(11) as AttendanceStatus }));
}
