import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { CurriculumUnit } from './curriculum-unit.entity';

@Entity('curricula')
export class Curriculum {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @OneToMany(() => CurriculumUnit, (unit) => unit.curriculum)
  units?: CurriculumUnit[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
