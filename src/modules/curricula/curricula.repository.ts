import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rows } from '../../common/database/sql';

/** A curriculum with its units counted and their themes in teaching order. */
export interface CurriculumSummaryRow {
  id: string;
  name: string;
  description: string | null;
  /** count() is a bigint, which the driver answers as a string. */
  unit_count: string;
  themes: string[] | null;
}

@Injectable()
export class CurriculaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  summaries(limit: number, offset: number): Promise<CurriculumSummaryRow[]> {
    return rows<CurriculumSummaryRow>(
      this.dataSource,
      `SELECT c.id, c.name, c.description, count(u.id) AS unit_count,
                array_remove(array_agg(u.theme ORDER BY u.position), NULL) AS themes
           FROM curricula c LEFT JOIN curriculum_units u ON u.curriculum_id = c.id
          GROUP BY c.id ORDER BY c.name LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }
}
