import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { maybeOne, one } from '../../common/database/sql';

/** What placing a man asks of the group: when it meets, whether it has room, in which language. */
export interface PlacementGroup {
  id: string;
  name: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  capacity: number;
  active: boolean;
  language: string;
}

/** The enrollments' hand-written checks, in the enrolling transaction. */
@Injectable()
export class EnrollmentsRepository {
  /** The group he is placed in, locked: two placements in one group take turns with its capacity. */
  async lockGroup(manager: EntityManager, groupId: string): Promise<PlacementGroup | null> {
    return maybeOne<PlacementGroup>(manager, `SELECT id, name, weekday, capacity, active, language FROM groups WHERE id = $1 FOR UPDATE`, [
      groupId,
    ]);
  }

  /** The name of the group he leaves, for the transfer's notice. */
  async groupName(manager: EntityManager, groupId: string): Promise<string | null> {
    const row = await maybeOne<{ name: string }>(manager, `SELECT name FROM groups WHERE id = $1`, [groupId]);
    return row?.name ?? null;
  }

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
