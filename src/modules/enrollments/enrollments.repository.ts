import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { maybeOne, one } from '../../common/database/sql';

/** The enrollments' hand-written checks, in the enrolling transaction. */
@Injectable()
export class EnrollmentsRepository {
  /** Whether the group has a session that day that is not cancelled (a make-up meeting counts). */
  async meetsOn(manager: EntityManager, groupId: string, date: string): Promise<boolean> {
    const makeUp = await maybeOne<{ '?column?': number }>(
      manager,
      `SELECT 1 FROM sessions WHERE group_id = $1 AND date = $2 AND status <> 'cancelled' LIMIT 1`,
      [groupId, date],
    );
    return makeUp !== null;
  }

  /** How many of the enrollment's marks are of sessions on or after the date. */
  async marksOnOrAfter(manager: EntityManager, enrollmentId: string, date: string): Promise<number> {
    const { later } = await one<{ later: number }>(
      manager,
      `SELECT count(*)::int AS later FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
        WHERE m.enrollment_id = $1 AND s.date >= $2`,
      [enrollmentId, date],
    );
    return later;
  }
}
