import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { Page } from '../../common/http/pagination.dto';
import { CurriculumUnit } from './curriculum-unit.entity';
import { Curriculum } from './curriculum.entity';
import { CurriculaRepository } from './curricula.repository';

export interface CurriculumSummary {
  id: string;
  name: string;
  description: string | null;
  unitCount: number;
  themes: string[];
}

export interface CurriculumWithUnits {
  id: string;
  name: string;
  description: string | null;
  units: Array<Pick<CurriculumUnit, 'id' | 'position' | 'theme' | 'title'>>;
}

@Injectable()
export class CurriculaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly curricula: CurriculaRepository,
  ) {}

  async list(limit: number, offset: number): Promise<Page<CurriculumSummary>> {
    const total = await this.dataSource.getRepository(Curriculum).count();
    const rows = await this.curricula.summaries(limit, offset);
    return {
      total,
      items: rows.map((row) => ({
        id: row.id,
        name: row.name,
        description: row.description,
        unitCount: Number(row.unit_count),
        // Themes in teaching order, each once.
        themes: [...new Set(row.themes ?? [])],
      })),
    };
  }

  async get(id: string): Promise<CurriculumWithUnits> {
    const curriculum = await this.dataSource.getRepository(Curriculum).findOneBy({ id });
    if (!curriculum) throw new NotFoundError('curriculum');
    const units = await this.dataSource.getRepository(CurriculumUnit).find({
      where: { curriculumId: id },
      order: { position: 'ASC' },
      select: ['id', 'position', 'theme', 'title'],
    });
    return { id: curriculum.id, name: curriculum.name, description: curriculum.description, units };
  }
}
