import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { changes, maybeOne, one, rows } from '../../common/database/sql';
import { SESSION_MARKED_COUNT, SESSION_ROW_SELECT, SessionRow } from './session.view';
import { GROUP_ROW_FROM, GROUP_ROW_SELECT, GroupRow } from './group.view';

/** A man enrolled in the group now. */
export interface GroupMemberRow {
  referral_id: string;
  case_number: string;
  first_name: string;
  last_name: string;
  status: string;
  since: string;
}

/** The new place and time of a group, as the edit form sends them. */
export interface GroupPlaceAndTime {
  name: string;
  startTime: string;
  durationMinutes: number;
  capacity: number;
  location: string | null;
}

/** The groups' hand-written statements; the services keep the rules (and the access checks). */
@Injectable()
export class GroupsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** How many groups match `where` (on alias g), whose parameters are `params`. */
  async countWhere(where: string, params: unknown[]): Promise<number> {
    const { total } = await one<{ total: number }>(this.dataSource, `SELECT count(*)::int AS total FROM groups g WHERE ${where}`, params);
    return total;
  }

  /** One page of the groups matching `where`; `page` is the LIMIT/OFFSET clause bound into `params`. */
  listWhere(where: string, page: string, params: unknown[]): Promise<GroupRow[]> {
    return rows<GroupRow>(
      this.dataSource,
      `SELECT ${GROUP_ROW_SELECT} FROM ${GROUP_ROW_FROM} WHERE ${where}
        ORDER BY g.active DESC, g.weekday, g.start_time, g.name ${page}`,
      params,
    );
  }

  byId(groupId: string): Promise<GroupRow | null> {
    return maybeOne<GroupRow>(this.dataSource, `SELECT ${GROUP_ROW_SELECT} FROM ${GROUP_ROW_FROM} WHERE g.id = $1`, [groupId]);
  }

  sessionsBetween(groupId: string, from: string, to: string): Promise<SessionRow[]> {
    return rows<SessionRow>(
      this.dataSource,
      `SELECT ${SESSION_ROW_SELECT}, ${SESSION_MARKED_COUNT}
         FROM sessions s LEFT JOIN curriculum_units u ON u.id = s.curriculum_unit_id
        WHERE s.group_id = $1 AND s.date BETWEEN $2 AND $3
        ORDER BY s.date, s.start_time`,
      [groupId, from, to],
    );
  }

  session(sessionId: string): Promise<SessionRow | null> {
    return maybeOne<SessionRow>(
      this.dataSource,
      `SELECT ${SESSION_ROW_SELECT}, ${SESSION_MARKED_COUNT}
         FROM sessions s LEFT JOIN curriculum_units u ON u.id = s.curriculum_unit_id WHERE s.id = $1`,
      [sessionId],
    );
  }

  async lock(manager: EntityManager, groupId: string): Promise<void> {
    await manager.query('SELECT id FROM groups WHERE id = $1 FOR UPDATE', [groupId]);
  }

  async enrolledNow(manager: EntityManager, groupId: string): Promise<number> {
    const { enrolled } = await one<{ enrolled: number }>(
      manager,
      `SELECT count(*)::int AS enrolled FROM enrollments WHERE group_id = $1 AND end_date IS NULL`,
      [groupId],
    );
    return enrolled;
  }

  async facilitatorIds(manager: EntityManager, groupId: string): Promise<string[]> {
    const before = await rows<{ user_id: string }>(manager, `SELECT user_id FROM group_facilitators WHERE group_id = $1`, [groupId]);
    return before.map((row) => row.user_id);
  }

  async update(manager: EntityManager, groupId: string, input: GroupPlaceAndTime): Promise<void> {
    await manager.query(`UPDATE groups SET name = $2, start_time = $3, duration_minutes = $4, capacity = $5, location = $6 WHERE id = $1`, [
      groupId,
      input.name,
      input.startTime,
      input.durationMinutes,
      input.capacity,
      input.location,
    ]);
  }

  /** Scheduled sessions from `fromDate` still at `oldTime` (HH:MM) move to `newTime`; how many did. */
  async moveScheduledSessions(
    manager: EntityManager,
    groupId: string,
    newTime: string,
    fromDate: string,
    oldTime: string,
  ): Promise<number> {
    const moved = await changes<{ id: string }>(
      manager,
      `UPDATE sessions SET start_time = $2 WHERE group_id = $1 AND status = 'scheduled' AND date >= $3 AND to_char(start_time, 'HH24:MI') = $4 RETURNING id`,
      [groupId, newTime, fromDate, oldTime],
    );
    return moved.count;
  }

  async removeFacilitators(manager: EntityManager, groupId: string, userIds: string[]): Promise<void> {
    await manager.query(`DELETE FROM group_facilitators WHERE group_id = $1 AND user_id = ANY($2)`, [groupId, userIds]);
  }

  async addFacilitator(manager: EntityManager, groupId: string, userId: string): Promise<void> {
    await manager.query(`INSERT INTO group_facilitators (group_id, user_id) VALUES ($1, $2)`, [groupId, userId]);
  }

  members(groupId: string): Promise<GroupMemberRow[]> {
    return rows<GroupMemberRow>(
      this.dataSource,
      `SELECT r.id AS referral_id, r.case_number, p.first_name, p.last_name, r.status, e.start_date::text AS since
         FROM enrollments e JOIN referrals r ON r.id = e.referral_id JOIN participants p ON p.id = r.participant_id
        WHERE e.group_id = $1 AND e.end_date IS NULL
        ORDER BY p.last_name, p.first_name, r.id`,
      [groupId],
    );
  }
}
