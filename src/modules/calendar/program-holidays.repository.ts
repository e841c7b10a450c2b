import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { changes, one, rows } from '../../common/database/sql';
import { Holiday } from '../../config/us-holidays';

/** A listed day as the API shows it (the columns are already named so). */
export interface HolidayView {
  date: string;
  name: string;
  source: string;
  closed: boolean;
}

/** The program_holidays statements. */
@Injectable()
export class ProgramHolidaysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds the days not listed yet (a listed day stays as it is); how many were added. */
  async addMissing(manager: EntityManager, days: readonly Holiday[]): Promise<number> {
    const added = await rows<{ date: string }>(
      manager,
      `INSERT INTO program_holidays (date, name, source)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[])
       ON CONFLICT (date) DO NOTHING RETURNING date`,
      [days.map((day) => day.date), days.map((day) => day.name), days.map((day) => day.source)],
    );
    return added.length;
  }

  list(from: string, to: string): Promise<HolidayView[]> {
    return rows<HolidayView>(
      this.dataSource,
      `SELECT date::text AS date, name, source, closed FROM program_holidays WHERE date BETWEEN $1 AND $2 ORDER BY date`,
      [from, to],
    );
  }

  close(manager: EntityManager, date: string, name: string, userId: string): Promise<HolidayView> {
    return one<HolidayView>(
      manager,
      `INSERT INTO program_holidays (date, name, source, closed, updated_by_id) VALUES ($1, $2, 'program', true, $3)
       ON CONFLICT (date) DO UPDATE SET name = EXCLUDED.name, closed = true, updated_by_id = EXCLUDED.updated_by_id, updated_at = now()
       RETURNING date::text AS date, name, source, closed`,
      [date, name, userId],
    );
  }

  async open(manager: EntityManager, date: string, userId: string): Promise<HolidayView | null> {
    const updated = await changes<HolidayView>(
      manager,
      `UPDATE program_holidays SET closed = false, updated_by_id = $2, updated_at = now() WHERE date = $1
       RETURNING date::text AS date, name, source, closed`,
      [date, userId],
    );
    return updated.rows[0] ?? null;
  }
}
