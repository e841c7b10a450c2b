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
  const rows: Array<{ referral_id: string; marks: string }> = await manager.query(
    `SELECT m.referral_id, ${MARKS_AGGREGATE} AS marks
       FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
      WHERE m.referral_id = ANY($1::uuid[]) AND s.status = 'held'
      GROUP BY m.referral_id`,
    [referralIds],
  );
  for (const row of rows) {
    if (byReferral.has(row.referral_id)) byReferral.set(row.referral_id, parseMarkFacts(row.marks));
  }
  return byReferral;
}

/**
 * One man's marks as one string, "date status,date status,…" in date order: the one way a mark
 * history is read (mark: the attendance_marks alias, session: their sessions'), parsed by parseMarkFacts.
 */
export function marksAggregate(mark: string, session: string): string {
  return `string_agg(${session}.date::text || ' ' || ${mark}.status::text, ',' ORDER BY ${session}.date, ${session}.start_time)`;
}

/** The mark history where the marks are `m` and their sessions `s`. */
export const MARKS_AGGREGATE = marksAggregate('m', 's');

/** The marks of a mark-history string; none when the aggregate was NULL (no held session marked). */
export function parseMarkFacts(aggregate: string | null): MarkFact[] {
  if (aggregate === null) return [];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the attendance_status enum's own text, read back
  return aggregate.split(',').map((mark) => ({ date: mark.slice(0, 10), status: mark.slice(11) as AttendanceStatus }));
}
