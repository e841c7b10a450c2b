import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Curriculum } from './curriculum.entity';

/** One session's material; `position` orders the units (1-based) and groups cycle through them. */
@Entity('curriculum_units')
@Index('curriculum_units_position_unique', ['curriculumId', 'position'], { unique: true })
export class CurriculumUnit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  curriculumId: string;

  @ManyToOne(() => Curriculum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'curriculum_id' })
  curriculum?: Curriculum;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 120 })
  theme: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;
}
