import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CurriculumUnit } from '../curricula/curriculum-unit.entity';
import { References } from '../../common/database/references';

export enum SessionStatus {
  Scheduled = 'scheduled',
  Held = 'held',
  Cancelled = 'cancelled',
}

export enum SessionKind {
  /** Produced by the group's weekly schedule; one per group per date. */
  Regular = 'regular',
  /** Added by hand, e.g. a make-up. */
  OneOff = 'one_off',
}

/** One meeting of a group on one date. */
@Entity('sessions')
// His group's weeks in a date window, read from the index alone (the rules read them for every man, nightly).
@Index('sessions_group_window_idx', ['groupId', 'date', 'kind', 'status', 'startTime', 'id'])
@Index('sessions_regular_unique', ['groupId', 'date'], { unique: true, where: `"kind" = 'regular'` })
@Index('sessions_date_idx', ['date'])
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @References('groups')
  groupId: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'time' })
  startTime: string;

  @Column({ type: 'enum', enum: SessionKind, enumName: 'session_kind', default: SessionKind.Regular })
  kind: SessionKind;

  @Column({ type: 'enum', enum: SessionStatus, enumName: 'session_status', default: SessionStatus.Scheduled })
  status: SessionStatus;

  @Column({ type: 'uuid', nullable: true })
  curriculumUnitId: string | null;

  @ManyToOne(() => CurriculumUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'curriculum_unit_id' })
  curriculumUnit?: CurriculumUnit | null;

  @Column({ type: 'text', nullable: true })
  cancelledReason: string | null;

  /** Cancelled because the program is closed that day; reopened if the day is opened again. */
  @Column({ type: 'boolean', default: false })
  closedByCalendar: boolean;

  /** The facilitator's note for the session as a whole (not about any one man). */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** Who ran it when it was someone covering (a substitute or co-facilitator); null: the group's own. */
  @Column({ type: 'uuid', nullable: true })
  runById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
