import { EntityManager } from 'typeorm';
import { AttendanceStatus } from '../attendance/attendance-status.enum';
import { MarkFact } from './attendance-counts';

/**
 * Every mark of held sessions for these referrals, oldest first, in one query.
 * Cancelled sessions count for nobody and against nobody, so they never appear here.
 */
export async function loadMarkFacts(manager: EntityManager, referralIds: string[]): Promise<Map<string, MarkFact[]>> {
  const byReferral = new Map<string, MarkFact[]>(referralIds.map((id) => [id, []]));
  if (referralIds.length === 0) return byReferral;
  const rows: Array<{ referral_id: string; date: string; status: AttendanceStatus }> = await manager.query(
    `SELECT m.referral_id, s.date::text AS date, m.status
       FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
      WHERE m.referral_id = ANY($1::uuid[]) AND s.status = 'held'
      ORDER BY m.referral_id, s.date, s.start_time`,
    [referralIds],
  );
  for (const row of rows) byReferral.get(row.referral_id)?.push({ date: row.date, status: row.status });
  return byReferral;
}
