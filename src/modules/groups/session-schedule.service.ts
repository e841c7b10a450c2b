import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { changes, rows } from '../../common/database/sql';
import { addDays } from '../../common/dates';
import { ProgramClock } from '../../config/program-clock';

/** How far ahead the weekly schedule is laid out as sessions. */
export const SCHEDULE_WEEKS_AHEAD = 8;

/**
 * Lays out each group's weekly sessions and keeps the curriculum rotation: every regular,
 * non-cancelled session covers the next unit, so a cancelled week shifts the units, skipping none.
 * Set-based SQL: one statement for all groups, safe to run twice or in two workers at once.
 */
@Injectable()
export class SessionScheduleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ProgramClock,
  ) {}

  /**
   * Generates regular sessions through today + 8 weeks for the given groups (all when omitted).
   * A week that falls on a day the program is closed is laid out cancelled ("Closed:
   * Thanksgiving"), so the schedule says why there is no group and it counts for nobody.
   */
  async generate(manager: EntityManager = this.dataSource.manager, groupIds?: string[]): Promise<number> {
    const through = addDays(this.clock.today(), SCHEDULE_WEEKS_AHEAD * 7);
    // TypeORM answers an INSERT … RETURNING with the returned rows themselves (no [rows, count] pair).
    const created = await rows<{ id: string }>(
      manager,
      `INSERT INTO sessions (group_id, date, start_time, kind, status, cancelled_reason, closed_by_calendar)
       SELECT g.id, d::date, g.start_time, 'regular',
              (CASE WHEN h.date IS NULL THEN 'scheduled' ELSE 'cancelled' END)::session_status,
              CASE WHEN h.date IS NULL THEN NULL ELSE 'Closed: ' || h.name END,
              h.date IS NOT NULL
         FROM groups g
         CROSS JOIN LATERAL generate_series(
           GREATEST(g.starts_on, COALESCE((SELECT max(s.date) + 1 FROM sessions s WHERE s.group_id = g.id AND s.kind = 'regular'), g.starts_on)),
           $1::date, interval '1 day') AS d
         LEFT JOIN program_holidays h ON h.date = d::date AND h.closed
        WHERE g.active AND ($2::uuid[] IS NULL OR g.id = ANY($2::uuid[]))
          AND extract(isodow FROM d) = g.weekday
       ON CONFLICT (group_id, date) WHERE kind = 'regular' DO NOTHING
       RETURNING id`,
      [through, groupIds ?? null],
    );
    await this.applyCalendar(manager, groupIds);
    await this.assignUnits(manager, groupIds);
    return created.length;
  }

  /**
   * Brings sessions from today on in line with the calendar: a day closed since they were laid
   * out cancels its unmarked sessions; a day opened again brings back the ones it had cancelled.
   * Past weeks are left as they were held (or not).
   */
  async applyCalendar(manager: EntityManager, groupIds?: string[]): Promise<{ closed: number; reopened: number }> {
    const today = this.clock.today();
    const { count: closed } = await changes(
      manager,
      `UPDATE sessions s SET status = 'cancelled', cancelled_reason = 'Closed: ' || h.name, closed_by_calendar = true, curriculum_unit_id = NULL
         FROM program_holidays h
        WHERE h.date = s.date AND h.closed AND s.kind = 'regular' AND s.status = 'scheduled' AND s.date >= $1::date
          AND ($2::uuid[] IS NULL OR s.group_id = ANY($2::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM attendance_marks m WHERE m.session_id = s.id)`,
      [today, groupIds ?? null],
    );
    const { count: reopened } = await changes(
      manager,
      `UPDATE sessions s SET status = 'scheduled', cancelled_reason = NULL, closed_by_calendar = false
        WHERE s.closed_by_calendar AND s.status = 'cancelled' AND s.date >= $1::date
          AND ($2::uuid[] IS NULL OR s.group_id = ANY($2::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM program_holidays h WHERE h.date = s.date AND h.closed)`,
      [today, groupIds ?? null],
    );
    return { closed, reopened };
  }

  /**
   * Re-numbers the units of scheduled sessions; held ones keep the unit they covered. Numbering
   * counts on from the latest held session's unit, so a week cancelled after a later one was held
   * makes the next session follow what was taught instead of repeating it.
   */
  async assignUnits(manager: EntityManager, groupIds?: string[]): Promise<void> {
    await manager.query(
      `WITH ordered AS (
         SELECT s.id, s.group_id, s.status, g.curriculum_id, cu.position AS unit_position,
                row_number() OVER (PARTITION BY s.group_id ORDER BY s.date) AS rn
           FROM sessions s JOIN groups g ON g.id = s.group_id
           LEFT JOIN curriculum_units cu ON cu.id = s.curriculum_unit_id
          WHERE s.kind = 'regular' AND s.status <> 'cancelled'
            AND ($1::uuid[] IS NULL OR s.group_id = ANY($1::uuid[]))
       ), anchored AS (
         SELECT o.*, max(CASE WHEN o.status = 'held' AND o.unit_position IS NOT NULL THEN o.rn END)
                       OVER (PARTITION BY o.group_id ORDER BY o.rn) AS anchor_rn
           FROM ordered o
       ), numbered AS (
         SELECT a.id, a.curriculum_id,
                CASE WHEN a.anchor_rn IS NULL THEN a.rn - 1 ELSE h.unit_position - 1 + (a.rn - a.anchor_rn) END AS idx
           FROM anchored a LEFT JOIN ordered h ON h.group_id = a.group_id AND h.rn = a.anchor_rn
       ), sizes AS (
         SELECT curriculum_id, count(*) AS n FROM curriculum_units GROUP BY curriculum_id
       )
       UPDATE sessions s SET curriculum_unit_id = u.id
         FROM numbered o
         JOIN sizes z ON z.curriculum_id = o.curriculum_id
         JOIN curriculum_units u ON u.curriculum_id = o.curriculum_id AND u.position = (o.idx % z.n) + 1
        WHERE s.id = o.id AND s.status = 'scheduled' AND s.curriculum_unit_id IS DISTINCT FROM u.id`,
      [groupIds ?? null],
    );
  }
}
