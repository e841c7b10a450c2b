import { Column, CreateDateColumn, Entity, JoinColumn, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Curriculum } from '../curricula/curriculum.entity';
import { User } from '../users/user.entity';

/** A recurring weekly meeting. Enrollment is rolling: men join at any session and cycle the units. */
@Entity('groups')
export class Group {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'uuid' })
  curriculumId: string;

  @ManyToOne(() => Curriculum, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'curriculum_id' })
  curriculum?: Curriculum;

  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  @Column({ type: 'smallint' })
  weekday: number;

  /** Local wall-clock time, HH:MM. */
  @Column({ type: 'time' })
  startTime: string;

  @Column({ type: 'integer' })
  durationMinutes: number;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'varchar', length: 200 })
  location: string;

  @Column({ type: 'varchar', length: 40, default: 'en' })
  language: string;

  /** The first date the schedule produces a session on (or after). */
  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @ManyToMany(() => User)
  @JoinTable({
    name: 'group_facilitators',
    joinColumn: { name: 'group_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'user_id', referencedColumnName: 'id' },
  })
  facilitators?: User[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
